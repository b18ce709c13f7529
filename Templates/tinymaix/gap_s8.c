/* GAP, int8: per channel, the int32 sum over h*w pixels, C's truncating division by h*w,
   then ((float)(mean - in_zp) * in_scale) / out_scale + out_zp. */
struct gap_s8_layer {
    int32_t pixels, channels, in_zp;
    float in_scale, out_scale, out_zp;
};

static void gap_s8(const struct gap_s8_layer *p, const int8_t *in, int8_t *out)
{
    for (int32_t c = 0; c < p->channels; c++) {
        int32_t sum = 0;
        for (int32_t i = 0; i < p->pixels; i++) {
            sum += in[i * p->channels + c];
        }
        out[c] = sat8(((float)(sum / p->pixels - p->in_zp) * p->in_scale) / p->out_scale + p->out_zp);
    }
}
