/* arch armdsp, tap pairs (emitted for models with a CONV2D layer of one input channel). */

/* A layer of one input channel has its band laid out as int16 (conv2d_s8_tap_pairs): then two
   neighbouring values of a window, read as one word, go against two weights packed in one word
   in one SMLAD, with no unpacking per pixel. */
#define ARCH_TAP_PAIRS 1

/* acc + x[0] * w's low half + x[1] * w's high half. */
static inline int32_t arch_tap_pair(int32_t acc, const int16_t *x, int32_t w)
{
    int32_t inputs;
    memcpy(&inputs, x, sizeof inputs);
    return __smlad(inputs, w, acc);
}
