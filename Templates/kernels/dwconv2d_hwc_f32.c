/* DWCONV2D, fp32, depth multiplier 1: all channels of an output pixel at once, weights
   [k_h][k_w][c]. Each channel's sum still runs over kernel rows then columns from 0 (the
   reference's order; padded taps, 0 * w, leave it unchanged and are skipped), then
   + bias, then the activation. `acc` holds out_c floats (NAME_run's stack). */
struct dwconv2d_hwc_f32_layer {
    uint16_t in_h, in_w, channels, out_h, out_w; /* 16 bits, as in the file: less flash */
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
    uint8_t act;
    const float *weights;
    const float *bias;
};

static void dwconv2d_hwc_f32(const struct dwconv2d_hwc_f32_layer *p, const float *in, float *out, float *acc)
{
    const int32_t c = p->channels;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += c) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            int32_t lo, hi;
            window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
            for (int32_t i = 0; i < c; i++) {
                acc[i] = 0.0f;
            }
            for (int32_t ky = 0; ky < p->k_h; ky++) {
                const int32_t iy = iy0 + ky * p->dil_h;
                if (iy < 0 || iy >= p->in_h) {
                    continue;
                }
                for (int32_t kx = lo; kx < hi; kx++) {
                    const float *x = in + (iy * p->in_w + ix0 + kx * p->dil_w) * c;
                    const float *w = p->weights + (ky * p->k_w + kx) * c;
                    for (int32_t i = 0; i < c; i++) {
                        acc[i] = acc[i] + x[i] * w[i];
                    }
                }
            }
            for (int32_t i = 0; i < c; i++) {
                out[i] = activate(acc[i] + p->bias[i], p->act);
            }
        }
    }
}
