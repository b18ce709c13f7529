/* CONV2D and DWCONV2D output stage, tinymaix profile: (float)acc * scales[c] (f32(ws[c] * in_s)),
   the activation, then * inv_out_scale + out_zp, saturated. */
struct requant_s8 {
    const float *scales;
    int32_t act;
    float inv_out_scale, out_zp;
};

/* Channel c's output stage with its constants out of memory: for loops over one channel's pixels,
   where each output store (int8_t may alias anything) would make the compiler load them again. */
struct requant_channel_s8 {
    float scale;
    int32_t act;
    float inv_out_scale, out_zp;
};

static inline struct requant_channel_s8 requant_channel_of_s8(const struct requant_s8 *q, int32_t c)
{
    const struct requant_channel_s8 k = {q->scales[c], q->act, q->inv_out_scale, q->out_zp};
    return k;
}

static inline int8_t requant_in_channel_s8(struct requant_channel_s8 k, int32_t acc)
{
    return sat8(activate((float)acc * k.scale, k.act) * k.inv_out_scale + k.out_zp);
}

static inline TMDL_MAYBE_UNUSED int8_t requant_s8(const struct requant_s8 *q, int32_t acc, int32_t c)
{
    return requant_in_channel_s8(requant_channel_of_s8(q, c), acc);
}

/* Channels c .. c + 3 from acc[0..3] to out[0..3]. */
static inline TMDL_MAYBE_UNUSED void requant4_s8(const struct requant_s8 *q, const int32_t *acc, int32_t c,
                                                  int8_t *out)
{
    for (int32_t l = 0; l < 4; l++) {
        out[l] = requant_s8(q, acc[l], c + l);
    }
}
