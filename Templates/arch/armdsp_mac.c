/* arch armdsp, channel-wise multiply-accumulate: per four channels, one word of inputs and one
   of weights, unpacked by SXTB16, and four SMLAxy (16 x 16 + 32). */

/* acc[i] += x[i] * w[i] for i < n: one tap of a depthwise window over all channels. */
static void arch_mac_s8(int32_t *acc, const int8_t *x, const int8_t *w, int32_t n)
{
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const int32_t xw = arch_word_s8(x + i), ww = arch_word_s8(w + i);
        const int32_t xe = arch_even_s8(xw), xo = arch_odd_s8(xw);
        const int32_t we = arch_even_s8(ww), wo = arch_odd_s8(ww);
        acc[i] = __smlabb(xe, we, acc[i]);
        acc[i + 1] = __smlabb(xo, wo, acc[i + 1]);
        acc[i + 2] = __smlatt(xe, we, acc[i + 2]);
        acc[i + 3] = __smlatt(xo, wo, acc[i + 3]);
    }
    for (; i < n; i++) {
        acc[i] += (int32_t)x[i] * w[i];
    }
}

/* acc[i] += v * w[i] for i < n: a padded tap (v is the input zero point, any int32). */
static void arch_mac_scalar_s8(int32_t *acc, int32_t v, const int8_t *w, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        acc[i] += v * w[i];
    }
}
