/* arch cpu, output pixels in lanes (emitted for models with a CONV2D layer of one input channel). */

/* A window of one input channel is short (9 values for 3x3), which the two-pixel dot pads to
   16 and copies per pixel pair. Here eight neighbouring output pixels of a row sit in the
   lanes: each tap is one load of their eight inputs (conv2d_s8_lanes lays them out), and four
   channels' sums, 32 in all, stay in registers. Only where gcc -O2 vectorises these loops
   (ARCH_AUTO_SIMD); elsewhere such layers take conv2d_s8's band. */
#if defined(ARCH_AUTO_SIMD)
#define ARCH_LANES 8

/* acc[8 * k + j] = bias[k] + the sum over taps t < window of x[offsets[t] + j] * w[k * window + t],
   for channels k = 0..3 and lanes j = 0..7. With `paired` (the layer has no -128 weight), two
   taps' products are summed in int16 before they are widened: |x * w| <= 128 * 127, and two of
   those fit. A function of its own: inlined into conv2d_s8, gcc keeps the sums in memory. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void arch_lanes4_s8(const int16_t *x, const int32_t *offsets, const int8_t *w, int32_t window, int32_t paired,
                           const int32_t *bias, int32_t *acc)
{
    int32_t a0[8], a1[8], a2[8], a3[8];
    for (int32_t j = 0; j < 8; j++) {
        a0[j] = bias[0];
        a1[j] = bias[1];
        a2[j] = bias[2];
        a3[j] = bias[3];
    }
    int32_t t = 0;
    for (; paired && t + 2 <= window; t += 2) {
        const int16_t *xt = x + offsets[t], *xu = x + offsets[t + 1];
        const int8_t *v = w + t + 1;
        const int32_t w0 = w[t], w1 = w[window + t], w2 = w[2 * window + t], w3 = w[3 * window + t];
        const int32_t v0 = v[0], v1 = v[window], v2 = v[2 * window], v3 = v[3 * window];
        for (int32_t j = 0; j < 8; j++) {
            const int32_t p = xt[j], q = xu[j];
            a0[j] += (int16_t)(p * w0 + q * v0);
            a1[j] += (int16_t)(p * w1 + q * v1);
            a2[j] += (int16_t)(p * w2 + q * v2);
            a3[j] += (int16_t)(p * w3 + q * v3);
        }
    }
    for (; t < window; t++) {
        const int16_t *xt = x + offsets[t];
        const int32_t w0 = w[t], w1 = w[window + t], w2 = w[2 * window + t], w3 = w[3 * window + t];
        for (int32_t j = 0; j < 8; j++) {
            const int32_t p = xt[j];
            a0[j] += p * w0;
            a1[j] += p * w1;
            a2[j] += p * w2;
            a3[j] += p * w3;
        }
    }
    memcpy(acc, a0, sizeof a0);
    memcpy(acc + 8, a1, sizeof a1);
    memcpy(acc + 16, a2, sizeof a2);
    memcpy(acc + 24, a3, sizeof a3);
}
#endif
