/* GAP, int8, integer profile (TFLite's MEAN): per channel, the int32 sum over h*w pixels, then
   clamp(MBQM(sum - in_zp * pixels, M, s) + out_zp, -128, 127), with 1/pixels folded into M and s. */
struct gap_s8_layer {
    int32_t pixels, channels, in_zp, multiplier, shift, out_zp;
};

static void gap_s8(const struct gap_s8_layer *p, const int8_t *in, int8_t *out)
{
    for (int32_t c = 0; c < p->channels; c++) {
        int32_t sum = 0;
        for (int32_t i = 0; i < p->pixels; i++) {
            sum += in[i * p->channels + c];
        }
        out[c] = out_code(mbqm(sum - p->in_zp * p->pixels, p->multiplier, p->shift), p->out_zp, -128, 127);
    }
}
