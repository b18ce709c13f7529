/* arch cpu, two-pixel dot (emitted for models with a CONV2D layer that takes it; the windows are
   laid out by kernels/window_pairs.c). */

/* Two output pixels at once (conv2d_s8 takes this path where the macro is defined and the
   generator passes `pairs`): four channels' weights, each read once, serve both windows, eight
   sums in one loop, which gcc -O2 turns into SIMD code on x86-64 (as a function of its own:
   inlined into conv2d_s8, gcc 12 leaves it scalar). */
#define ARCH_DOT4X2_S8 1
/* The dot runs over windows of a multiple of this many values (Arch.twoPixelDot: the generator
   takes this path for cpu only where windows are one, without padding them). */
#define ARCH_DOT4X2_MULTIPLE 16

/* acc[k] += the dot product of window x with channel k's weights (w + k * n), and acc[4 + k]
   += that of window y, for k = 0..3, over the n values (a multiple of 16) of each window in
   `pairs` (arch_pairs_s8). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void arch_dot4x2_s8(const int32_t *pairs, const int8_t *w, int32_t n, int32_t *acc)
{
    const int8_t *x = (const int8_t *)pairs, *y = x + n;
    const int8_t *w0 = w, *w1 = w + n, *w2 = w + 2 * n, *w3 = w + 3 * n;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    /* n is a multiple of 16; saying so lets gcc -O2 vectorise the loop with no scalar tail. */
    const int32_t end = n & ~15;
    for (int32_t i = 0; i < end; i++) {
        const int32_t u = x[i], v = y[i];
        a0 += u * w0[i];
        b0 += v * w0[i];
        a1 += u * w1[i];
        b1 += v * w1[i];
        a2 += u * w2[i];
        b2 += v * w2[i];
        a3 += u * w3[i];
        b3 += v * w3[i];
    }
    acc[0] += a0;
    acc[1] += a1;
    acc[2] += a2;
    acc[3] += a3;
    acc[4] += b0;
    acc[5] += b1;
    acc[6] += b2;
    acc[7] += b3;
}
