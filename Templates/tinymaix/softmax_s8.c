/* SOFTMAX, int8, over the channels of each pixel, exactly TinyMaix's float steps:
   d = (float)(x - in_zp) * in_scale; e = (float)exp((double)(d - max)) (exp_f32); sum += e in
   channel order; out = sat8(((e - 0.000001f) / sum) / out_scale + out_zp). Each exponential (on
   cores without a double FPU, dear even in integers) is computed once and kept in a slot of `exps`
   (NAME_run's stack; memcpy moves the float bits in and out of the int32 words): a slot per
   channel, or with `by_code`, for rows longer than 256, a slot per input code, since equal
   codes have equal exponentials. Code slots are marked -1 (no exponential is negative) while
   the row's maximum is found, and filled by the first channel with that code. */
struct softmax_s8_layer {
    int32_t rows, channels, in_zp, by_code;
    float in_scale, out_scale, out_zp;
};

static void softmax_s8(const struct softmax_s8_layer *p, const int8_t *in, int8_t *out, int32_t *exps)
{
    const float unset = -1.0f;
    for (int32_t r = 0; r < p->rows; r++, in += p->channels, out += p->channels) {
        float max = -3.40282347e+38f;
        float sum = 0.0f;
        for (int32_t c = 0; c < p->channels; c++) {
            const float d = (float)(in[c] - p->in_zp) * p->in_scale;
            max = d > max ? d : max;
            if (p->by_code) {
                memcpy(&exps[(uint8_t)in[c]], &unset, sizeof unset);
            }
        }
        for (int32_t c = 0; c < p->channels; c++) {
            int32_t *slot = &exps[p->by_code ? (uint8_t)in[c] : c];
            float e = unset;
            if (p->by_code) {
                memcpy(&e, slot, sizeof e);
            }
            if (e < 0.0f) {
                const float d = (float)(in[c] - p->in_zp) * p->in_scale;
                e = exp_f32(d - max);
                memcpy(slot, &e, sizeof e);
            }
            sum = sum + e;
        }
        for (int32_t c = 0; c < p->channels; c++) {
            float e;
            memcpy(&e, &exps[p->by_code ? (uint8_t)in[c] : c], sizeof e);
            out[c] = sat8(((e - 0.000001f) / sum) / p->out_scale + p->out_zp);
        }
    }
}
