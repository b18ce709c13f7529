/* CONV2D, int8. A window's weights are stored [k_w][k_h][in_c] (reordered from the file's
   [in_c][k_h][k_w]; integer sums do not depend on order), so a window is k_w columns of
   k_h * in_c inputs; blocks of four output channels are laid out run by run (WeightPacking:
   run r of a block starts at 4 * r * run, whatever order the arch's dot4 reads within it).
   For each output row, the k_h input rows it reads are laid out once, column by column, in
   `band` (NAME_run's stack; padded taps hold in_zp): then each output pixel's window is one
   contiguous run of the band (with dilated columns, k_w runs), read in place by dot
   products, four output channels at a time. A 1x1 kernel without padding reads its input
   rows in place (`in_place`, set by the generator). Where the arch has a two-pixel dot
   (ARCH_DOT4X2_S8) and the generator sets `two_pixels`, output pixels go two at a time, over
   both windows laid out once as the arch takes them. Layers of one input channel (`one_channel`) take
   the arch's own path where it has one: output pixels in lanes (ARCH_LANES) or the window's values
   in pairs (ARCH_TAP_PAIRS). */
struct conv2d_s8_layer {
    uint16_t in_h, in_w, in_c, out_h, out_w, out_c; /* 16 bits, as in the file: less flash */
    uint16_t band_w;
    uint8_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left; /* 8 bits, as in the file */
    /* in_place: the kernel reads its input rows in place. one_channel: 1 where a layer of one input
       channel takes the arch's path (ARCH_LANES, ARCH_TAP_PAIRS), 2 if also no weight is -128 (then
       arch_lanes4_s8 sums two taps in int16). two_pixels: the layer takes the arch's two-pixel dot. */
    uint8_t in_place, one_channel, two_pixels;
    int16_t in_zp; /* an int8 zero point */
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
        } else if (c == 4) {
            /* One word, where conv2d_s8_copy's loop and tests cost four times as much. */
            for (int32_t bx = from; bx < to; bx++, slot += column, src += c) {
                memcpy(slot, src, 4);
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

#if defined(ARCH_LANES)
/* The most taps conv2d_s8_lanes takes (PixelLanes.maxTaps in the generator). */
#define CONV2D_S8_LANES_TAPS 64

/* For the kernel row reading input row iy: `s` rows of phase_w int16 values, s = stride_w, where
   value i of row f holds input column i * s + f - pad_left, or in_zp outside the input. Then
   output pixel ox's tap in kernel column kx reads value ox + kx / s of row kx % s: for neighbouring
   pixels, neighbouring values. s is a parameter so that calls with a literal stride unroll. */
static inline void conv2d_s8_lanes_rows(const struct conv2d_s8_layer *p, const int8_t *in, int32_t iy, int32_t s,
                                        int32_t phase_w, int16_t *rows)
{
    /* Locals: stores through `rows` (int16_t) may alias the struct's uint16_t fields. */
    const int32_t in_w = p->in_w, pad_left = p->pad_left;
    const int16_t in_zp = (int16_t)p->in_zp;
    const int32_t inside = iy >= 0 && iy < p->in_h;
    /* Values [lo, hi) read columns inside the input in every row: all rows at once, no tests. */
    int32_t lo = (pad_left + s - 1) / s, hi = (in_w + pad_left) / s;
    hi = !inside ? 0 : hi < phase_w ? hi : phase_w;
    lo = lo < hi ? lo : hi;
    const int8_t *src = in + (inside ? iy * in_w + lo * s - pad_left : 0);
    for (int32_t i = lo; i < hi; i++, src += s) {
        for (int32_t f = 0; f < s; f++) {
            rows[f * phase_w + i] = src[f];
        }
    }
    /* Then each row's others: in_zp, and near the edges columns inside the input for this row. */
    for (int32_t f = 0; f < s; f++) {
        int16_t *row = rows + f * phase_w;
        const int32_t lead = pad_left - f; /* value i reads column i * s - lead */
        /* Values [first, last) of this row read columns inside the input. */
        const int32_t first = lead > 0 ? (lead + s - 1) / s : 0;
        int32_t last = inside ? (in_w + lead + s - 1) / s : 0;
        last = last < phase_w ? last : phase_w;
        int32_t i = 0;
        for (; i < lo && i < first; i++) {
            row[i] = in_zp;
        }
        for (; i < lo; i++) {
            row[i] = in[iy * in_w + i * s - lead];
        }
        const int32_t from = hi > first ? hi : first;
        for (i = hi; i < from && i < phase_w; i++) {
            row[i] = in_zp;
        }
        for (i = from; i < last; i++) {
            row[i] = in[iy * in_w + i * s - lead];
        }
        for (i = from > last ? from : last; i < phase_w; i++) {
            row[i] = in_zp;
        }
    }
}

/* A CONV2D layer of one input channel (in_c = 1, out_c a multiple of 4, dil_w = 1, at most
   CONV2D_S8_LANES_TAPS taps), ARCH_LANES output pixels of a row at a time: each output row's
   kernel rows are laid out in `rows` (conv2d_s8_lanes_rows), then arch_lanes4_s8 runs four
   channels over the taps. Lanes past the row's end compute over in_zp and are not stored.
   Undilated kernel rows are kept by input row, in slot iy mod k_h (the k_h rows an output row
   reads take distinct slots): rows the next output row reads again are not laid out again. */
static void conv2d_s8_lanes(const struct conv2d_s8_layer *p, const int8_t *in, int8_t *out, int16_t *rows)
{
    const struct requant_s8 rq = p->rq;
    const int32_t s = p->stride_w, k_h = p->k_h, window = k_h * p->k_w, paired = p->one_channel == 2;
    const int32_t blocks = (p->out_w + ARCH_LANES - 1) / ARCH_LANES;
    const int32_t phase_w = blocks * ARCH_LANES + (p->k_w - 1) / s;
    /* Where tap t (the weights' order: kernel columns, then rows) reads: in its kernel row's slot,
       at columns[kx]. */
    int32_t columns[CONV2D_S8_LANES_TAPS], offsets[CONV2D_S8_LANES_TAPS], held[CONV2D_S8_LANES_TAPS];
    for (int32_t kx = 0; kx < p->k_w; kx++) {
        columns[kx] = kx % s * phase_w + kx / s;
    }
    for (int32_t ky = 0; ky < k_h; ky++) {
        held[ky] = INT32_MIN;
    }
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        for (int32_t ky = 0; ky < k_h; ky++) {
            const int32_t iy = iy0 + ky * p->dil_h;
            const int32_t slot = p->dil_h == 1 ? (iy % k_h + k_h) % k_h : ky;
            int16_t *kernel_row = rows + slot * s * phase_w;
            if (held[slot] != iy) {
                if (s == 2) {
                    conv2d_s8_lanes_rows(p, in, iy, 2, phase_w, kernel_row);
                } else {
                    conv2d_s8_lanes_rows(p, in, iy, s, phase_w, kernel_row);
                }
                held[slot] = p->dil_h == 1 ? iy : INT32_MIN;
            }
            for (int32_t kx = 0; kx < p->k_w; kx++) {
                offsets[kx * k_h + ky] = slot * s * phase_w + columns[kx];
            }
        }
        for (int32_t b = 0; b < blocks; b++) {
            const int32_t first = b * ARCH_LANES;
            const int32_t n = p->out_w - first < ARCH_LANES ? p->out_w - first : ARCH_LANES;
            for (int32_t co = 0; co < p->out_c; co += 4) {
                int32_t acc[4 * ARCH_LANES];
                int8_t o[4][ARCH_LANES];
                arch_lanes4_s8(rows + first, offsets, p->weights + co * window, window, paired, p->bias + co, acc);
                for (int32_t k = 0; k < 4; k++) {
#if defined(REQUANT_LANES_S8)
                    requant_lanes_s8(&rq, acc + k * ARCH_LANES, rq.scales + co + k, 0, o[k], ARCH_LANES);
#else
                    for (int32_t j = 0; j < ARCH_LANES; j++) {
                        o[k][j] = requant_s8(&rq, acc[k * ARCH_LANES + j], co + k);
                    }
#endif
                }
                /* Channels to pixels in a whole block, which gcc -O2 vectorises, then a word per pixel. */
                int8_t pixels[ARCH_LANES][4];
                for (int32_t j = 0; j < ARCH_LANES; j++) {
                    pixels[j][0] = o[0][j];
                    pixels[j][1] = o[1][j];
                    pixels[j][2] = o[2][j];
                    pixels[j][3] = o[3][j];
                }
                int8_t *pixel = out + (oy * p->out_w + first) * p->out_c + co;
                for (int32_t j = 0; j < n; j++, pixel += p->out_c) {
                    memcpy(pixel, pixels[j], 4);
                }
            }
        }
    }
}
#endif

#if defined(ARCH_TAP_PAIRS)
/* One channel (co) of an output row for conv2d_s8_tap_pairs: n pixels, whose windows start `step`
   values apart in the band, to o, out_c apart. A function of its own: inlined into conv2d_s8, gcc
   keeps the weight words on the stack. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void conv2d_s8_tap_row(const int16_t *x, int32_t step, const int32_t *wp, int32_t words, int32_t bias,
                              struct requant_channel_s8 rq, int8_t *o, int32_t n, int32_t out_c)
{
    /* o stops at the last pixel: no pointer is formed past the output. */
    const int8_t *last = o + (n - 1) * out_c;
    if (words == 5) {
        const int32_t w0 = wp[0], w1 = wp[1], w2 = wp[2], w3 = wp[3], w4 = wp[4];
        for (;; x += step, o += out_c) {
            int32_t acc = arch_tap_pair(bias, x, w0);
            acc = arch_tap_pair(acc, x + 2, w1);
            acc = arch_tap_pair(acc, x + 4, w2);
            acc = arch_tap_pair(acc, x + 6, w3);
            *o = requant_in_channel_s8(rq, arch_tap_pair(acc, x + 8, w4));
            if (o == last) {
                return;
            }
        }
    }
    for (;; x += step, o += out_c) {
        int32_t acc = bias;
        for (int32_t t = 0; t < words; t++) {
            acc = arch_tap_pair(acc, x + 2 * t, wp[t]);
        }
        *o = requant_in_channel_s8(rq, acc);
        if (o == last) {
            return;
        }
    }
}

