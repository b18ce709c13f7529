/* The two-pixel dot's windows, for the archs whose dot reads them as bytes (cpu, neon; armdsp
   unpacks its own). */

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
