/* FC output stage, integer profile: clamp(MBQM(acc, M, s) + out_zp, -128, 127), one multiplier
   for the layer (derived from f32(in_s * ws[0]) / out_s). No activation. */
struct requant_fc_s8 {
    int32_t multiplier, shift, out_zp;
};

static inline int8_t requant_fc_s8(const struct requant_fc_s8 *q, int32_t acc)
{
    return out_code(mbqm(acc, q->multiplier, q->shift), q->out_zp, -128, 127);
}
