/* DWCONV2D, int8, depth multiplier 1: the layer's parameters, for dwconv2d_hwc_s8 and
   dwconv2d_hwc_s8_planes. Weights are stored [k_h][k_w][c] (reordered from the file's [c][k_h][k_w]). */
struct dwconv2d_hwc_s8_layer {
    uint16_t in_h, in_w, channels, out_h, out_w; /* 16 bits, as in the file: less flash */
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
#if defined(ARCH_MAC_PAIR_S8)
    uint8_t paired; /* taps may go two at a time through arch_mac_pair_s8 */
#endif
    int16_t in_zp; /* an int8 zero point */
    const int8_t *weights;
    const int32_t *bias;
    struct requant_s8 rq; /* the numerics profile's output stage */
};
