/* SOFTMAX, int8, integer profile: TFLite's reference kernel (gemmlowp fixed point, beta 1,
   output scale 1/256 and zero point -128) over the channels of each pixel. A difference d from
   the row maximum becomes SRDHM(d * 2^left_shift, multiplier) in Q5.26 and its exponential in
   Q0.31; differences below diff_min count as exp = 0 and give -128. The exponentials are
   computed again in the last pass instead of being kept: no scratch memory. */
struct softmax_s8_layer {
    int32_t rows, channels, multiplier, left_shift, diff_min;
};

/* SATSHL: v * 2^k, saturated to int32. */
static int32_t satshl(int32_t v, int32_t k)
{
    const int32_t limit = (int32_t)(((uint32_t)1 << (31 - k)) - 1u);
    return v > limit ? INT32_MAX : v < -limit ? INT32_MIN : v * (1 << k);
}

/* exp(a / 2^26) in Q0.31 for -2^31 < a <= 0 (gemmlowp exp_on_negative_values): a polynomial on
   [-1/4, 0), then one factor exp(-2^(k-26)) per set bit k of the remainder. */
static int32_t softmax_exp(int32_t a)
{
    static const int32_t barrel[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    if (a == 0) {
        return INT32_MAX;
    }
    const int32_t q = (a & ((1 << 24) - 1)) - (1 << 24);
    const int32_t remainder = q - a;
    const int32_t t = q * 32 + (1 << 28);
    const int32_t t2 = srdhm(t, t);
    const int32_t t3 = srdhm(t2, t);
    const int32_t t4 = srdhm(t2, t2);
    const int32_t poly = rdbpot(srdhm(rdbpot(t4, 2) + t3, 715827883) + t2, 1);
    int32_t r = 1895147668 + srdhm(1895147668, t + poly);
    for (int32_t k = 0; k < 7; k++) {
        if (remainder & (1 << (24 + k))) {
            r = srdhm(r, barrel[k]);
        }
    }
    return r;
}

/* 1 / (1 + a / 2^31) in Q0.31 for 0 <= a < 2^31 (gemmlowp, three Newton-Raphson steps). */
static int32_t softmax_reciprocal(int32_t a)
{
    const int32_t half = (int32_t)(((int64_t)a + ((int64_t)1 << 31)) / 2);
    int32_t x = 1515870810 + srdhm(half, -1010580540);
    for (int32_t i = 0; i < 3; i++) {
        const int32_t m = srdhm(half, x);
        x = x + satshl(srdhm(x, (1 << 29) - m), 2);
    }
    return satshl(x, 1);
}

/* exp of (d / 2^26 scaled by the input scale), for diff_min <= d <= 0. */
static int32_t softmax_s8_exp(const struct softmax_s8_layer *p, int32_t d)
{
    return softmax_exp(srdhm((int32_t)((int64_t)d * ((int64_t)1 << p->left_shift)), p->multiplier));
}

static void softmax_s8(const struct softmax_s8_layer *p, const int8_t *in, int8_t *out)
{
    for (int32_t r = 0; r < p->rows; r++, in += p->channels, out += p->channels) {
        int32_t max = -128;
        for (int32_t c = 0; c < p->channels; c++) {
            max = in[c] > max ? in[c] : max;
        }
        /* Q12.19 sum; at least 2^19 (the maximum's exp is ~1) and below 2^31 (rows < 4096). */
        int32_t sum = 0;
        for (int32_t c = 0; c < p->channels; c++) {
            if (in[c] - max >= p->diff_min) {
                sum += rdbpot(softmax_s8_exp(p, in[c] - max), 12);
            }
        }
        int32_t headroom = 0;
        while (((uint32_t)sum << headroom) < 0x80000000u) {
            headroom++;
        }
        const int32_t shift = 12 - headroom + 23;
        const int32_t reciprocal = softmax_reciprocal((int32_t)(((int64_t)sum << headroom) - ((int64_t)1 << 31)));
        for (int32_t c = 0; c < p->channels; c++) {
            if (in[c] - max < p->diff_min) {
                out[c] = -128;
                continue;
            }
            /* The product is >= 0, so a shift past 31 (rows of 512 or more) rounds it to 0. */
            const int32_t v = srdhm(reciprocal, softmax_s8_exp(p, in[c] - max));
            out[c] = out_code(shift > 31 ? 0 : rdbpot(v, shift), -128, -128, 127);
        }
    }
}
