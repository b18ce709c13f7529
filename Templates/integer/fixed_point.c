/* The integer profile's fixed-point steps: TFLite's reference arithmetic, int64 intermediates
   (docs: numerics-integer.md). Negative values are never shifted right directly (that is
   implementation-defined in C99): floor(x / 2^e) of a negative x is ~(~x >> e). */

/* SRDHM: saturating rounding doubling high multiply, (a * b + nudge) / 2^31 truncated. */
static inline int32_t srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    const int64_t p = (int64_t)a * b;
    const int64_t q = p + (p >= 0 ? ((int64_t)1 << 30) : 1 - ((int64_t)1 << 30));
    return q >= 0 ? (int32_t)(q >> 31) : -(int32_t)((-q) >> 31);
}

/* RDBPOT: x / 2^e rounded half away from zero, 0 <= e <= 31. */
static inline int32_t rdbpot(int32_t x, int32_t e)
{
    const int32_t mask = (int32_t)(((uint32_t)1 << e) - 1u);
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    const int32_t down = x >= 0 ? x >> e : ~(~x >> e);
    return down + ((x & mask) > threshold ? 1 : 0);
}

/* clamp(v + zp, lo, hi) as int8, clamped before the addition so that it cannot overflow. */
static inline int8_t out_code(int32_t v, int32_t zp, int32_t lo, int32_t hi)
{
    v = v < lo - zp ? lo - zp : v;
    v = v > hi - zp ? hi - zp : v;
    return (int8_t)(v + zp);
}
