/* GAP, fp32: per channel, a sequential float sum over rows then columns, / (float)(h*w). */
struct gap_f32_layer {
    int32_t pixels, channels;
};

static void gap_f32(const struct gap_f32_layer *p, const float *in, float *out)
{
    for (int32_t c = 0; c < p->channels; c++) {
        float sum = 0.0f;
        for (int32_t i = 0; i < p->pixels; i++) {
            sum = sum + in[i * p->channels + c];
        }
        out[c] = sum / (float)p->pixels;
    }
}
