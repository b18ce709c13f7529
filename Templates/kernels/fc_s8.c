/* FC, int8, over the flattened input; weights [out_c][in_c], one weight scale:
   (((float)acc * in_scale) * weight_scale) / out_scale + out_zp. No activation. */
struct fc_s8_layer {
    int32_t in_count, out_count;
    float in_scale, weight_scale, out_scale, out_zp;
    const int8_t *weights;
    const int32_t *bias;
};

static void fc_s8(const struct fc_s8_layer *p, const int8_t *in, int8_t *out)
{
    for (int32_t co = 0; co < p->out_count; co++) {
        const int32_t acc = p->bias[co] + arch_dot_s8(in, p->weights + co * p->in_count, p->in_count);
        out[co] = sat8((((float)acc * p->in_scale) * p->weight_scale) / p->out_scale + p->out_zp);
    }
}
