/* DWCONV2D, int8, depth multiplier 1. Weights are stored [k_h][k_w][c] (reordered from the
   file's [c][k_h][k_w]), so a tap of a block of channels is contiguous in the HWC input and in
   the weights. Per output pixel, the offsets of its taps inside the input are listed once (in
   `taps`, NAME_run's stack: 2 * k_h * k_w words); then each block of ARCH_MAC_BLOCK channels
   sums over them with its sums in registers, and goes through the output stage. Padded taps add
   in_zp times their weights. */
struct dwconv2d_hwc_s8_layer {
    int32_t in_h, in_w, channels, out_h, out_w;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t in_zp;
    const int8_t *weights;
    const int32_t *bias;
    struct requant_s8 rq; /* the numerics profile's output stage */
};

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
   the sums stay in registers. */
static inline void dwconv2d_hwc_s8_block(const struct dwconv2d_hwc_s8_layer *p, const struct requant_s8 *rq,
                                         const int8_t *in, int8_t *out, const int32_t *taps, int32_t inside,
                                         int32_t padded, int32_t ch, int32_t count)
{
    const int8_t *w = p->weights + ch;
    int32_t acc[ARCH_MAC_BLOCK];
    for (int32_t k = 0; k < count; k++) {
        acc[k] = p->bias[ch + k];
    }
    for (int32_t t = 0; t < inside; t++) {
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
    for (int32_t t = 1; t <= padded; t++) {
        for (int32_t k = 0; k < count; k++) {
            acc[k] += p->in_zp * w[back[-t] + k];
        }
    }
    for (int32_t k = 0; k < count; k++) {
        out[ch + k] = requant_s8(rq, acc[k], ch + k);
    }
}

static void dwconv2d_hwc_s8(const struct dwconv2d_hwc_s8_layer *p, const int8_t *in, int8_t *out, int32_t *taps)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_s8 rq = p->rq;
    const int32_t c = p->channels;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        for (int32_t ox = 0; ox < p->out_w; ox++, out += c) {
            int32_t padded;
            const int32_t inside = dwconv2d_hwc_s8_taps(
                p, oy * p->stride_h - p->pad_top, ox * p->stride_w - p->pad_left, taps, &padded);
            int32_t ch = 0;
            for (; ch + ARCH_MAC_BLOCK <= c; ch += ARCH_MAC_BLOCK) {
                dwconv2d_hwc_s8_block(p, &rq, in, out, taps, inside, padded, ch, ARCH_MAC_BLOCK);
            }
            if (ch < c) {
                dwconv2d_hwc_s8_block(p, &rq, in, out, taps, inside, padded, ch, c - ch);
            }
        }
    }
}
