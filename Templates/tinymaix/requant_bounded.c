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

static inline int8_t requant_s8(const struct requant_s8 *q, int32_t acc, int32_t c)
{
    const int32_t v = (int32_t)((float)acc * q->scales[c] * q->inv_out_scale + q->out_zp);
    return (int8_t)(v < q->lo ? q->lo : v > q->hi ? q->hi : v);
}
