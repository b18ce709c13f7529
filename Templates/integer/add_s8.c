/* ADD, int8, integer profile (TFLite's, left shift 20): each input's quantisation is the one its
   producer wrote. y = RDBPOT(SRDHM((x - zp) * 2^20, M), r) per input, then
   out = clamp(RDBPOT(SRDHM(ya + yb, M_out), r_out) + out_zp, -128, 127); r are right shifts. */
struct add_s8_layer {
    int32_t count;
    int32_t a_zp, a_multiplier, a_right_shift;
    int32_t b_zp, b_multiplier, b_right_shift;
    int32_t out_multiplier, out_right_shift, out_zp;
};

static void add_s8(const struct add_s8_layer *p, const int8_t *a, const int8_t *b, int8_t *out)
{
    for (int32_t i = 0; i < p->count; i++) {
        const int32_t ya = rdbpot(srdhm((a[i] - p->a_zp) * (1 << 20), p->a_multiplier), p->a_right_shift);
        const int32_t yb = rdbpot(srdhm((b[i] - p->b_zp) * (1 << 20), p->b_multiplier), p->b_right_shift);
        out[i] = out_code(rdbpot(srdhm(ya + yb, p->out_multiplier), p->out_right_shift), p->out_zp, -128, 127);
    }
}
