/* CONV2D, int8. Weights are stored [out_c][k_h][k_w][in_c] (reordered from the file's
   [out_c][in_c][k_h][k_w]; integer sums do not depend on order). Each output pixel's
   window is one contiguous run of k_h * k_w * in_c inputs: read in place when it is a
   single row inside the input, else gathered into `col` (NAME_run's stack) with padded
   taps set to in_zp. Then one dot product per output channel, four channels at a time. */
struct conv2d_s8_layer {
    int32_t in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t in_zp;
    const int8_t *weights;
    const int32_t *bias;
    struct requant_s8 rq; /* the numerics profile's output stage */
};

/* The window whose top-left tap is (iy0, ix0), as one contiguous run. */
static const int8_t *conv2d_s8_window(const struct conv2d_s8_layer *p, const int8_t *in, int32_t iy0, int32_t ix0,
                                      int8_t *col)
{
    const int32_t c = p->in_c;
    int32_t lo, hi;
    window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
    if (p->k_h == 1 && p->dil_w == 1 && iy0 >= 0 && iy0 < p->in_h && lo == 0 && hi == p->k_w) {
        return in + (iy0 * p->in_w + ix0) * c;
    }
    int8_t *out = col;
    for (int32_t ky = 0; ky < p->k_h; ky++, out += p->k_w * c) {
        const int32_t iy = iy0 + ky * p->dil_h;
        if (iy < 0 || iy >= p->in_h || lo >= hi) {
            memset(out, p->in_zp, (size_t)(p->k_w * c));
            continue;
        }
        if (lo > 0) {
            memset(out, p->in_zp, (size_t)(lo * c));
        }
        if (p->dil_w == 1) {
            memcpy(out + lo * c, in + (iy * p->in_w + ix0 + lo) * c, (size_t)((hi - lo) * c));
        } else {
            for (int32_t kx = lo; kx < hi; kx++) {
                memcpy(out + kx * c, in + (iy * p->in_w + ix0 + kx * p->dil_w) * c, (size_t)c);
            }
        }
        if (hi < p->k_w) {
            memset(out + hi * c, p->in_zp, (size_t)((p->k_w - hi) * c));
        }
    }
    return col;
}

static void conv2d_s8(const struct conv2d_s8_layer *p, const int8_t *in, int8_t *out, int8_t *col)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t window = p->k_h * p->k_w * p->in_c;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += p->out_c) {
            const int8_t *x = conv2d_s8_window(p, in, iy0, ox * p->stride_w - p->pad_left, col);
            const int8_t *w = p->weights;
            int32_t co = 0;
            for (; co + 4 <= p->out_c; co += 4, w += 4 * window) {
                int32_t acc[4] = {p->bias[co], p->bias[co + 1], p->bias[co + 2], p->bias[co + 3]};
                arch_dot4_s8(x, w, window, window, acc);
                for (int32_t l = 0; l < 4; l++) {
                    out[co + l] = requant_s8(&rq, acc[l], co + l);
                }
            }
            for (; co < p->out_c; co++, w += window) {
                const int32_t acc = p->bias[co] + arch_dot_s8(x, w, window);
                out[co] = requant_s8(&rq, acc, co);
            }
        }
    }
}
