/* SOFTMAX, fp32, over the channels of each pixel: TinyMaix's steps, as for int8, with
   out = (e - 0.000001f) / sum (tiny negative outputs are the reference behaviour). */
struct softmax_f32_layer {
    int32_t rows, channels;
};

static void softmax_f32(const struct softmax_f32_layer *p, const float *in, float *out)
{
    for (int32_t r = 0; r < p->rows; r++, in += p->channels, out += p->channels) {
        float max = -3.40282347e+38f;
        float sum = 0.0f;
        for (int32_t c = 0; c < p->channels; c++) {
            max = in[c] > max ? in[c] : max;
        }
        for (int32_t c = 0; c < p->channels; c++) {
            out[c] = exp_f32(in[c] - max);
            sum = sum + out[c];
        }
        for (int32_t c = 0; c < p->channels; c++) {
            out[c] = (out[c] - 0.000001f) / sum;
        }
    }
}
