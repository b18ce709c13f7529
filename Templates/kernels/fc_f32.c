/* FC, fp32: a sequential sum in input order from 0, then + bias. No activation. */
struct fc_f32_layer {
    int32_t in_count, out_count;
    const float *weights;
    const float *bias;
};

static void fc_f32(const struct fc_f32_layer *p, const float *in, float *out)
{
    for (int32_t co = 0; co < p->out_count; co++) {
        const float *w = p->weights + co * p->in_count;
        float sum = 0.0f;
        for (int32_t i = 0; i < p->in_count; i++) {
            sum = sum + in[i] * w[i];
        }
        out[co] = sum + p->bias[co];
    }
}
