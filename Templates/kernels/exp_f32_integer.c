/* exp_f32(d) = (float)exp((double)d), the reference's exponential, in integer arithmetic: the
   form for cores without a double FPU, where the C library's exp is done in software (about
   1,900 instructions on a Cortex-M4F, against about 90 here).
   For -87 <= d <= 0 (softmax's d - max; elsewhere the C library's exp serves):
   e^d = 2^(-n/8) * e^s, n the integer nearest -d * 8 / ln 2 and s = d + n * ln2/8 (|s| <= 0.0434),
   with -d exact in Q56, e^s a polynomial of degree 6 in fixed point and 2^(-n/8) from a table.
   The result is good to 2^-37; where it lies within 2^-34 of a midpoint between two floats (one
   value in 1,000), its rounding is left to the C library's exp. So every result is the float
   nearest e^d that any exp good to 2^-34 rounds to: the reference's, bit for bit. */

/* 2^(-j/8) in Q63, j = 0..7. */
static const uint64_t exp_f32_steps[8] = {
    0x8000000000000000u, 0x75606373ee921c97u, 0x6ba27e656b4eb57au, 0x62b39508aa836d6fu,
    0x5a827999fcef3242u, 0x52ff6b54d8a89c75u, 0x4c1bf828c6dc54b8u, 0x45cae0f1f545eb73u,
};

/* (a * b) >> 64, less at most 3: the cross products' low halves and al * bl are dropped. */
static inline uint64_t exp_f32_mulhi(uint64_t a, uint64_t b)
{
    const uint32_t ah = (uint32_t)(a >> 32), al = (uint32_t)a, bh = (uint32_t)(b >> 32), bl = (uint32_t)b;
    return (uint64_t)ah * bh + (((uint64_t)ah * bl) >> 32) + (((uint64_t)al * bh) >> 32);
}

/* c + s * q, s in Q35 and c, q in Q31. */
static inline int32_t exp_f32_horner(int32_t c, int32_t s, int32_t q)
{
    return c + (int32_t)(((int64_t)s * q) >> 35);
}

static float exp_f32(float d)
{
    if (!(d >= -87.0f && d <= 0.0f)) {
        return (float)exp((double)d);
    }
    if (d > -9.31322575e-10f) {
        return 1.0f; /* |d| < 2^-30: e^d is within 2^-30 of 1, and 1 is the float nearest */
    }
    uint32_t bits;
    memcpy(&bits, &d, sizeof bits);
    /* -d in Q56, exact: 2^-30 <= -d < 2^7 shifts the 24-bit mantissa left by 3 to 39. */
    const int64_t magnitude = (int64_t)((uint64_t)((bits & 0x7fffffu) | 0x800000u) << (((bits >> 23) & 0xffu) - 94u));
    /* Any n near -d * 8 / ln 2 does (float rounding moves it by 1.2e-4 at most): s is exact. */
    const int32_t n = (int32_t)(d * -11.5415603f + 0.5f);
    const int64_t s = (int64_t)n * 0x162e42fefa39ef - magnitude; /* Q56: n * ln2/8 - (-d) */
    const int32_t s35 = (int32_t)(s >> 21);
    /* e^s = 1 + s + s^2 q, q = 1/2 + s/6 + s^2/24 + s^3/120 + s^4/720 in Q31 (the next term, s^7/5040,
       is below 2^-44). */
    int32_t q = exp_f32_horner(17895697, s35, 2982616);
    q = exp_f32_horner(89478485, s35, q);
    q = exp_f32_horner(357913941, s35, q);
    q = exp_f32_horner(1073741824, s35, q);
    const uint32_t square = (uint32_t)(((int64_t)s35 * s35) >> 30); /* s^2 in Q40 */
    const int64_t poly = ((int64_t)1 << 62) + s * 64 + (((int64_t)square * q) >> 9); /* e^s in Q62 */
    /* e^s * 2^(-j/8) in Q61, within [0.51, 1.05]: doubled below 1 (one less in the exponent), so that
       the float's 24 bits are bits 61 to 38. Then 2^(-n/8) = 2^(-j/8) * 2^(-(n >> 3)). */
    uint64_t value = exp_f32_mulhi((uint64_t)poly, exp_f32_steps[n & 7]);
    int32_t exponent = 127 - (n >> 3);
    if (!(value >> 61)) {
        value <<= 1;
        exponent--;
    }
    const uint64_t rest = value & (((uint64_t)1 << 38) - 1), half = (uint64_t)1 << 37;
    if (rest - half + ((uint64_t)1 << 27) <= (uint64_t)1 << 28) {
        return (float)exp((double)d); /* |rest - half| <= 2^27, 2^-34 of value: too near a midpoint */
    }
    /* The biased exponent less one, plus the mantissa with its leading bit: a mantissa rounded up to
       2^24 carries into the exponent. n <= 1004 keeps the exponent at 1 or more: e^-87 is a normal
       float. */
    bits = ((uint32_t)(exponent - 1) << 23) + (uint32_t)(value >> 38) + (rest > half);
    float result;
    memcpy(&result, &bits, sizeof result);
    return result;
}
