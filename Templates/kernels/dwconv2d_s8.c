/* DWCONV2D, int8. Output channel c reads input channel c / depth_mul; weights [out_c][k_h][k_w].
   Padded taps read in_zp. Requantisation as for CONV2D. */
struct dwconv2d_s8_layer {
    uint16_t in_h, in_w, in_c, out_h, out_w, out_c; /* 16 bits, as in the file: less flash */
    uint16_t depth_mul;
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
    int16_t in_zp; /* an int8 zero point */
    const int8_t *weights;
    const int32_t *bias;
    struct requant_s8 rq; /* the numerics profile's output stage */
};

static void dwconv2d_s8(const struct dwconv2d_s8_layer *p, const int8_t *in, int8_t *out)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t window = p->k_h * p->k_w;
    const int32_t step = p->dil_w * p->in_c;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += p->out_c) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            int32_t lo, hi;
            window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
            for (int32_t co = 0; co < p->out_c; co++) {
                const int8_t *w = p->weights + co * window;
                int32_t acc = p->bias[co];
                for (int32_t ky = 0; ky < p->k_h; ky++, w += p->k_w) {
                    const int32_t iy = iy0 + ky * p->dil_h;
                    if (iy < 0 || iy >= p->in_h || lo >= hi) {
                        for (int32_t kx = 0; kx < p->k_w; kx++) {
                            acc += p->in_zp * w[kx];
                        }
                        continue;
                    }
                    const int8_t *x = in + (iy * p->in_w + ix0 + lo * p->dil_w) * p->in_c + co / p->depth_mul;
                    for (int32_t kx = lo; kx < hi; kx++, x += step) {
                        acc += *x * w[kx];
                    }
                    for (int32_t kx = 0; kx < lo; kx++) {
                        acc += p->in_zp * w[kx];
                    }
                    for (int32_t kx = hi; kx < p->k_w; kx++) {
                        acc += p->in_zp * w[kx];
                    }
                }
                out[co] = requant_s8(&rq, acc, co);
            }
        }
    }
}
