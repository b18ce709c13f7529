/* arch neon, channel-wise multiply-accumulate, 8 channels at a time: one VMULL per 8 products
   (each fits int16), widened into the int32 sums (VADDW). */

/* acc[i] += x[i] * w[i] for i < n: one tap of a depthwise window over all channels. */
static void arch_mac_s8(int32_t *acc, const int8_t *x, const int8_t *w, int32_t n)
{
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const int16x8_t p = vmull_s8(vld1_s8(x + i), vld1_s8(w + i));
        vst1q_s32(acc + i, vaddw_s16(vld1q_s32(acc + i), vget_low_s16(p)));
        vst1q_s32(acc + i + 4, vaddw_s16(vld1q_s32(acc + i + 4), vget_high_s16(p)));
    }
    for (; i < n; i++) {
        acc[i] += (int32_t)x[i] * w[i];
    }
}

/* acc[i] += v * w[i] for i < n: a padded tap (v is the input zero point, any int32). */
static void arch_mac_scalar_s8(int32_t *acc, int32_t v, const int8_t *w, int32_t n)
{
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const int16x8_t w16 = vmovl_s8(vld1_s8(w + i));
        vst1q_s32(acc + i, vmlaq_n_s32(vld1q_s32(acc + i), vmovl_s16(vget_low_s16(w16)), v));
        vst1q_s32(acc + i + 4, vmlaq_n_s32(vld1q_s32(acc + i + 4), vmovl_s16(vget_high_s16(w16)), v));
    }
    for (; i < n; i++) {
        acc[i] += v * w[i];
    }
}
