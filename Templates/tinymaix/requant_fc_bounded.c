/* FC output stage, tinymaix profile, in the form the generator proved exact for this model:
   the value lies inside int32 for every accumulator the layer can reach, so it is truncated
   and saturated to int8 as an integer (sat8_s32: what sat8 gives). */
struct requant_fc_s8 {
    float in_scale, weight_scale, out_scale, out_zp;
};

static inline int8_t requant_fc_s8(const struct requant_fc_s8 *q, int32_t acc)
{
    return sat8_s32((int32_t)((((float)acc * q->in_scale) * q->weight_scale) / q->out_scale + q->out_zp));
}
