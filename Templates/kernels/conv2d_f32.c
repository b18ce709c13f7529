/* CONV2D, fp32. The sum runs in the file's order, input channel, kernel row, kernel
   column (weights [out_c][in_c][k_h][k_w]), starting from 0, then + bias, then the
   activation. Padded taps add 0 * w, which leaves the sum unchanged for the finite
   weights the generator accepts, so they are skipped. */
struct conv2d_f32_layer {
    int32_t in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t act;
    const float *weights;
    const float *bias;
};

static void conv2d_f32(const struct conv2d_f32_layer *p, const float *in, float *out)
{
    const int32_t window = p->in_c * p->k_h * p->k_w;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            for (int32_t co = 0; co < p->out_c; co++) {
                const float *w = p->weights + co * window;
                float sum = 0.0f;
                for (int32_t ci = 0; ci < p->in_c; ci++) {
                    for (int32_t ky = 0; ky < p->k_h; ky++) {
                        const int32_t iy = iy0 + ky * p->dil_h;
                        for (int32_t kx = 0; kx < p->k_w; kx++, w++) {
                            const int32_t ix = ix0 + kx * p->dil_w;
                            if (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w) {
                                sum = sum + in[(iy * p->in_w + ix) * p->in_c + ci] * *w;
                            }
                        }
                    }
                }
                out[(oy * p->out_w + ox) * p->out_c + co] = activate(sum + p->bias[co], p->act);
            }
        }
    }
}
