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
    /* Written out: gcc -O2 keeps a loop of four. */
#define ARCH_MAC_LANE(k) acc[k] += (int32_t)x[k] * w[k];
    ARCH_EACH_LANE(ARCH_MAC_LANE)
#undef ARCH_MAC_LANE
}

#if defined(ARCH_AUTO_SIMD)
/* Channels per arch_mac_wide_s8: whole blocks of 16 go first through the 3x3 depthwise path, in
   loops gcc -O2 vectorises (x86-64: two PMULLW per tap of 16 channels, against 16 IMULs). */
#define ARCH_MAC_WIDE 16

/* acc[k] += x[k] * w[k] for k < ARCH_MAC_WIDE. */
static inline void arch_mac_wide_s8(int32_t *acc, const int8_t *x, const int8_t *w)
{
    for (int32_t k = 0; k < ARCH_MAC_WIDE; k++) {
        acc[k] += (int32_t)x[k] * w[k];
    }
}
#endif
