/* CONV2D, int8. Weights are stored [out_c][k_h][k_w][in_c] (reordered from the file's
   [out_c][in_c][k_h][k_w]; integer sums do not depend on order), so each kernel row of an
   interior window is one contiguous dot product over k_w * in_c inputs. Padded taps read
   in_zp. Requantisation: (float)acc * scale[c], activation, then * inv_out_scale + out_zp. */
struct conv2d_s8_layer {
    int32_t in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t act, in_zp;
    float out_zp, inv_out_scale;
    const int8_t *weights;
    const int32_t *bias;
    const float *scales;
};

static void conv2d_s8(const struct conv2d_s8_layer *p, const int8_t *in, int8_t *out)
{
    const int32_t row = p->k_w * p->in_c;
    const int32_t window = p->k_h * row;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            const int rows_inside = iy0 >= 0 && iy0 + (p->k_h - 1) * p->dil_h < p->in_h;
            const int cols_inside = ix0 >= 0 && ix0 + (p->k_w - 1) * p->dil_w < p->in_w;
            for (int32_t co = 0; co < p->out_c; co++) {
                const int8_t *w = p->weights + co * window;
                int32_t acc = p->bias[co];
                for (int32_t ky = 0; ky < p->k_h; ky++, w += row) {
                    const int32_t iy = iy0 + ky * p->dil_h;
                    if (rows_inside && cols_inside && p->dil_w == 1) {
                        acc += arch_dot_s8(in + (iy * p->in_w + ix0) * p->in_c, w, row);
                        continue;
                    }
                    for (int32_t kx = 0; kx < p->k_w; kx++) {
                        const int32_t ix = ix0 + kx * p->dil_w;
                        const int8_t *wk = w + kx * p->in_c;
                        if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                            for (int32_t ci = 0; ci < p->in_c; ci++) {
                                acc += p->in_zp * wk[ci];
                            }
                        } else {
                            acc += arch_dot_s8(in + (iy * p->in_w + ix) * p->in_c, wk, p->in_c);
                        }
                    }
                }
                out[(oy * p->out_w + ox) * p->out_c + co] =
                    sat8(activate((float)acc * p->scales[co], p->act) * p->inv_out_scale + p->out_zp);
            }
        }
    }
}
