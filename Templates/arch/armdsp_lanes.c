/* arch armdsp, tap pairs (emitted for models with a CONV2D layer of one input channel). */

/* A layer of one input channel has its band laid out as int16 (conv2d_s8_tap_pairs): then two
   neighbouring values of a window, read as one word, go against two weights packed in one word
   in one SMLAD (arch_tap_pair, armdsp_base.c), with no unpacking per pixel. */
#define ARCH_TAP_PAIRS 1
