/* SOFTMAX, int8, over the channels of each pixel, exactly TinyMaix's float steps:
   d = (float)(x - in_zp) * in_scale; e = (float)exp((double)(d - max)); sum += e in channel
   order; out = sat8(((e - 0.000001f) / sum) / out_scale + out_zp). The exponentials are
   computed again in the last pass instead of being kept: the same inputs give the same
   values, and the kernel needs no scratch memory. */
struct softmax_s8_layer {
    int32_t rows, channels, in_zp;
    float in_scale, out_scale, out_zp;
};

static void softmax_s8(const struct softmax_s8_layer *p, const int8_t *in, int8_t *out)
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
            sum = sum + (float)exp((double)(d - max));
        }
        for (int32_t c = 0; c < p->channels; c++) {
            const float d = (float)(in[c] - p->in_zp) * p->in_scale;
            const float e = (float)exp((double)(d - max));
            out[c] = sat8(((e - 0.000001f) / sum) / p->out_scale + p->out_zp);
        }
    }
}
