/* arch neon, two-pixel dot (emitted for models with a CONV2D layer that takes it). */

/* Two output pixels at once (conv2d_s8 takes this path where the macro is defined and the
   generator sets `two_pixels`): four channels' weights, each loaded once, serve both windows,
   eight sums in registers. Without SDOT, two products are summed in int16 before they widen
   (VMULL, VMLAL, VPADAL): the generator sets `two_pixels` only for layers without a -128 weight,
   so two products fit. */
#define ARCH_DOT4X2_S8 1
/* The dot runs over windows of a multiple of this many values (Arch.twoPixelDot in the
   generator pads the weights to it). */
#define ARCH_DOT4X2_MULTIPLE 8
#define ARCH_DOT4X2_PADDED_WEIGHTS 1
/* At most this many values of the two windows are copied at once (Arch.twoPixelDot's maxValues);
   longer windows go in parts of this many. */
#define ARCH_DOT4X2_MAX_VALUES 2048
/* A block's channels are `stride` apart: each one's values from r on start r bytes in. */
#define ARCH_DOT4X2_WEIGHT_STEP 1
/* The windows are copied as bytes into conv2d_s8's `words` (a character type may alias them). */
typedef int32_t arch_window_t;
#define ARCH_DOT4X2_WINDOWS(words, halves) (words)

/* Windows x and y (n int8 values each) copied one after the other into `pairs` (2 * span bytes),
   each followed by zeros up to span values: both are read here, before the pixels' outputs are
   written (conv2d_s8 may run over its input). */
static inline void arch_pairs_s8(const int8_t *x, const int8_t *y, int32_t n, int32_t span, int32_t *pairs)
{
    int8_t *copy = (int8_t *)pairs;
    memcpy(copy, x, (size_t)n);
    memcpy(copy + span, y, (size_t)n);
    if (span > n) {
        memset(copy + n, 0, (size_t)(span - n));
        memset(copy + span + n, 0, (size_t)(span - n));
    }
}

/* acc plus the products of 16 int8 pairs, two products summed in int16 first (SDOT with the
   dot-product extension): b holds no -128. */
static inline int32x4_t arch_mac16_paired_s8(int32x4_t acc, int8x16_t a, int8x16_t b)
{
#if defined(__ARM_FEATURE_DOTPROD)
    return vdotq_s32(acc, a, b);
#elif defined(__aarch64__)
    /* SMLAL2 on the high halves in place: gcc moves them out first for vget_high_s8. */
    return vpadalq_s16(acc, vmlal_high_s8(vmull_s8(vget_low_s8(a), vget_low_s8(b)), a, b));
#else
    return vpadalq_s16(acc, vmlal_s8(vmull_s8(vget_low_s8(a), vget_low_s8(b)), vget_high_s8(a), vget_high_s8(b)));
#endif
}

/* The lane sums of a, b, c and d, in that order. */
static inline int32x4_t arch_sums4_s32(int32x4_t a, int32x4_t b, int32x4_t c, int32x4_t d)
{
#if defined(__aarch64__)
    return vpaddq_s32(vpaddq_s32(a, b), vpaddq_s32(c, d));
#else
    const int32x2_t ab = vpadd_s32(arch_fold_s32(a), arch_fold_s32(b));
    return vcombine_s32(ab, vpadd_s32(arch_fold_s32(c), arch_fold_s32(d)));
#endif
}

/* acc[k] += the dot product of window x with channel k's weights (w + k * stride), and acc[4 + k]
   += that of window y, for k = 0..3, over the n values (a multiple of 8: the span) of each
   window in `pairs` (arch_pairs_s8). */
static inline void arch_dot4x2_s8(const int32_t *pairs, const int8_t *w, int32_t stride, int32_t n, int32_t *acc)
{
    const int8_t *x = (const int8_t *)pairs, *y = x + n;
    const int8_t *w0 = w, *w1 = w + stride, *w2 = w + 2 * stride, *w3 = w + 3 * stride;
    int32x4_t x0 = vdupq_n_s32(0), x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const int8x16_t a = vld1q_s8(x + i), b = vld1q_s8(y + i);
        const int8x16_t k0 = vld1q_s8(w0 + i), k1 = vld1q_s8(w1 + i), k2 = vld1q_s8(w2 + i), k3 = vld1q_s8(w3 + i);
        x0 = arch_mac16_paired_s8(x0, a, k0);
        y0 = arch_mac16_paired_s8(y0, b, k0);
        x1 = arch_mac16_paired_s8(x1, a, k1);
        y1 = arch_mac16_paired_s8(y1, b, k1);
        x2 = arch_mac16_paired_s8(x2, a, k2);
        y2 = arch_mac16_paired_s8(y2, b, k2);
        x3 = arch_mac16_paired_s8(x3, a, k3);
        y3 = arch_mac16_paired_s8(y3, b, k3);
    }
    if (i < n) {
        const int8x8_t a = vld1_s8(x + i), b = vld1_s8(y + i);
        const int8x8_t k0 = vld1_s8(w0 + i), k1 = vld1_s8(w1 + i), k2 = vld1_s8(w2 + i), k3 = vld1_s8(w3 + i);
        x0 = arch_mac8_s8(x0, a, k0);
        y0 = arch_mac8_s8(y0, b, k0);
        x1 = arch_mac8_s8(x1, a, k1);
        y1 = arch_mac8_s8(y1, b, k1);
        x2 = arch_mac8_s8(x2, a, k2);
        y2 = arch_mac8_s8(y2, b, k2);
        x3 = arch_mac8_s8(x3, a, k3);
        y3 = arch_mac8_s8(y3, b, k3);
    }
    vst1q_s32(acc, vaddq_s32(vld1q_s32(acc), arch_sums4_s32(x0, x1, x2, x3)));
    vst1q_s32(acc + 4, vaddq_s32(vld1q_s32(acc + 4), arch_sums4_s32(y0, y1, y2, y3)));
}