/* A CONV2D layer of one input channel (in_c = 1, dil_w = 1) on an arch that multiplies pairs of
   int16 (ARCH_TAP_PAIRS). Its window is short (9 values for 3x3), and unpacking int8 windows per
   pixel would cost more than their products. So per output row, the band (conv2d_s8_band's layout:
   column by column, k_h values each) is laid out as int16, where each pixel's window is a run of
   `window` values; and the weights, once per layer, in words of two neighbouring window values (the
   last of an odd window with a zero weight). Then channel by channel, each pixel's window goes two
   values per word (arch_tap_pair): a 3x3 window in five words, the channel's weight words held in
   registers across the row. `packed` takes the weight words; `band` the band and one value more,
   which an odd window's last word reaches (against the zero weight). */
static void conv2d_s8_tap_pairs(const struct conv2d_s8_layer *p, const int8_t *in, int8_t *out, int32_t *packed,
                                int16_t *band)
{
    const int32_t k_h = p->k_h, window = k_h * p->k_w, words = (window + 1) / 2;
    const int32_t out_w = p->out_w, out_c = p->out_c, band_w = p->band_w, step = p->stride_w * k_h;
    for (int32_t co = 0; co < out_c; co++) {
        const int8_t *w = p->weights + co * window;
        for (int32_t t = 0; t < words; t++) {
            const int32_t high = 2 * t + 1 < window ? w[2 * t + 1] : 0;
            packed[co * words + t] = arch_tap_weights(w[2 * t], high);
        }
    }
    band[band_w * k_h] = 0;
    /* Band columns [first, last) lie inside the input (as in conv2d_s8_band); the others, and rows
       outside it, hold in_zp. */
    const int32_t first = p->pad_left < band_w ? p->pad_left : band_w;
    const int32_t last = p->in_w + p->pad_left < band_w ? p->in_w + p->pad_left : band_w;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        for (int32_t ky = 0; ky < k_h; ky++) {
            const int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dil_h;
            const int32_t inside = iy >= 0 && iy < p->in_h;
            const int32_t from = inside ? first : band_w, to = inside ? last : band_w;
            int16_t *slot = band + ky;
            int32_t bx = 0;
            for (; bx < from; bx++, slot += k_h) {
                *slot = (int16_t)p->in_zp;
            }
            /* No pointer is formed outside the input for rows outside it. */
            const int8_t *src = from < to ? in + iy * p->in_w + from - p->pad_left : in;
            for (; bx < to; bx++, slot += k_h) {
                *slot = *src++;
            }
            for (; bx < band_w; bx++, slot += k_h) {
                *slot = (int16_t)p->in_zp;
            }
        }
        for (int32_t co = 0; co < out_c; co++) {
            int8_t *o = out + oy * out_w * out_c + co;
            conv2d_s8_tap_row(band, step, packed + co * words, words, p->bias[co], requant_channel_of_s8(&p->rq, co), o,
                              out_w, out_c);
        }
    }
}
#endif

