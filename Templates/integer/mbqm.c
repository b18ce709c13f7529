/* MBQM: x * multiplier / 2^31 * 2^shift, rounded as TFLite does. A positive shift scales x
   first (saturated to int32: the spec requires it to fit, this keeps any input defined). */
static inline int32_t mbqm(int32_t x, int32_t multiplier, int32_t shift)
{
    if (shift > 0) {
        const int64_t scaled = (int64_t)x * ((int64_t)1 << shift);
        x = scaled > INT32_MAX ? INT32_MAX : scaled < INT32_MIN ? INT32_MIN : (int32_t)scaled;
        shift = 0;
    }
    return rdbpot(srdhm(x, multiplier), -shift);
}
