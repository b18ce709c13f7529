/* CONV2D, int8. A window's weights are stored [k_w][k_h][in_c] (reordered from the file's
   [in_c][k_h][k_w]; integer sums do not depend on order), so a window is k_w columns of
   k_h * in_c inputs; blocks of four output channels are laid out run by run (WeightPacking:
   run r of a block starts at 4 * r * run, whatever order the arch's dot4 reads within it).
   For each output row, the k_h input rows it reads are laid out once, column by column, in
   `band` (NAME_run's stack; padded taps hold in_zp): then each output pixel's window is one
   contiguous run of the band (with dilated columns, k_w runs), read in place by dot
   products, four output channels at a time. A 1x1 kernel without padding reads its input
   rows in place (`in_place`, set by the generator). Where the arch has a two-pixel dot
   (ARCH_DOT4X2_S8) and the generator passes `pairs` (scratch for two windows as the arch lays
   them out), output pixels go two at a time. */
struct conv2d_s8_layer {
    uint16_t in_h, in_w, in_c, out_h, out_w, out_c; /* 16 bits, as in the file: less flash */
    uint16_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    uint16_t band_w, in_place;
    int32_t in_zp;
    const int8_t *weights;
    const int32_t *bias;
    struct requant_s8 rq; /* the numerics profile's output stage */
};

/* n bytes from s to d: word copies, then up to three bytes. Band columns are short (often
   a few bytes), where a call to the C library's memcpy costs more than the copy; no loop
   over single bytes, which gcc would turn back into that call. */
static void conv2d_s8_copy(int8_t *d, const int8_t *s, int32_t n)
{
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        int32_t word;
        memcpy(&word, s + i, sizeof word);
        memcpy(d + i, &word, sizeof word);
    }
    if (n - i >= 2) {
        d[i] = s[i];
        d[i + 1] = s[i + 1];
        i += 2;
    }
    if (i < n) {
        d[i] = s[i];
    }
}

/* The band of the output row whose first kernel row is input row iy0: band_w columns
   (input columns -pad_left onward) of k_h * in_c values, filled kernel row by kernel row. */
static void conv2d_s8_band(const struct conv2d_s8_layer *p, const int8_t *in, int32_t iy0, int8_t *band)
{
    const int32_t c = p->in_c, column = p->k_h * c;
    /* Band columns [first, last) lie inside the input; the others, and rows outside it, hold in_zp. */
    const int32_t first = p->pad_left < p->band_w ? p->pad_left : p->band_w;
    const int32_t last = p->in_w + p->pad_left < p->band_w ? p->in_w + p->pad_left : p->band_w;
    for (int32_t ky = 0; ky < p->k_h; ky++) {
        const int32_t iy = iy0 + ky * p->dil_h;
        int8_t *slots = band + ky * c;
        const int32_t inside = iy >= 0 && iy < p->in_h;
        const int32_t from = inside ? first : p->band_w, to = inside ? last : p->band_w;
        for (int32_t bx = 0; bx < from; bx++) {
            memset(slots + bx * column, p->in_zp, (size_t)c);
        }
        /* Input column bx - pad_left, one loop per kind of copy: no test per column. */
        const int8_t *src = from < to ? in + (iy * p->in_w + from - p->pad_left) * c : in;
        int8_t *slot = slots + from * column;
        if (c == 3) {
            /* RGB input layers: three bytes written out, where a byte loop costs as much again. */
            for (int32_t bx = from; bx < to; bx++, slot += column, src += c) {
                slot[0] = src[0];
                slot[1] = src[1];
                slot[2] = src[2];
            }
        } else if (c == 1) {
            for (int32_t bx = from; bx < to; bx++, slot += column) {
                *slot = *src++;
            }
        } else if (c < 4) {
            for (int32_t bx = from; bx < to; bx++, slot += column, src += c) {
                for (int32_t i = 0; i < c; i++) {
                    slot[i] = src[i];
                }
            }
        } else {
            for (int32_t bx = from; bx < to; bx++, slot += column, src += c) {
                conv2d_s8_copy(slot, src, c);
            }
        }
        for (int32_t bx = to; bx < p->band_w; bx++) {
            memset(slots + bx * column, p->in_zp, (size_t)c);
        }
    }
}

