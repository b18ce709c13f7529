/* DWCONV2D, int8, 3x3, stride 1, undilated, channel by channel ("planes"), on an arch that multiplies
   pairs of int16 (armdsp: arch_tap_pair, SMLAD). dwconv2d_hwc_s8 unpacks every tap's input and weight
   words for each pixel and block of channels. Here each channel's input rows are laid out once as int16
   (the rows the next output row reads again are kept), so a window row is one word of two values
   against a weight word held in a register, plus its third value: three SMLADs and three 16 x 16
   multiply-accumulates per output. Outputs are written channel by channel, not in raster order: the
   generator takes this path only for layers whose output does not overlap their input (the arena
   planner's in-place contract, InPlaceAccess, is the raster-order kernel's). Stride 1 only: a second
   pixel loop for stride 2 would cost mbnet128 the flash it has left, for layers of a tenth of its
   depthwise MACs. `rows` (NAME_run's stack) holds three rows of out_w + 2 values. */

/* Values [from, to) of input row iy of channel ch (`column`: the channel's value in input column 0)
   into row, as int16: for rows outside the input, in_zp. The values outside [from, to) hold in_zp
   already (dwconv2d_hwc_s8_planes). */
static void dwconv2d_hwc_s8_plane_fill(const struct dwconv2d_hwc_s8_layer *p, const int8_t *column, int32_t iy,
                                       int32_t from, int32_t to, int16_t *row)
{
    const int32_t c = p->channels;
    if (iy < 0 || iy >= p->in_h) {
        for (int32_t j = from; j < to; j++) {
            row[j] = (int16_t)p->in_zp;
        }
        return;
    }
    const int8_t *src = column + iy * p->in_w * c;
    for (int32_t j = from; j < to; j++) {
        row[j] = src[(j - p->pad_left) * c];
    }
}

/* One output row of channel ch: n pixels, whose window rows start at x0, x1 and x2 and move one
   value a pixel, to o, c apart. w: the channel's weights as dwconv2d_hwc_s8_plane packs them. */
static inline void dwconv2d_hwc_s8_plane_pixels(const int16_t *x0, const int16_t *x1, const int16_t *x2, int8_t *o,
                                                int32_t n, int32_t c, const int32_t *w, int32_t bias,
                                                struct requant_channel_s8 rq)
{
    const int32_t pair0 = w[0], pair1 = w[1], pair2 = w[2], thirds = w[3], third2 = w[4];
    /* o stops at the last pixel: no pointer is formed past the output. */
    for (const int8_t *last = o + (n - 1) * c;; o += c, x0++, x1++, x2++) {
        int32_t acc = arch_tap_pair(bias, x0, pair0);
        acc = arch_tap_pair(acc, x1, pair1);
        acc = arch_tap_pair(acc, x2, pair2);
        acc = arch_tap_halves(acc, x0[2], x1[2], thirds);
        acc += x2[2] * third2;
        *o = requant_in_channel_s8(rq, acc);
        if (o == last) {
            return;
        }
    }
}

/* The layer, channel by channel. A function of its own: the pixel loop's sum, pointers and weight
   words take every register, and the loops around it would otherwise share them. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void dwconv2d_hwc_s8_planes(const struct dwconv2d_hwc_s8_layer *p, const int8_t *in, int8_t *out,
                                   int16_t *rows)
{
    const struct requant_s8 rq = p->rq;
    const int32_t c = p->channels, out_w = p->out_w, row_w = out_w + 2;
    /* Padding columns: the fills leave them as they are. */
    for (int32_t j = 0; j < 3 * row_w; j++) {
        rows[j] = (int16_t)p->in_zp;
    }
    /* Values [from, to) of a row inside the input read input columns. */
    const int32_t from = p->pad_left < row_w ? p->pad_left : row_w;
    const int32_t to = p->in_w + p->pad_left < row_w ? p->in_w + p->pad_left : row_w;
    for (int32_t ch = 0; ch < c; ch++) {
        /* Weights [ky][kx][c]: per kernel row, columns 0 and 1 in one word; the rows' third columns,
           0 and 1 in one word, then 2's. */
        const int8_t *w = p->weights + ch;
        int32_t packed[5];
        for (int32_t ky = 0; ky < 3; ky++) {
            packed[ky] = arch_tap_weights(w[3 * ky * c], w[(3 * ky + 1) * c]);
        }
        packed[3] = arch_tap_weights(w[2 * c], w[5 * c]);
        packed[4] = w[8 * c];
        const struct requant_channel_s8 channel_rq = requant_channel_of_s8(&rq, ch);
        /* Kernel rows 0, 1 and 2 of the current output row: the two the next one reads again move up,
           the third is filled anew. */
        int16_t *x0 = rows, *x1 = rows + row_w, *x2 = rows + 2 * row_w;
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            int32_t ky = 0;
            if (oy > 0) {
                int16_t *const spare = x0;
                x0 = x1;
                x1 = x2;
                x2 = spare;
                ky = 2;
            }
            int16_t *const slots[3] = {x0, x1, x2};
            for (; ky < 3; ky++) {
                dwconv2d_hwc_s8_plane_fill(p, in + ch, oy + ky - p->pad_top, from, to, slots[ky]);
            }
            int8_t *o = out + oy * out_w * c + ch;
            dwconv2d_hwc_s8_plane_pixels(x0, x1, x2, o, out_w, c, packed, p->bias[ch], channel_rq);
        }
    }
}
