/* CONV2D, fp32. The sum runs in the file's order, input channel, kernel row, kernel
   column (weights [out_c][in_c][k_h][k_w]), from 0, then + bias, then the activation.
   Output pixels go two at a time (an odd last one with itself), so each weight load serves
   both. Windows inside the input are read in place: their values in that order sit at
   `offsets` from the window's first input (the generator lays them out). Where a window of the
   two reaches the padding, both are first gathered into `windows` (NAME_run's stack; null for
   layers without padding) in that order, padded taps as 0, and read through the next `window`
   offsets (0, 1, 2, ...): padded taps add 0 * w, which leaves the sum unchanged for
   the finite weights the generator accepts, exactly as in the reference. Output channels go in
   blocks of eight, then one of four, their weights interleaved (dot_blocks_f32.c); the last few one
   at a time. Where the layer runs over its own input and its channels take more than one block,
   whose outputs could overwrite what the next block reads, the generator passes `stage` (2 *
   out_c values on NAME_run's stack; else null): the pair's outputs are staged there and copied
   out after its last block. */
struct conv2d_f32_layer {
    uint16_t in_h, in_w, in_c, out_h, out_w, out_c; /* 16 bits, as in the file: less flash */
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
    uint8_t act;
    const float *weights;
    const float *bias;
    const int32_t *offsets;
};

/* That window's values gathered into col in the sum's order, padded taps as 0. */
static void conv2d_f32_gather(const struct conv2d_f32_layer *p, const float *in, int32_t iy0, int32_t ix0, float *col)
{
    int32_t lo, hi;
    window_columns(ix0, p->k_w, p->dil_w, p->in_w, &lo, &hi);
    const int32_t step = p->dil_w * p->in_c;
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

/* out[l] = the activation of sums[l] + bias[l], for n channels (at most 8), each step over all of
   them (activate_block), which gcc -O2 turns into SIMD code where n is a constant. */
static inline void conv2d_f32_outputs(const float *sums, const float *bias, int32_t n, int act, float *out)
{
    float v[8];
    for (int32_t l = 0; l < n; l++) {
        v[l] = sums[l] + bias[l];
    }
    activate_block(v, n, act);
    memcpy(out, v, (size_t)n * sizeof v[0]);
}

static void conv2d_f32(const struct conv2d_f32_layer *p, const float *in, float *out, float *windows, float *stage)
{
    const int32_t window = p->in_c * p->k_h * p->k_w;
    const int32_t out_c = p->out_c;
    /* Output columns [inside_first, inside_last) have windows inside the input's columns. */
    int32_t inside_first = 0, inside_last = p->out_w;
    while (inside_first < p->out_w && inside_first * p->stride_w < p->pad_left) {
        inside_first++;
    }
    while (inside_last > inside_first
           && (inside_last - 1) * p->stride_w - p->pad_left + (p->k_w - 1) * p->dil_w >= p->in_w) {
        inside_last--;
    }
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int32_t rows_inside = iy0 >= 0 && iy0 + (p->k_h - 1) * p->dil_h < p->in_h;
        for (int32_t ox = 0; ox < p->out_w; ox += 2) {
            /* The pair's second pixel: the next one, or the first again where it is the last. */
            const int32_t two = ox + 1 < p->out_w;
            const int32_t ix0 = ox * p->stride_w - p->pad_left, ix1 = ix0 + two * p->stride_w;
            const float *x, *y;
            const int32_t *at = p->offsets;
            if (rows_inside && ox >= inside_first && ox + two < inside_last) {
                x = in + (iy0 * p->in_w + ix0) * p->in_c;
                y = in + (iy0 * p->in_w + ix1) * p->in_c;
            } else {
                conv2d_f32_gather(p, in, iy0, ix0, windows);
                conv2d_f32_gather(p, in, iy0, ix1, windows + window);
                x = windows;
                y = windows + window;
                at = p->offsets + window;
            }
            float *const dest = stage ? stage : out;
            const float *w = p->weights;
            int32_t co = 0;
            float sums[16];
            for (; co + 8 <= out_c; co += 8, w += 8 * window) {
                dot8x2_f32_at(x, y, at, w, window, sums);
                conv2d_f32_outputs(sums, p->bias + co, 8, p->act, dest + co);
                if (two) {
                    conv2d_f32_outputs(sums + 8, p->bias + co, 8, p->act, dest + out_c + co);
                }
            }
            if (co + 4 <= out_c) {
                dot4x2_f32_at(x, y, at, w, window, sums);
                conv2d_f32_outputs(sums, p->bias + co, 4, p->act, dest + co);
                if (two) {
                    conv2d_f32_outputs(sums + 4, p->bias + co, 4, p->act, dest + out_c + co);
                }
                co += 4;
                w += 4 * window;
            }
            for (; co < out_c; co++, w += window) {
                dest[co] = activate(dot1_f32_at(x, at, w, window) + p->bias[co], p->act);
                if (two) {
                    dest[out_c + co] = activate(dot1_f32_at(y, at, w, window) + p->bias[co], p->act);
                }
            }
            if (stage) {
                memcpy(out, stage, (size_t)((1 + two) * out_c) * sizeof *out);
            }
            out += (1 + two) * out_c;
        }
    }
}
