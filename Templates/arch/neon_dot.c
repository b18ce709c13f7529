/* arch neon, dot products. Each int8 product is widened to int16 on its own (VMULL) and pairs of
   products are added straight into int32 lanes (VPADAL): no int16 ever holds a sum of two
   products, which -128 * -128 twice (32768) would overflow. Built for the ARMv8.2 dot-product
   extension, SDOT adds four products into each int32 lane in one instruction. */

/* acc's lanes plus the products of 16 int8 pairs (each lane gets four of them). */
static inline int32x4_t arch_mac16_s8(int32x4_t acc, int8x16_t a, int8x16_t b)
{
#if defined(__ARM_FEATURE_DOTPROD)
    return vdotq_s32(acc, a, b);
#else
    acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(a), vget_low_s8(b)));
    return vpadalq_s16(acc, vmull_s8(vget_high_s8(a), vget_high_s8(b)));
#endif
}

/* acc's lanes plus the products of 8 int8 pairs. */
static inline int32x4_t arch_mac8_s8(int32x4_t acc, int8x8_t a, int8x8_t b)
{
    return vpadalq_s16(acc, vmull_s8(a, b));
}

#if !defined(__aarch64__)
/* v's two halves added: two lanes holding the sums of lanes 0, 2 and 1, 3. */
static inline int32x2_t arch_fold_s32(int32x4_t v)
{
    return vadd_s32(vget_low_s32(v), vget_high_s32(v));
}
#endif

static inline int32_t arch_sum_s32(int32x4_t v)
{
#if defined(__aarch64__)
    return vaddvq_s32(v);
#else
    const int32x2_t pair = arch_fold_s32(v);
    return vget_lane_s32(vpadd_s32(pair, pair), 0);
#endif
}

/* Sum of a[i] * b[i] over n int8 pairs. */
static int32_t arch_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32x4_t acc = vdupq_n_s32(0);
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc = arch_mac16_s8(acc, vld1q_s8(a + i), vld1q_s8(b + i));
    }
    if (i + 8 <= n) {
        acc = arch_mac8_s8(acc, vld1_s8(a + i), vld1_s8(b + i));
        i += 8;
    }
    int32_t sum = arch_sum_s32(acc);
    for (; i < n; i++) {
        sum += (int32_t)a[i] * b[i];
    }
    return sum;
}

/* acc[k] += sum of x[i] * w[k * stride + i] over n pairs, for k = 0..3: four output
   channels share each input load. */
static void arch_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n, int32_t *acc)
{
    const int8_t *w0 = w;
    const int8_t *w1 = w + stride;
    const int8_t *w2 = w + 2 * stride;
    const int8_t *w3 = w + 3 * stride;
    int32x4_t s0 = vdupq_n_s32(0), s1 = vdupq_n_s32(0), s2 = vdupq_n_s32(0), s3 = vdupq_n_s32(0);
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const int8x16_t v = vld1q_s8(x + i);
        s0 = arch_mac16_s8(s0, v, vld1q_s8(w0 + i));
        s1 = arch_mac16_s8(s1, v, vld1q_s8(w1 + i));
        s2 = arch_mac16_s8(s2, v, vld1q_s8(w2 + i));
        s3 = arch_mac16_s8(s3, v, vld1q_s8(w3 + i));
    }
    if (i + 8 <= n) {
        const int8x8_t v = vld1_s8(x + i);
        s0 = arch_mac8_s8(s0, v, vld1_s8(w0 + i));
        s1 = arch_mac8_s8(s1, v, vld1_s8(w1 + i));
        s2 = arch_mac8_s8(s2, v, vld1_s8(w2 + i));
        s3 = arch_mac8_s8(s3, v, vld1_s8(w3 + i));
        i += 8;
    }
    int32_t t0 = arch_sum_s32(s0), t1 = arch_sum_s32(s1), t2 = arch_sum_s32(s2), t3 = arch_sum_s32(s3);
    for (; i < n; i++) {
        const int32_t v = x[i];
        t0 += v * w0[i];
        t1 += v * w1[i];
        t2 += v * w2[i];
        t3 += v * w3[i];
    }
    acc[0] += t0;
    acc[1] += t1;
    acc[2] += t2;
    acc[3] += t3;
}

/* Two output pixels at once (conv2d_s8 takes this path where the macro is defined and the
   generator passes `pairs`): four channels' weights, each loaded once, serve both windows,
   eight sums in registers. Without SDOT, two products are summed in int16 before they widen
   (VMULL, VMLAL, VPADAL): the generator passes `pairs` only for layers without a -128 weight,
   so two products fit. Inline, since models without an int8 convolution
   leave them unused. */
#define ARCH_DOT4X2_S8 1
/* The dot runs over windows of a multiple of this many values (Arch.twoPixelDot in the
   generator pads the weights to it). */
#define ARCH_DOT4X2_MULTIPLE 8

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

/* acc[k] += the dot product of window x with channel k's weights (w + k * n), and acc[4 + k]
   += that of window y, for k = 0..3, over the n values (a multiple of 8: the span) of each
   window in `pairs` (arch_pairs_s8). */
static inline void arch_dot4x2_s8(const int32_t *pairs, const int8_t *w, int32_t n, int32_t *acc)
{
    const int8_t *x = (const int8_t *)pairs, *y = x + n;
    const int8_t *w0 = w, *w1 = w + n, *w2 = w + 2 * n, *w3 = w + 3 * n;
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
