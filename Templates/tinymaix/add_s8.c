/* ADD, int8, with the quantisation the file stores for each input:
   ((float)(a - a_zp) * a_scale + (float)(b - b_zp) * b_scale) / out_scale + out_zp. */
struct add_s8_layer {
    int32_t count, a_zp, b_zp;
    float a_scale, b_scale, out_scale, out_zp;
};

static void add_s8(const struct add_s8_layer *p, const int8_t *a, const int8_t *b, int8_t *out)
{
    for (int32_t i = 0; i < p->count; i++) {
        const float sum = (float)(a[i] - p->a_zp) * p->a_scale + (float)(b[i] - p->b_zp) * p->b_scale;
        out[i] = sat8(sum / p->out_scale + p->out_zp);
    }
}
