/* arch cpu, channel-wise multiply-accumulate: portable C99. */

/* Channels per arch_mac_block_s8. */
#define ARCH_MAC_BLOCK 4
/* `step(k)` for each channel k of a block, written out: with constant indices the sums stay in
   registers where a loop over k would keep them in memory. */
#define ARCH_EACH_LANE(step) step(0) step(1) step(2) step(3)

/* acc[k] += x[k] * w[k] for k < ARCH_MAC_BLOCK: one tap of a depthwise window over a block of
   channels. acc is the caller's local array: once inlined, its sums stay in registers. */
static inline void arch_mac_block_s8(int32_t *acc, const int8_t *x, const int8_t *w)
{
    for (int32_t k = 0; k < ARCH_MAC_BLOCK; k++) {
        acc[k] += (int32_t)x[k] * w[k];
    }
}
