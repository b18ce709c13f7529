/* DWCONV2D, int8, depth multiplier 1. Weights are stored [k_h][k_w][c] (reordered from the
   file's [c][k_h][k_w]), so a tap of a block of channels is contiguous in the HWC input and in
   the weights. Per output pixel, the offsets of its taps inside the input are listed once (in
   `taps`, NAME_run's stack: 2 * k_h * k_w words); then each block of ARCH_MAC_BLOCK channels
   sums over them with its sums in registers, and goes through the output stage. Padded taps add
   in_zp times their weights. A 3x3 window needs no list: its nine taps are pointers, into the
   input or, padded, to a row of in_zp, and the block sums them written out; the tap list is
   compiled in only for models that need it (DWCONV2D_HWC_S8_TAP_LIST). Output pixels are
   written in raster order, each after its window is read (the arena planner's in-place rule
   relies on it). */
/* A whole block's outputs, channels ch .. ch + ARCH_MAC_BLOCK - 1, four lanes at a time and
   written out (ARCH_MAC_BLOCK is a multiple of 4): gcc keeps a loop over them, with the sums in
   memory. */
static inline void dwconv2d_hwc_s8_output(const struct requant_s8 *rq, const int32_t *acc, int32_t ch, int8_t *out)
{
#define DWCONV2D_OUTPUT(k) if ((k) % 4 == 0) { requant4_s8(rq, acc + (k), ch + (k), out + ch + (k)); }
    ARCH_EACH_LANE(DWCONV2D_OUTPUT)
#undef DWCONV2D_OUTPUT
}

#if defined(DWCONV2D_HWC_S8_TAP_LIST)
/* Pairs (input offset, weight offset) of the taps of output pixel (iy0, ix0) inside the input,
   from the front of `taps`, and the weight offsets of the padded ones from its back; returns
   the count inside, and the padded count through `padded`. */
static int32_t dwconv2d_hwc_s8_taps(const struct dwconv2d_hwc_s8_layer *p, int32_t iy0, int32_t ix0, int32_t *taps,
                                    int32_t *padded)
{
    const int32_t c = p->channels;
    int32_t inside = 0, outside = 0;
    int32_t *back = taps + 2 * p->k_h * p->k_w;
    for (int32_t ky = 0; ky < p->k_h; ky++) {
        const int32_t iy = iy0 + ky * p->dil_h;
        for (int32_t kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = ix0 + kx * p->dil_w;
            const int32_t weight = (ky * p->k_w + kx) * c;
            if (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w) {
                taps[2 * inside] = (iy * p->in_w + ix) * c;
                taps[2 * inside + 1] = weight;
                inside++;
            } else {
                *--back = weight;
                outside++;
            }
        }
    }
    *padded = outside;
    return inside;
}

/* One output pixel's channels ch .. ch + count - 1: bias, the window sums, the output stage.
   `count` is ARCH_MAC_BLOCK for all blocks but a last, partial one: inlined with that constant,
   the sums stay in registers. `pad` is the kernel's row of in_zp. */
static inline void dwconv2d_hwc_s8_block(const struct dwconv2d_hwc_s8_layer *p, const struct requant_s8 *rq,
                                         const int8_t *in, const int8_t *pad, int8_t *out, const int32_t *taps,
                                         int32_t inside, int32_t padded, int32_t ch, int32_t count)
{
    const int8_t *w = p->weights + ch;
    int32_t acc[ARCH_MAC_BLOCK];
    for (int32_t k = 0; k < count; k++) {
        acc[k] = p->bias[ch + k];
    }
    int32_t t = 0;
#if defined(ARCH_MAC_PAIR_S8)
    for (; p->paired && count == ARCH_MAC_BLOCK && t + 2 <= inside; t += 2) {
        const int32_t *pair = taps + 2 * t;
        arch_mac_pair_s8(acc, in + pair[0] + ch, w + pair[1], in + pair[2] + ch, w + pair[3]);
    }
#endif
    for (; t < inside; t++) {
        const int8_t *x = in + taps[2 * t] + ch;
        if (count == ARCH_MAC_BLOCK) {
            arch_mac_block_s8(acc, x, w + taps[2 * t + 1]);
        } else {
            for (int32_t k = 0; k < count; k++) {
                acc[k] += (int32_t)x[k] * w[taps[2 * t + 1] + k];
            }
        }
    }
    const int32_t *back = taps + 2 * p->k_h * p->k_w;
    if (count == ARCH_MAC_BLOCK) {
        /* A padded tap reads in_zp for every channel: a block of the row, through the arch's multiply-accumulate. */
        for (int32_t t = 1; t <= padded; t++) {
            arch_mac_block_s8(acc, pad, w + back[-t]);
        }
    } else {
        for (int32_t t = 1; t <= padded; t++) {
            for (int32_t k = 0; k < count; k++) {
                acc[k] += p->in_zp * w[back[-t] + k];
            }
        }
    }
    if (count == ARCH_MAC_BLOCK) {
        dwconv2d_hwc_s8_output(rq, acc, ch, out);
        return;
    }
    for (int32_t k = 0; k < count; k++) {
        out[ch + k] = requant_s8(rq, acc[k], ch + k);
    }
}
#elif 8 % ARCH_MAC_BLOCK != 0
#error "without the tap list every channel must lie in a whole block: the generator checks whole blocks of 8"
#endif

