/* arch armdsp: the ARMv7E-M DSP instructions (Cortex-M4, M7, M33, M55) through arm_acle.h.
   Four int8 values are read as one word (these cores load unaligned words); SXTB16
   sign-extends bytes 0 and 2 into the two int16 halves of a word, and bytes 1 and 3 after a
   rotation by 8; SMLAD and SMLAxy multiply halves and add into 32 bits. */
#if !defined(__ARM_FEATURE_DSP)
#error "this file was generated with --arch armdsp: build it for an ARMv7E-M core (e.g. -mcpu=cortex-m4)"
#endif
#include <arm_acle.h>

static inline int32_t arch_word_s8(const int8_t *p)
{
    int32_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

/* Bytes 0 and 2 of a word as two int16 halves. */
static inline int32_t arch_even_s8(int32_t word)
{
    return __sxtb16(word);
}

/* Bytes 1 and 3 of a word as two int16 halves: SXTB16 with its rotation, which gcc does not
   fold from a separate rotate (clang does). */
static inline int32_t arch_odd_s8(int32_t word)
{
#if defined(__GNUC__) && !defined(__clang__)
    int32_t halves;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(halves) : "r"(word));
    return halves;
#else
    return __sxtb16((int32_t)(((uint32_t)word >> 8) | ((uint32_t)word << 24)));
#endif
}

/* v saturated to [-128, 127]: one SSAT (sat8_s32 uses it). */
#define ARCH_SAT8 1

static inline TMDL_MAYBE_UNUSED int32_t arch_sat8(int32_t v)
{
    return __ssat(v, 8);
}

/* Weights low and high (int8 values) as one word of two int16 halves, for arch_tap_pair. */
static inline TMDL_MAYBE_UNUSED int32_t arch_tap_weights(int32_t low, int32_t high)
{
    return (int32_t)(((uint32_t)low & 0xffffu) | ((uint32_t)high << 16));
}

/* acc + x[0] * w's low half + x[1] * w's high half: two int16 values read as one word against two
   weights packed in one (the tap pairs of conv2d_s8 and dwconv2d_hwc_s8_planes). */
static inline TMDL_MAYBE_UNUSED int32_t arch_tap_pair(int32_t acc, const int16_t *x, int32_t w)
{
    int32_t inputs;
    memcpy(&inputs, x, sizeof inputs);
    return __smlad(inputs, w, acc);
}

/* acc + a * w's low half + b * w's high half (SMLABB, SMLABT): a and b are int16 values. */
static inline TMDL_MAYBE_UNUSED int32_t arch_tap_halves(int32_t acc, int32_t a, int32_t b, int32_t w)
{
    return __smlabt(b, w, __smlabb(a, w, acc));
}
