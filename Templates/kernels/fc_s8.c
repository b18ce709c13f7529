/* FC, int8, over the flattened input; weights [out_c][in_c], one weight scale, four output
   channels at a time. */
struct fc_s8_layer {
    int32_t in_count, out_count;
    const int8_t *weights;
    const int32_t *bias;
    struct requant_fc_s8 rq; /* the numerics profile's output stage */
};

static void fc_s8(const struct fc_s8_layer *p, const int8_t *in, int8_t *out)
{
    /* A local copy: stores through `out` (int8_t may alias anything) cannot change it. */
    const struct requant_fc_s8 rq = p->rq;
    const int8_t *w = p->weights;
    int32_t co = 0;
    for (; co + 4 <= p->out_count; co += 4, w += 4 * p->in_count) {
        int32_t acc[4] = {p->bias[co], p->bias[co + 1], p->bias[co + 2], p->bias[co + 3]};
        arch_dot4_s8(in, w, p->in_count, p->in_count, acc);
        for (int32_t l = 0; l < 4; l++) {
            out[co + l] = requant_fc_s8(&rq, acc[l]);
        }
    }
    for (; co < p->out_count; co++, w += p->in_count) {
        out[co] = requant_fc_s8(&rq, p->bias[co] + arch_dot_s8(in, w, p->in_count));
    }
}
