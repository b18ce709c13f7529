/* DWCONV2D, int8. Output channel c reads input channel c / depth_mul; weights [out_c][k_h][k_w].
   Padded taps read in_zp. Requantisation as for CONV2D. */
struct dwconv2d_s8_layer {
    int32_t in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t depth_mul, act, in_zp;
    float out_zp, inv_out_scale;
    const int8_t *weights;
    const int32_t *bias;
    const float *scales;
};

static void dwconv2d_s8(const struct dwconv2d_s8_layer *p, const int8_t *in, int8_t *out)
{
    const int32_t window = p->k_h * p->k_w;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            const int inside = iy0 >= 0 && iy0 + (p->k_h - 1) * p->dil_h < p->in_h && ix0 >= 0
                && ix0 + (p->k_w - 1) * p->dil_w < p->in_w;
            for (int32_t co = 0; co < p->out_c; co++) {
                const int8_t *w = p->weights + co * window;
                const int8_t *x = in + co / p->depth_mul;
                int32_t acc = p->bias[co];
                for (int32_t ky = 0; ky < p->k_h; ky++) {
                    const int32_t iy = iy0 + ky * p->dil_h;
                    for (int32_t kx = 0; kx < p->k_w; kx++) {
                        const int32_t ix = ix0 + kx * p->dil_w;
                        int32_t v = p->in_zp;
                        if (inside || (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w)) {
                            v = x[(iy * p->in_w + ix) * p->in_c];
                        }
                        acc += v * w[ky * p->k_w + kx];
                    }
                }
                out[(oy * p->out_w + ox) * p->out_c + co] =
                    sat8(activate((float)acc * p->scales[co], p->act) * p->inv_out_scale + p->out_zp);
            }
        }
    }
}
