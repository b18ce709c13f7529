/* arch neon, channel-wise multiply-accumulate, 8 channels at a time: one VMULL per 8 products
   (each fits int16), widened into the int32 sums (VADDW). */

/* Channels per arch_mac_block_s8. */
#define ARCH_MAC_BLOCK 8
/* `step(k)` for each channel k of a block, written out: with constant indices the sums stay in
   registers where a loop over k would keep them in memory. */
#define ARCH_EACH_LANE(step) step(0) step(1) step(2) step(3) step(4) step(5) step(6) step(7)

/* acc[k] += p[k] for k < 8, each int16 widened into its int32 sum (VADDW). */
static inline void arch_add_s16(int32_t *acc, int16x8_t p)
{
    vst1q_s32(acc, vaddw_s16(vld1q_s32(acc), vget_low_s16(p)));
    vst1q_s32(acc + 4, vaddw_s16(vld1q_s32(acc + 4), vget_high_s16(p)));
}

/* acc[k] += x[k] * w[k] for k < 8: one tap of a depthwise window over a block of channels. acc is
   the caller's local array: once inlined, its sums stay in registers. */
static inline void arch_mac_block_s8(int32_t *acc, const int8_t *x, const int8_t *w)
{
    arch_add_s16(acc, vmull_s8(vld1_s8(x), vld1_s8(w)));
}

/* Taps two at a time (dwconv2d_hwc_s8 takes this path where the macro is defined and the
   generator set the layer's `paired`): the two products of a channel are summed in int16
   (VMULL, VMLAL) before they widen, which the generator allows only for layers without a -128
   weight (|x * w| <= 128 * 127, and two of those fit). */
#define ARCH_MAC_PAIR_S8 1

/* acc[k] += x0[k] * w0[k] + x1[k] * w1[k] for k < 8. */
static inline void arch_mac_pair_s8(int32_t *acc, const int8_t *x0, const int8_t *w0, const int8_t *x1,
                                    const int8_t *w1)
{
    arch_add_s16(acc, vmlal_s8(vmull_s8(vld1_s8(x0), vld1_s8(w0)), vld1_s8(x1), vld1_s8(w1)));
}
