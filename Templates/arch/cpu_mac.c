/* arch cpu, channel-wise multiply-accumulate: portable C99, in blocks of 16 as above. */

/* acc[i] += x[i] * w[i] for i < n: one tap of a depthwise window over all channels. */
static void arch_mac_s8(int32_t *acc, const int8_t *x, const int8_t *w, int32_t n)
{
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int32_t j = 0; j < 16; j++) {
            acc[i + j] += (int32_t)x[i + j] * w[i + j];
        }
    }
    for (; i < n; i++) {
        acc[i] += (int32_t)x[i] * w[i];
    }
}

/* acc[i] += v * w[i] for i < n: a padded tap (v is the input zero point). */
static void arch_mac_scalar_s8(int32_t *acc, int32_t v, const int8_t *w, int32_t n)
{
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int32_t j = 0; j < 16; j++) {
            acc[i + j] += v * w[i + j];
        }
    }
    for (; i < n; i++) {
        acc[i] += v * w[i];
    }
}