#if defined(ARCH_MAC_WIDE)
/* Channels c0 .. c0 + ARCH_MAC_WIDE - 1 of an output pixel of a 3x3 window without dilation (of c
   channels), over its nine taps `xs`, from `bias` and weights `w` of channel c0 on: the loops, the
   taps' and the output stage's, stay loops for the compiler's vectoriser. A function of its own,
   so that gcc sees that no tap reaches `acc` (else it would want a run-time alias check and keep
   the loops scalar); pointers at c0, not the layer, so that gcc does not specialise it for a
   layer too narrow to call it, and then warn about that layer's bounds. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void dwconv2d_hwc_s8_3x3_wide(const struct requant_s8 *rq, const int8_t *const *xs, const int32_t *bias,
                                     const int8_t *w, int32_t c, int32_t c0, int8_t *out)
{
    int32_t acc[ARCH_MAC_WIDE];
    memcpy(acc, bias, sizeof acc);
    for (int32_t t = 0; t < 9; t++) {
        arch_mac_wide_s8(acc, xs[t] + c0, w + t * c);
    }
#if defined(REQUANT_WIDE_S8)
    requant_wide_s8(rq, acc, c0, out);
#else
    for (int32_t k = 0; k < ARCH_MAC_WIDE; k += 4) {
        requant4_s8(rq, acc + k, c0 + k, out + k);
    }
#endif
}
#endif

/* An output pixel of a 3x3 window without dilation: each whole block of channels sums the
   nine taps `xs` (a tap's first channel, or for a padded tap the row of in_zp), without a tap
   list. Returns the channels done. */
static int32_t dwconv2d_hwc_s8_3x3(const struct dwconv2d_hwc_s8_layer *p, const struct requant_s8 *rq,
                                   const int8_t *const *xs, int8_t *out)
{
    const int32_t c = p->channels;
    int32_t ch = 0;
#if defined(ARCH_MAC_WIDE)
    for (; ch + ARCH_MAC_WIDE <= c; ch += ARCH_MAC_WIDE) {
        dwconv2d_hwc_s8_3x3_wide(rq, xs, p->bias + ch, p->weights + ch, c, ch, out + ch);
    }
#endif
    for (; ch + ARCH_MAC_BLOCK <= c; ch += ARCH_MAC_BLOCK) {
        int32_t acc[ARCH_MAC_BLOCK];
#define DWCONV2D_BIAS(k) acc[k] = p->bias[ch + k];
        ARCH_EACH_LANE(DWCONV2D_BIAS)
#undef DWCONV2D_BIAS
        const int8_t *w = p->weights + ch;
#if defined(ARCH_MAC_PAIR_S8)
        if (p->paired) {
            /* The nine taps written out, two at a time (the weights' taps are c apart). */
            arch_mac_pair_s8(acc, xs[0] + ch, w, xs[1] + ch, w + c);
            arch_mac_pair_s8(acc, xs[2] + ch, w + 2 * c, xs[3] + ch, w + 3 * c);
            arch_mac_pair_s8(acc, xs[4] + ch, w + 4 * c, xs[5] + ch, w + 5 * c);
            arch_mac_pair_s8(acc, xs[6] + ch, w + 6 * c, xs[7] + ch, w + 7 * c);
            arch_mac_block_s8(acc, xs[8] + ch, w + 8 * c);
            dwconv2d_hwc_s8_output(rq, acc, ch, out);
            continue;
        }
#endif
        /* A loop over the rows (not written out): with all nine taps in a row gcc unpacks every
           word first and runs out of registers. */
        for (int32_t ky = 0; ky < 3; ky++, w += 3 * c) {
            arch_mac_block_s8(acc, xs[3 * ky] + ch, w);
            arch_mac_block_s8(acc, xs[3 * ky + 1] + ch, w + c);
            arch_mac_block_s8(acc, xs[3 * ky + 2] + ch, w + 2 * c);
        }
        dwconv2d_hwc_s8_output(rq, acc, ch, out);
    }
    return ch;
}

