/* DWCONV2D, int8, depth multiplier 1: all channels of an output pixel at once. Weights
   are stored [k_h][k_w][c] (reordered from the file's [c][k_h][k_w]), so every tap is one
   pass over contiguous channels of the HWC input; `acc` holds out_c int32 sums
   (NAME_run's stack). Padded taps add in_zp times their weights. */
struct dwconv2d_hwc_s8_layer {
    int32_t in_h, in_w, channels, out_h, out_w;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t in_zp;
    const int8_t *weights;
    const int32_t *bias;
    struct requant_s8 rq; /* the numerics profile's output stage */
};

static void dwconv2d_hwc_s8(const struct dwconv2d_hwc_s8_layer *p, const int8_t *in, int8_t *out, int32_t *acc)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t c = p->channels;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += c) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            int32_t lo, hi;
            window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
            for (int32_t i = 0; i < c; i++) {
                acc[i] = p->bias[i];
            }
            for (int32_t ky = 0; ky < p->k_h; ky++) {
                const int32_t iy = iy0 + ky * p->dil_h;
                const int8_t *w = p->weights + ky * p->k_w * c;
                const int row_inside = iy >= 0 && iy < p->in_h;
                for (int32_t kx = 0; kx < p->k_w; kx++) {
                    if (row_inside && kx >= lo && kx < hi) {
                        arch_mac_s8(acc, in + (iy * p->in_w + ix0 + kx * p->dil_w) * c, w + kx * c, c);
                    } else {
                        arch_mac_scalar_s8(acc, p->in_zp, w + kx * c, c);
                    }
                }
            }
            for (int32_t i = 0; i < c; i++) {
                out[i] = requant_s8(&rq, acc[i], i);
            }
        }
    }
}
