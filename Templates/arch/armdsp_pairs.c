/* arch armdsp, two-pixel dot (emitted for models with a CONV2D layer that takes it). */

/* Two output pixels at once (conv2d_s8 takes this path where the macro is defined): both
   windows are unpacked once into q15 halves, then every weight word, unpacked, serves two
   pixels. Four SMLADs per weight word instead of two, and no input unpacking per channel. */
#define ARCH_DOT4X2_S8 1
/* The dot runs over windows of a multiple of this many values (Arch.twoPixelDot in the
   generator pads the weights to it). */
#define ARCH_DOT4X2_MULTIPLE 4
#define ARCH_DOT4X2_PADDED_WEIGHTS 1
/* The pair's output stage in scalar code, with the four scales in float registers (the M4F has 32). */
#define ARCH_REQUANT_PAIR_SCALAR 1
/* At most this many values of the two windows are laid out at once (a word per value each, on
   NAME_run's stack: Arch.twoPixelDot's maxValues); longer windows go in parts of this many. */
#define ARCH_DOT4X2_MAX_VALUES 256
/* A block's weights are interleaved word by word (arch_dot4_s8's layout): its values from r on
   start 4 * r bytes in. */
#define ARCH_DOT4X2_WEIGHT_STEP 4
/* The windows are laid out in int32 words (SMLAD operands), in conv2d_s8's `words`. */
typedef int32_t arch_window_t;
#define ARCH_DOT4X2_WINDOWS(words, halves) (words)

/* Words u and v of the two windows as SMLAD operands: u's even and odd halves, then v's. */
static inline void arch_pair_word_s8(int32_t u, int32_t v, int32_t *pairs)
{
    pairs[0] = arch_even_s8(u);
    pairs[1] = arch_odd_s8(u);
    pairs[2] = arch_even_s8(v);
    pairs[3] = arch_odd_s8(v);
}

/* Windows x and y (n int8 values each, then zeros up to span, a multiple of 4) as SMLAD
   operands: per four values, x's even and odd halves, then y's. Both windows are read here,
   before the pixels' outputs are written (conv2d_s8 may run over its input). */
static inline void arch_pairs_s8(const int8_t *x, const int8_t *y, int32_t n, int32_t span, int32_t *pairs)
{
    int32_t i = 0;
    for (; i + 4 <= n; i += 4, pairs += 4) {
        arch_pair_word_s8(arch_word_s8(x + i), arch_word_s8(y + i), pairs);
    }
    if (i < span) {
        /* The last one to three values, then zeros: written out, where memcpy would be a call. */
        int8_t last_x[4] = {x[i], 0, 0, 0}, last_y[4] = {y[i], 0, 0, 0};
        if (n - i > 1) {
            last_x[1] = x[i + 1];
            last_y[1] = y[i + 1];
        }
        if (n - i > 2) {
            last_x[2] = x[i + 2];
            last_y[2] = y[i + 2];
        }
        arch_pair_word_s8(arch_word_s8(last_x), arch_word_s8(last_y), pairs);
    }
}

#if !defined(__GNUC__)
/* Four values of both windows (x, as arch_pairs_s8 lays them out) with two channels' weights
   (one word each, interleaved): sums[0..1] for window x, sums[2..3] for window y. */
static inline void arch_dot4x2_step_s8(const int32_t *x, const int8_t *weights, int32_t *sums)
{
    const int32_t k0 = arch_word_s8(weights), k1 = arch_word_s8(weights + 4);
    const int32_t e0 = arch_even_s8(k0), o0 = arch_odd_s8(k0);
    const int32_t e1 = arch_even_s8(k1), o1 = arch_odd_s8(k1);
    sums[0] = __smlad(x[1], o0, __smlad(x[0], e0, sums[0]));
    sums[1] = __smlad(x[1], o1, __smlad(x[0], e1, sums[1]));
    sums[2] = __smlad(x[3], o0, __smlad(x[2], e0, sums[2]));
    sums[3] = __smlad(x[3], o1, __smlad(x[2], e1, sums[3]));
}
#endif

