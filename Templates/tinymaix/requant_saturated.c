/* CONV2D and DWCONV2D output stage, tinymaix profile, in the form the generator proved exact
   for this model (as requant_bounded.c: the value lies inside int32 for every accumulator a
   layer can reach, and each step is monotone), where every layer's activation leaves the whole
   int8 range ([lo, hi] = [-128, 127], e.g. relu6 onto [0, 6] with zero point -128): the clamp is
   a saturation to int8 (sat8_s32), and the struct needs no bounds. */
struct requant_s8 {
    const float *scales;
    float inv_out_scale, out_zp;
};

/* Channel c's output stage with its constants out of memory: for loops over one channel's pixels,
   where each output store (int8_t may alias anything) would make the compiler load them again. */
struct requant_channel_s8 {
    float scale, inv_out_scale, out_zp;
};

static inline struct requant_channel_s8 requant_channel_of_s8(const struct requant_s8 *q, int32_t c)
{
    const struct requant_channel_s8 k = {q->scales[c], q->inv_out_scale, q->out_zp};
    return k;
}

static inline int8_t requant_in_channel_s8(struct requant_channel_s8 k, int32_t acc)
{
    return sat8_s32((int32_t)((float)acc * k.scale * k.inv_out_scale + k.out_zp));
}

static inline TMDL_MAYBE_UNUSED int8_t requant_s8(const struct requant_s8 *q, int32_t acc, int32_t c)
{
    return requant_in_channel_s8(requant_channel_of_s8(q, c), acc);
}

#if defined(ARCH_AUTO_SIMD) && (defined(ARCH_MAC_WIDE) || defined(ARCH_DOT4X2_S8) || defined(ARCH_LANES))
/* n lanes (a constant, at most 16): acc[k] with scale scales[k * step] to o[k] (step 1: a
   channel per lane; 0: one channel's pixels), in loops gcc -O2 vectorises: the float steps and
   the saturation four lanes at a time, then the narrowing stores. The values go through a local
   array: with a store through `o` in the first loop, which may alias the scales, gcc -O2 keeps
   it scalar. */
#define REQUANT_LANES_S8 1
static inline void requant_lanes_s8(const struct requant_s8 *q, const int32_t *acc, const float *scales, int32_t step,
                                    int8_t *o, int32_t n)
{
    const float inv_out_scale = q->inv_out_scale, out_zp = q->out_zp;
    int32_t v[16];
    for (int32_t k = 0; k < n; k++) {
        const int32_t value = (int32_t)((float)acc[k] * scales[k * step] * inv_out_scale + out_zp);
        const int32_t low = value < -128 ? -128 : value;
        v[k] = low > 127 ? 127 : low;
    }
    for (int32_t k = 0; k < n; k++) {
        o[k] = (int8_t)v[k];
    }
}
#endif

#if defined(ARCH_AUTO_SIMD) && defined(ARCH_MAC_WIDE)
/* Channels c .. c + ARCH_MAC_WIDE - 1 (the depthwise kernel's wide blocks) from acc to out. */
#define REQUANT_WIDE_S8 1
static inline void requant_wide_s8(const struct requant_s8 *q, const int32_t *acc, int32_t c, int8_t *out)
{
    requant_lanes_s8(q, acc, q->scales + c, 1, out, ARCH_MAC_WIDE);
}
#endif

#if defined(ARCH_AUTO_SIMD) && defined(ARCH_DOT4X2_S8)
/* Channels c .. c + 3 of two pixels (the two-pixel dot's sums): acc[0..3] to out, acc[4..7] to
   second, in one pass of eight lanes. `second` is written first (conv2d_s8 passes out for a lone
   last pixel). */
#define REQUANT_PAIR_S8 1
static inline void requant_pair_s8(const struct requant_s8 *q, const int32_t *acc, int32_t c, int8_t *out,
                                   int8_t *second)
{
    float scales[8];
    int8_t o[8];
    memcpy(scales, q->scales + c, 4 * sizeof scales[0]);
    memcpy(scales + 4, q->scales + c, 4 * sizeof scales[0]);
    requant_lanes_s8(q, acc, scales, 1, o, 8);
    memcpy(second, o + 4, 4);
    memcpy(out, o, 4);
}
#elif defined(ARCH_DOT4X2_S8) && defined(ARCH_REQUANT_PAIR_SCALAR)
/* The same in scalar code, for arches with float registers to spare: each scale is loaded once
   for both pixels, and all eight values are formed before the first store (which may alias the
   scales, so gcc would reload each one after it). */
#define REQUANT_PAIR_S8 1
static inline void requant_pair_s8(const struct requant_s8 *q, const int32_t *acc, int32_t c, int8_t *out,
                                   int8_t *second)
{
    const float *scale = q->scales + c;
    const float s0 = scale[0], s1 = scale[1], s2 = scale[2], s3 = scale[3];
    const float inv = q->inv_out_scale, zp = q->out_zp;
    const int32_t x0 = (int32_t)((float)acc[0] * s0 * inv + zp), x1 = (int32_t)((float)acc[1] * s1 * inv + zp);
    const int32_t x2 = (int32_t)((float)acc[2] * s2 * inv + zp), x3 = (int32_t)((float)acc[3] * s3 * inv + zp);
    const int32_t y0 = (int32_t)((float)acc[4] * s0 * inv + zp), y1 = (int32_t)((float)acc[5] * s1 * inv + zp);
    const int32_t y2 = (int32_t)((float)acc[6] * s2 * inv + zp), y3 = (int32_t)((float)acc[7] * s3 * inv + zp);
    second[0] = sat8_s32(y0);
    second[1] = sat8_s32(y1);
    second[2] = sat8_s32(y2);
    second[3] = sat8_s32(y3);
    out[0] = sat8_s32(x0);
    out[1] = sat8_s32(x1);
    out[2] = sat8_s32(x2);
    out[3] = sat8_s32(x3);
}
#endif

/* Channels c .. c + 3 from acc[0..3] to out[0..3]: four lanes at once where the arch has them. */
static inline TMDL_MAYBE_UNUSED void requant4_s8(const struct requant_s8 *q, const int32_t *acc, int32_t c,
                                                  int8_t *out)
{
#if defined(ARCH_REQUANT4_S8)
    arch_requant4_sat_s8(acc, q->scales + c, q->inv_out_scale, q->out_zp, out);
#else
    /* Written out: gcc keeps a loop of four, with its sums in memory. */
    out[0] = requant_s8(q, acc[0], c);
    out[1] = requant_s8(q, acc[1], c + 1);
    out[2] = requant_s8(q, acc[2], c + 2);
    out[3] = requant_s8(q, acc[3], c + 3);
#endif
}