/* Pixels one at a time, for layers the two-pixel dot does not take: compiled in where the arch has no
   such dot, where it decides per build (ARCH_DOT4X2_TAKES), or where the generator found such a layer
   (CONV2D_S8_ONE_PIXEL). */
#if !defined(ARCH_DOT4X2_S8) || defined(ARCH_DOT4X2_TAKES) || defined(CONV2D_S8_ONE_PIXEL)
#define CONV2D_S8_PIXELS 1
#endif

/* NAME_run's stack scratch comes typed as it is used (C99's aliasing rules): `band` the input rows
   as bytes; `words` int32 (the two-pixel dot's sums and, on armdsp and neon, its windows; the tap
   pairs' weights); `halves` int16 (the lanes' rows, the tap pairs' band, cpu's windows). */
static void conv2d_s8(const struct conv2d_s8_layer *p, const int8_t *in, int8_t *out, int8_t *band, int32_t *words,
                      int16_t *halves)
{
    /* A model's layers may take neither. */
    (void)words;
    (void)halves;
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t column = p->k_h * p->in_c;
    const int32_t window = p->k_w * column;
#if defined(CONV2D_S8_PIXELS)
    /* A window's runs: the whole window, or one per kernel column when columns are dilated. */
#if defined(CONV2D_S8_DILATED)
    const int32_t runs = p->dil_w == 1 ? 1 : p->k_w;
#else
    const int32_t runs = 1;
#endif
    const int32_t run = window / runs;
#endif
#if defined(ARCH_LANES)
    if (p->one_channel) {
        conv2d_s8_lanes(p, in, out, halves);
        return;
    }
#elif defined(ARCH_TAP_PAIRS)
    if (p->one_channel) {
        conv2d_s8_tap_pairs(p, in, out, words, halves);
        return;
    }
#endif
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
           the arch pads them, else a channel's are `window` apart. Longer spans than the arch lays
           out at once go in parts (CONV2D_S8_PARTS). An odd last pixel goes with itself. */
        const int32_t span = (window + ARCH_DOT4X2_MULTIPLE - 1) / ARCH_DOT4X2_MULTIPLE * ARCH_DOT4X2_MULTIPLE;
        const int32_t stride = ARCH_DOT4X2_PADDED_WEIGHTS ? span : window;
#if defined(ARCH_DOT4X2_TAKES)
        /* The arch takes its two-pixel dot for some windows only. */
        const int32_t two_pixels = p->two_pixels && ARCH_DOT4X2_TAKES(window);
#else
        const int32_t two_pixels = p->two_pixels;
#endif
        arch_window_t *const windows = ARCH_DOT4X2_WINDOWS(words, halves);
        while (two_pixels && ox < p->out_w) {
            const int32_t step = ox + 1 < p->out_w ? 2 : 1;
            const int8_t *x = rows + ox * p->stride_w * column, *y = x + (step - 1) * p->stride_w * column;
            const int8_t *w = p->weights;
            /* A lone last pixel's copy writes its outputs first, then the pixel's own overwrite them. */
            int8_t *second = out + (step - 1) * p->out_c;
#if defined(CONV2D_S8_PARTS)
            if (span > ARCH_DOT4X2_MAX_VALUES) {
                /* `words` holds the sums of every channel; where the windows are words too, a part of
                   both follows. */
                conv2d_s8_pair_parts(x, y, window, span, w, stride, p->bias, p->out_c, words,
                                     ARCH_DOT4X2_WINDOWS(words + 2 * p->out_c, halves));
                for (int32_t co = 0; co < p->out_c; co += 4) {
#if defined(REQUANT_PAIR_S8)
                    requant_pair_s8(&rq, words + 2 * co, co, out + co, second + co);
#else
                    requant4_s8(&rq, words + 2 * co + 4, co, second + co);
                    requant4_s8(&rq, words + 2 * co, co, out + co);
#endif
                }
                ox += step;
                out += step * p->out_c;
                continue;
            }
#endif
            arch_pairs_s8(x, y, window, span, windows);
            for (int32_t co = 0; co < p->out_c; co += 4, w += 4 * stride) {
                int32_t acc[8];
                /* Copies, where gcc -O2 keeps a loop of four. */
                memcpy(acc, p->bias + co, 4 * sizeof acc[0]);
                memcpy(acc + 4, p->bias + co, 4 * sizeof acc[0]);
                arch_dot4x2_s8(windows, w, stride, span, acc);
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
#endif
#if defined(CONV2D_S8_PIXELS)
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
#if defined(CONV2D_S8_CHANNEL_TAIL)
            for (; co < p->out_c; co++, w += window) {
                int32_t acc = p->bias[co];
                for (int32_t r = 0; r < runs; r++) {
                    acc += arch_dot_s8(x + r * p->dil_w * column, w + r * run, run);
                }
                out[co] = requant_s8(&rq, acc, co);
            }
#endif
        }
#endif
    }
}
