/* SOFTMAX, int8, over the channels of each pixel, exactly TinyMaix's float steps:
   d = (float)(x - in_zp) * in_scale; e = (float)exp((double)(d - max)); sum += e in channel
   order; out = sat8(((e - 0.000001f) / sum) / out_scale + out_zp). Each exponential (a double
   exp: dear on cores without a double FPU) is computed once and kept in `exps` (NAME_run's
   stack, one word per channel; memcpy moves the float bits in and out of the int32 words). */
struct softmax_s8_layer {
    int32_t rows, channels, in_zp;
    float in_scale, out_scale, out_zp;
};

static void softmax_s8(const struct softmax_s8_layer *p, const int8_t *in, int8_t *out, int32_t *exps)
{
    for (int32_t r = 0; r < p->rows; r++, in += p->channels, out += p->channels) {
        float max = -3.40282347e+38f;
        float sum = 0.0f;
        for (int32_t c = 0; c < p->channels; c++) {
            const float d = (float)(in[c] - p->in_zp) * p->in_scale;
            max = d > max ? d : max;
        }
        for (int32_t c = 0; c < p->channels; c++) {
            const float d = (float)(in[c] - p->in_zp) * p->in_scale;
            const float e = (float)exp((double)(d - max));
            memcpy(&exps[c], &e, sizeof e);
            sum = sum + e;
        }
        for (int32_t c = 0; c < p->channels; c++) {
            float e;
            memcpy(&e, &exps[c], sizeof e);
            out[c] = sat8(((e - 0.000001f) / sum) / p->out_scale + p->out_zp);
        }
    }
}