/* One step of arch_dot4x2_s8's assembly loop (16 MACs; the function says what a step does). */
#define ARCH_DOT4X2_STEP \
    "ldr %[e1], [%[w], #4]\n\t" \
    "ldr %[e0], [%[w]], #16\n\t" \
    "ldrd %[a], %[b], [%[x], #8]\n\t" \
    "sxtb16 %[o0], %[e0], ror #8\n\t" \
    "sxtb16 %[e0], %[e0]\n\t" \
    "sxtb16 %[o1], %[e1], ror #8\n\t" \
    "sxtb16 %[e1], %[e1]\n\t" \
    "smlad %[s2], %[a], %[e0], %[s2]\n\t" \
    "smlad %[s2], %[b], %[o0], %[s2]\n\t" \
    "smlad %[s3], %[a], %[e1], %[s3]\n\t" \
    "smlad %[s3], %[b], %[o1], %[s3]\n\t" \
    "ldrd %[a], %[b], [%[x]], #16\n\t" \
    "smlad %[s0], %[a], %[e0], %[s0]\n\t" \
    "smlad %[s0], %[b], %[o0], %[s0]\n\t" \
    "smlad %[s1], %[a], %[e1], %[s1]\n\t" \
    "smlad %[s1], %[b], %[o1], %[s1]\n\t"

/* acc[k] += the dot product of window x with channel k's weights, and acc[4 + k] += that of
   window y, for the four channels k of an interleaved block (arch_dot4_s8's layout: one pointer
   walks all four, `stride` is unused), over n values (a multiple of 4, at least 4) unpacked in
   `pairs` (arch_pairs_s8). Two channels at a time: four sums, two unpacked weight words, two input
   words and the pointers stay in the core's registers.
   With GNU C (gcc, clang) the loop is written in assembly: gcc -O2 spills the loop's end pointer
   and reloads it every pass, 39 instructions per 32 MACs with two steps a pass; here two steps a
   pass take 34 (LDRD of two input words, post-indexed loads in place of adds). */
static inline void arch_dot4x2_s8(const int32_t *pairs, const int8_t *w, int32_t stride, int32_t n, int32_t *acc)
{
    (void)stride;
    for (int32_t k = 0; k < 4; k += 2) {
        const int8_t *weights = w + 4 * k;
        const int32_t *x = pairs, *end = pairs + n;
#if defined(__GNUC__)
        int32_t s0 = acc[k], s1 = acc[k + 1], s2 = acc[4 + k], s3 = acc[5 + k];
        int32_t e0, o0, e1, o1, a, b;
        /* Two steps a pass; an odd number of steps (16 bytes of `pairs` each) enters at the second.
           A step: both channels' weight words (the second first, so the first's load steps the
           pointer on), each unpacked to even and odd halves; x's words 2 and 3 against them into
           window y's sums, then words 0 and 1 (stepping x on) into window x's. */
        __asm__("sub %[a], %[end], %[x]\n\t"
                "tst %[a], #16\n\t"
                "bne 2f\n\t"
                "1:\n\t" ARCH_DOT4X2_STEP
                "2:\n\t" ARCH_DOT4X2_STEP
                "cmp %[x], %[end]\n\t"
                "blo 1b"
                : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x), [w] "+r"(weights),
                  [e0] "=&r"(e0), [o0] "=&r"(o0), [e1] "=&r"(e1), [o1] "=&r"(o1), [a] "=&r"(a), [b] "=&r"(b)
                : [end] "r"(end)
                : "cc", "memory");
        acc[k] = s0;
        acc[k + 1] = s1;
        acc[4 + k] = s2;
        acc[5 + k] = s3;
#else
        int32_t sums[4] = {acc[k], acc[k + 1], acc[4 + k], acc[5 + k]};
        for (; x < end; x += 4, weights += 16) {
            arch_dot4x2_step_s8(x, weights, sums);
        }
        acc[k] = sums[0];
        acc[k + 1] = sums[1];
        acc[4 + k] = sums[2];
        acc[5 + k] = sums[3];
#endif
    }
}