static void conv2d_s8(const struct conv2d_s8_layer *p, const int8_t *in, int8_t *out, int8_t *band, int32_t *pairs)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t column = p->k_h * p->in_c;
    const int32_t window = p->k_w * column;
    /* A window's runs: the whole window, or one per kernel column when columns are dilated. */
    const int32_t runs = p->dil_w == 1 ? 1 : p->k_w;
    const int32_t run = window / runs;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int8_t *rows = band;
        if (p->in_place) {
            rows = in + iy0 * p->in_w * p->in_c;
        } else {
            conv2d_s8_band(p, in, iy0, band);
        }
        int32_t ox = 0;
#if defined(ARCH_DOT4X2_S8)
        /* The generator passes pairs only for undilated windows and whole blocks of channels. The
           dot runs over `span` values, the window and zeros; the weights are laid out for it where
           the arch pads them, else a channel's are `window` apart. An odd last pixel goes with
           itself. */
        const int32_t span = (window + ARCH_DOT4X2_MULTIPLE - 1) / ARCH_DOT4X2_MULTIPLE * ARCH_DOT4X2_MULTIPLE;
        const int32_t stride = ARCH_DOT4X2_PADDED_WEIGHTS ? span : window;
        while (pairs && ox < p->out_w) {
            const int32_t step = ox + 1 < p->out_w ? 2 : 1;
            const int8_t *x = rows + ox * p->stride_w * column;
            const int8_t *w = p->weights;
            /* A lone last pixel's copy writes its outputs first, then the pixel's own overwrite them. */
            int8_t *second = out + (step - 1) * p->out_c;
            arch_pairs_s8(x, x + (step - 1) * p->stride_w * column, window, span, pairs);
            for (int32_t co = 0; co < p->out_c; co += 4, w += 4 * stride) {
                int32_t acc[8];
                /* Copies, where gcc -O2 keeps a loop of four. */
                memcpy(acc, p->bias + co, 4 * sizeof acc[0]);
                memcpy(acc + 4, p->bias + co, 4 * sizeof acc[0]);
                arch_dot4x2_s8(pairs, w, stride, span, acc);
#if defined(REQUANT_PAIR_S8)
                requant_pair_s8(&rq, acc, co, out + co, second + co);
#else
                requant4_s8(&rq, acc + 4, co, second + co);
                requant4_s8(&rq, acc, co, out + co);
#endif
            }
            ox += step;
            out += step * p->out_c;
        }
#else
        (void)pairs;
#endif
        for (; ox < p->out_w; ox++, out += p->out_c) {
            const int8_t *x = rows + ox * p->stride_w * column;
            const int8_t *w = p->weights;
            int32_t co = 0;
            for (; co + 4 <= p->out_c; co += 4, w += 4 * window) {
                int32_t acc[4] = {p->bias[co], p->bias[co + 1], p->bias[co + 2], p->bias[co + 3]};
                if (runs == 1) {
                    /* One call, no loop around it: the loop cost ~2% on Cortex-M4 1x1 layers. */
                    arch_dot4_s8(x, w, window, window, acc);
                } else {
                    for (int32_t r = 0; r < runs; r++) {
                        arch_dot4_s8(x + r * p->dil_w * column, w + 4 * r * run, run, run, acc);
                    }
                }
                requant4_s8(&rq, acc, co, out + co);
            }
            for (; co < p->out_c; co++, w += window) {
                int32_t acc = p->bias[co];
                for (int32_t r = 0; r < runs; r++) {
                    acc += arch_dot_s8(x + r * p->dil_w * column, w + r * run, run);
                }
                out[co] = requant_s8(&rq, acc, co);
            }
        }
    }
}
