/* CONV2D and DWCONV2D output stage, integer profile: clamp(MBQM(acc, M[c], s[c]) + out_zp, lo, hi),
   the activation folded into [lo, hi]. */
struct requant_s8 {
    const int32_t *multipliers;
    const int8_t *shifts;
    int32_t out_zp, lo, hi;
};

/* Channel c's output stage with its constants out of memory: for loops over one channel's pixels,
   where each output store (int8_t may alias anything) would make the compiler load them again. */
struct requant_channel_s8 {
    int32_t multiplier, shift, out_zp, lo, hi;
};

static inline struct requant_channel_s8 requant_channel_of_s8(const struct requant_s8 *q, int32_t c)
{
    const struct requant_channel_s8 k = {q->multipliers[c], q->shifts[c], q->out_zp, q->lo, q->hi};
    return k;
}

static inline int8_t requant_in_channel_s8(struct requant_channel_s8 k, int32_t acc)
{
    return out_code(mbqm(acc, k.multiplier, k.shift), k.out_zp, k.lo, k.hi);
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
