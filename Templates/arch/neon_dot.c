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
static TMDL_MAYBE_UNUSED int32_t arch_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
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
static TMDL_MAYBE_UNUSED void arch_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n,
                                           int32_t *acc)
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
