/* CONV2D, fp32. The sum runs in the file's order, input channel, kernel row, kernel
   column (weights [out_c][in_c][k_h][k_w]), from 0, then + bias, then the activation.
   Each window is first gathered into `col` (NAME_run's stack) in that order, padded taps
   as 0: they add 0 * w, which leaves the sum unchanged for the finite weights the
   generator accepts, exactly as in the reference. */
struct conv2d_f32_layer {
    uint16_t in_h, in_w, in_c, out_h, out_w, out_c; /* 16 bits, as in the file: less flash */
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
    uint8_t act;
    const float *weights;
    const float *bias;
};

static void conv2d_f32_window(const struct conv2d_f32_layer *p, const float *in, int32_t iy0, int32_t ix0, float *col)
{
    int32_t lo, hi;
    window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
    const int32_t step = p->dil_w * p->in_c;
    if (iy0 >= 0 && iy0 + (p->k_h - 1) * p->dil_h < p->in_h && lo == 0 && hi == p->k_w) {
        /* The whole window is inside: no checks. */
        const int32_t row_step = p->dil_h * p->in_w * p->in_c;
        for (int32_t ci = 0; ci < p->in_c; ci++) {
            const float *row = in + (iy0 * p->in_w + ix0) * p->in_c + ci;
            for (int32_t ky = 0; ky < p->k_h; ky++, row += row_step) {
                for (int32_t kx = 0; kx < p->k_w; kx++) {
                    *col++ = row[kx * step];
                }
            }
        }
        return;
    }
    for (int32_t ci = 0; ci < p->in_c; ci++) {
        for (int32_t ky = 0; ky < p->k_h; ky++, col += p->k_w) {
            const int32_t iy = iy0 + ky * p->dil_h;
            int32_t kx = 0;
            if (iy >= 0 && iy < p->in_h && lo < hi) {
                for (; kx < lo; kx++) {
                    col[kx] = 0.0f;
                }
                const float *x = in + (iy * p->in_w + ix0 + lo * p->dil_w) * p->in_c + ci;
                for (; kx < hi; kx++, x += step) {
                    col[kx] = *x;
                }
            }
            for (; kx < p->k_w; kx++) {
                col[kx] = 0.0f;
            }
        }
    }
}

static void conv2d_f32(const struct conv2d_f32_layer *p, const float *in, float *out, float *col)
{
    const int32_t window = p->in_c * p->k_h * p->k_w;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += p->out_c) {
            conv2d_f32_window(p, in, iy0, ox * p->stride_w - p->pad_left, col);
            const float *w = p->weights;
            int32_t co = 0;
            for (; co + 4 <= p->out_c; co += 4, w += 4 * window) {
                float sums[4];
                dot4_f32_ordered(col, w, window, window, sums);
                for (int32_t l = 0; l < 4; l++) {
                    out[co + l] = activate(sums[l] + p->bias[co + l], p->act);
                }
            }
            for (; co < p->out_c; co++, w += window) {
                out[co] = activate(dot_f32_ordered(col, w, window) + p->bias[co], p->act);
            }
        }
    }
}