/* The nine taps of output pixel (iy0, ix0) for dwconv2d_hwc_s8_3x3: inside the input, or
   `pad` (channels bytes of in_zp). */
static void dwconv2d_hwc_s8_3x3_taps(const struct dwconv2d_hwc_s8_layer *p, const int8_t *in, const int8_t *pad,
                                     int32_t iy0, int32_t ix0, const int8_t **xs)
{
    const int32_t c = p->channels;
    for (int32_t ky = 0; ky < 3; ky++) {
        const int32_t iy = iy0 + ky;
        for (int32_t kx = 0; kx < 3; kx++) {
            const int32_t ix = ix0 + kx;
            const int32_t inside = iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w;
            xs[3 * ky + kx] = inside ? in + (iy * p->in_w + ix) * c : pad;
        }
    }
}

/* `taps` (NAME_run's stack) holds 2 * k_h * k_w words for a tap list, then a row of channels
   bytes of in_zp that padded taps read (the 3x3 path's pointers and the tap list's blocks). */
static void dwconv2d_hwc_s8(const struct dwconv2d_hwc_s8_layer *p, const int8_t *in, int8_t *out, int32_t *taps)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t c = p->channels;
    const int32_t row = p->in_w * c;
    const int32_t unrolled = p->k_h == 3 && p->k_w == 3 && p->dil_h == 1 && p->dil_w == 1;
    int8_t *pad = (int8_t *)(taps + 2 * p->k_h * p->k_w);
    memset(pad, (int)p->in_zp, (size_t)c);
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int32_t rows_inside = iy0 >= 0 && iy0 + 3 <= p->in_h;
        for (int32_t ox = 0; ox < p->out_w; ox++, out += c) {
            const int32_t ix0 = ox * p->stride_w - p->pad_left;
            int32_t ch = 0;
            if (unrolled) {
                const int8_t *xs[9];
                if (rows_inside && ix0 >= 0 && ix0 + 3 <= p->in_w) {
                    const int8_t *x = in + iy0 * row + ix0 * c;
                    xs[0] = x;
                    xs[1] = x + c;
                    xs[2] = x + 2 * c;
                    xs[3] = x + row;
                    xs[4] = x + row + c;
                    xs[5] = x + row + 2 * c;
                    xs[6] = x + 2 * row;
                    xs[7] = x + 2 * row + c;
                    xs[8] = x + 2 * row + 2 * c;
                } else {
                    dwconv2d_hwc_s8_3x3_taps(p, in, pad, iy0, ix0, xs);
                }
                ch = dwconv2d_hwc_s8_3x3(p, &rq, xs, out);
                if (ch == c) {
                    continue;
                }
            }
#if defined(DWCONV2D_HWC_S8_TAP_LIST)
            int32_t padded;
            const int32_t inside = dwconv2d_hwc_s8_taps(p, iy0, ix0, taps, &padded);
            for (; ch + ARCH_MAC_BLOCK <= c; ch += ARCH_MAC_BLOCK) {
                dwconv2d_hwc_s8_block(p, &rq, in, pad, out, taps, inside, padded, ch, ARCH_MAC_BLOCK);
            }
            if (ch < c) {
                dwconv2d_hwc_s8_block(p, &rq, in, pad, out, taps, inside, padded, ch, c - ch);
            }
#endif
        }
    }
}
