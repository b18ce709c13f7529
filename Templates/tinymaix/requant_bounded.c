/* CONV2D and DWCONV2D output stage, tinymaix profile, in the form the generator proved exact
   for this model: (float)acc * scales[c] * inv_out_scale + out_zp lies inside int32 for every
   accumulator a layer can reach, and each step is monotone, so truncating it and clamping to
   [lo, hi] (the outputs at the activation's ends) gives what sat8(activate(...)) gives, with
   one conversion and two integer compares instead of a chain of float compares. */
struct requant_s8 {
    const float *scales;
    float inv_out_scale, out_zp;
    int32_t lo, hi;
};

/* Channel c's output stage with its constants out of memory: for loops over one channel's pixels,
   where each output store (int8_t may alias anything) would make the compiler load them again. */
struct requant_channel_s8 {
    float scale, inv_out_scale, out_zp;
    int32_t lo, hi;
};

static inline struct requant_channel_s8 requant_channel_of_s8(const struct requant_s8 *q, int32_t c)
{
    const struct requant_channel_s8 k = {q->scales[c], q->inv_out_scale, q->out_zp, q->lo, q->hi};
    return k;
}

static inline int8_t requant_in_channel_s8(struct requant_channel_s8 k, int32_t acc)
{
    const int32_t v = (int32_t)((float)acc * k.scale * k.inv_out_scale + k.out_zp);
    return (int8_t)(v < k.lo ? k.lo : v > k.hi ? k.hi : v);
}

static inline TMDL_MAYBE_UNUSED int8_t requant_s8(const struct requant_s8 *q, int32_t acc, int32_t c)
{
    return requant_in_channel_s8(requant_channel_of_s8(q, c), acc);
}

/* Channels c .. c + 3 from acc[0..3] to out[0..3]: four lanes at once where the arch has them. */
static inline TMDL_MAYBE_UNUSED void requant4_s8(const struct requant_s8 *q, const int32_t *acc, int32_t c,
                                                  int8_t *out)
{
#if defined(ARCH_REQUANT4_S8)
    arch_requant4_s8(acc, q->scales + c, q->inv_out_scale, q->out_zp, q->lo, q->hi, out);
#else
    /* Written out: gcc keeps a loop of four, with its sums in memory. */
    out[0] = requant_s8(q, acc[0], c);
    out[1] = requant_s8(q, acc[1], c + 1);
    out[2] = requant_s8(q, acc[2], c + 2);
    out[3] = requant_s8(q, acc[3], c + 3);
#endif
}
