/* FC, fp32: a sequential sum in input order from 0, then + bias. No activation. */
struct fc_f32_layer {
    int32_t in_count, out_count;
    const float *weights;
    const float *bias;
};

static void fc_f32(const struct fc_f32_layer *p, const float *in, float *out)
{
    const float *w = p->weights;
    for (int32_t co = 0; co < p->out_count; co++, w += p->in_count) {
        out[co] = dot_f32_ordered(in, w, p->in_count) + p->bias[co];
    }
}
