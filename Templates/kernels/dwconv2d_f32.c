/* DWCONV2D, fp32: output channel c reads input channel c / depth_mul; the sum runs over
   kernel rows then columns from 0, then + bias, then the activation. Padded taps (0 * w)
   leave the sum unchanged and are skipped. */
struct dwconv2d_f32_layer {
    uint16_t in_h, in_w, in_c, out_h, out_w, out_c; /* 16 bits, as in the file: less flash */
    uint16_t depth_mul;
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
    uint8_t act;
    const float *weights;
    const float *bias;
};

static void dwconv2d_f32(const struct dwconv2d_f32_layer *p, const float *in, float *out)
{
    const int32_t step = p->dil_w * p->in_c;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += p->out_c) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            int32_t lo, hi;
            window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
            for (int32_t co = 0; co < p->out_c; co++) {
                const float *w = p->weights + co * p->k_h * p->k_w;
                float sum = 0.0f;
                for (int32_t ky = 0; ky < p->k_h; ky++, w += p->k_w) {
                    const int32_t iy = iy0 + ky * p->dil_h;
                    if (iy < 0 || iy >= p->in_h) {
                        continue;
                    }
                    const float *x = in + (iy * p->in_w + ix0 + lo * p->dil_w) * p->in_c + co / p->depth_mul;
                    for (int32_t kx = lo; kx < hi; kx++, x += step) {
                        sum = sum + *x * w[kx];
                    }
                }
                out[co] = activate(sum + p->bias[co], p->act);
            }
        }
    }
}
