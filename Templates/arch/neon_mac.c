/* arch neon, channel-wise multiply-accumulate, 8 channels at a time: one VMULL per 8 products
   (each fits int16), widened into the int32 sums (VADDW). */

/* Channels per arch_mac_block_s8. */
#define ARCH_MAC_BLOCK 8
/* `step(k)` for each channel k of a block, written out: with constant indices the sums stay in
   registers where a loop over k would keep them in memory. */
#define ARCH_EACH_LANE(step) step(0) step(1) step(2) step(3) step(4) step(5) step(6) step(7)

/* acc[k] += x[k] * w[k] for k < 8: one tap of a depthwise window over a block of channels. acc is
   the caller's local array: once inlined, its sums stay in registers. */
static inline void arch_mac_block_s8(int32_t *acc, const int8_t *x, const int8_t *w)
{
    const int16x8_t p = vmull_s8(vld1_s8(x), vld1_s8(w));
    vst1q_s32(acc, vaddw_s16(vld1q_s32(acc), vget_low_s16(p)));
    vst1q_s32(acc + 4, vaddw_s16(vld1q_s32(acc + 4), vget_high_s16(p)));
}
