/* FC output stage, tinymaix profile: (((float)acc * in_scale) * weight_scale) / out_scale + out_zp,
   saturated. No activation. */
struct requant_fc_s8 {
    float in_scale, weight_scale, out_scale, out_zp;
};

static inline int8_t requant_fc_s8(const struct requant_fc_s8 *q, int32_t acc)
{
    return sat8((((float)acc * q->in_scale) * q->weight_scale) / q->out_scale + q->out_zp);
}
