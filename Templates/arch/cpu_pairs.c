/* arch cpu, two-pixel dot (emitted for models with a CONV2D layer that takes it). */

/* Two output pixels at once (conv2d_s8 takes this path where the macro is defined and the
   generator sets `two_pixels`): both windows are copied once as int16, then four channels'
   weights, each read once, serve both, eight sums in one loop. With ARCH_AUTO_SIMD, gcc -O2
   turns that loop into SIMD code (PMADDWD on x86-64) over windows padded with zeros to a
   multiple of 16; elsewhere it runs over the window. */
#define ARCH_DOT4X2_S8 1
#if defined(ARCH_AUTO_SIMD)
#define ARCH_DOT4X2_MULTIPLE 16
#else
#define ARCH_DOT4X2_MULTIPLE 1
#endif
#if defined(__thumb__) && !defined(__thumb2__)
/* Thumb-1 cores (Cortex-M0/M0+) have eight low registers, where the eight sums spill: windows
   of whole blocks of 16 still repay it, others run a pixel at a time (conv2d_s8 asks). */
#define ARCH_DOT4X2_TAKES(n) ((n) % 16 == 0)
#endif
/* The weights are not padded (Arch.twoPixelDot: no flash for zeros): a channel's padded values
   read the next channel's weights, which the zero inputs cancel, and the layer's weights end
   in the zeros its last channel reads (at most 15). */
#define ARCH_DOT4X2_PADDED_WEIGHTS 0
/* At most this many values of the two windows are copied at once (Arch.twoPixelDot's maxValues);
   longer windows go in parts of this many. */
#define ARCH_DOT4X2_MAX_VALUES 2048
/* A block's channels are `stride` apart: each one's values from r on start r bytes in. */
#define ARCH_DOT4X2_WEIGHT_STEP 1
/* The windows are copied as int16, into conv2d_s8's `halves`. */
typedef int16_t arch_window_t;
#define ARCH_DOT4X2_WINDOWS(words, halves) (halves)

/* Windows x and y (n int8 values each) copied as int16 one after the other into `copy`
   (2 * span values), each followed by zeros up to span values: both are read here, before the
   pixels' outputs are written (conv2d_s8 may run over its input). With ARCH_AUTO_SIMD, whole
   blocks of 16 values go in loops of a constant 16, which gcc -O2 vectorises (a loop over the
   run-time count it leaves scalar: "not worthwhile"); `restrict`, as the windows and the copy
   never overlap, spares it an alias check. */
static inline void arch_pairs_s8(const int8_t *restrict x, const int8_t *restrict y, int32_t n, int32_t span,
                                 int16_t *restrict copy)
{
    const int32_t whole = ARCH_DOT4X2_MULTIPLE == 16 ? n & ~15 : 0;
    for (int32_t b = 0; b < whole; b += 16) {
        for (int32_t k = 0; k < 16; k++) {
            copy[b + k] = x[b + k];
        }
        for (int32_t k = 0; k < 16; k++) {
            copy[span + b + k] = y[b + k];
        }
    }
    for (int32_t i = whole; i < n; i++) {
        copy[i] = x[i];
        copy[span + i] = y[i];
    }
    for (int32_t i = n; i < span; i++) {
        copy[i] = 0;
        copy[span + i] = 0;
    }
}

/* acc[k] += the dot product of window x with channel k's weights (w + k * stride), and acc[4 + k]
   += that of window y, for k = 0..3, over the n values (a multiple of ARCH_DOT4X2_MULTIPLE) of
   each window in `windows` (arch_pairs_s8). A function of its own: inlined into conv2d_s8, gcc 12
   leaves the loop scalar. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void arch_dot4x2_s8(const int16_t *windows, const int8_t *w, int32_t stride, int32_t n, int32_t *acc)
{
    const int16_t *x = windows, *y = x + n;
    const int8_t *w0 = w, *w1 = w + stride, *w2 = w + 2 * stride, *w3 = w + 3 * stride;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    /* Saying that n is a whole number of 16 lets gcc -O2 vectorise the loop with no scalar tail. */
    const int32_t end = ARCH_DOT4X2_MULTIPLE == 16 ? n & ~15 : n;
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
