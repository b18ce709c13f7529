/* arch armdsp, channel-wise multiply-accumulate: per four channels, one word of inputs and one
   of weights, unpacked by SXTB16, and four SMLAxy (16 x 16 + 32). */

/* Channels per arch_mac_block_s8. */
#define ARCH_MAC_BLOCK 4
/* `step(k)` for each channel k of a block, written out: with constant indices the sums stay in
   registers where a loop over k would keep them in memory. */
#define ARCH_EACH_LANE(step) step(0) step(1) step(2) step(3)

/* acc[k] += x[k] * w[k] for k < 4: one tap of a depthwise window over a block of channels. acc is
   the caller's local array: once inlined, its sums stay in registers. */
static inline void arch_mac_block_s8(int32_t *acc, const int8_t *x, const int8_t *w)
{
    const int32_t xw = arch_word_s8(x), ww = arch_word_s8(w);
    const int32_t xe = arch_even_s8(xw), xo = arch_odd_s8(xw);
    const int32_t we = arch_even_s8(ww), wo = arch_odd_s8(ww);
    acc[0] = __smlabb(xe, we, acc[0]);
    acc[1] = __smlabb(xo, wo, acc[1]);
    acc[2] = __smlatt(xe, we, acc[2]);
    acc[3] = __smlatt(xo, wo, acc[3]);
}
