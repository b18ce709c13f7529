/* float -> int8: truncate toward zero, then clamp to [-128, 127] (the tinymaix profile's
   fix for TinyMaix's wrapping cast). NaN, only reachable with absurd scales, gives 0. */
static inline int8_t sat8(float v)
{
    if (v != v) {
        return 0;
    }
    if (v >= 127.0f) {
        return 127;
    }
    if (v <= -128.0f) {
        return -128;
    }
    return (int8_t)(int32_t)v; /* through int32: one VCVT and a register move, not a trip through memory */
}
