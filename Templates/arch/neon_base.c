/* arch neon: ARM Advanced SIMD, for AArch64 and ARMv7-A (-mfpu=neon). */
#if !defined(__ARM_NEON)
#error "this file was generated with --arch neon: build it for AArch64, or ARMv7-A with -mfpu=neon"
#endif
#include <arm_neon.h>

/* The tinymaix output stage of four channels at once (requant4_s8 uses it where the generator
   chose that stage's integer clamp): lane for lane the scalar steps. (float)acc * scale * inv
   + zp as separate IEEE single operations rounded to nearest, VCVT's truncation toward zero
   as the C cast's, then the clamp to [lo, hi]. ARMv7 NEON flushes subnormals to zero, which
   cannot change an output: the generator keeps that stage only for normal scales, and a
   subnormal product after them is lost in + zp or truncates to 0 either way. */
#define ARCH_REQUANT4_S8 1

/* The four values before the clamp: (int32_t)((float)acc * scale * inv + zp). */
static inline int32x4_t arch_requant4_value(const int32_t *acc, const float *scales, float inv, float zp)
{
    const float32x4_t scaled = vmulq_f32(vcvtq_f32_s32(vld1q_s32(acc)), vld1q_f32(scales));
    return vcvtq_s32_f32(vaddq_f32(vmulq_n_f32(scaled, inv), vdupq_n_f32(zp)));
}

/* Four int8 lanes (the low half of v) to out. Callers narrow four lanes joined with zeros: an
   AArch64 narrow to a D register has zeroed the upper half already (with the lanes themselves,
   gcc moves them there first). */
static inline void arch_store4_s8(int8_t *out, int8x8_t v)
{
    const uint32_t bytes = vget_lane_u32(vreinterpret_u32_s8(v), 0);
    memcpy(out, &bytes, sizeof bytes);
}

static inline TMDL_MAYBE_UNUSED void arch_requant4_s8(const int32_t *acc, const float *scales, float inv, float zp,
                                                       int32_t lo, int32_t hi, int8_t *out)
{
    const int32x4_t value = arch_requant4_value(acc, scales, inv, zp);
    const int16x4_t halves = vmovn_s32(vminq_s32(vmaxq_s32(value, vdupq_n_s32(lo)), vdupq_n_s32(hi)));
    arch_store4_s8(out, vmovn_s16(vcombine_s16(halves, vdup_n_s16(0))));
}

/* The same with the clamp to the whole int8 range: two saturating narrows (VQMOVN). */
static inline TMDL_MAYBE_UNUSED void arch_requant4_sat_s8(const int32_t *acc, const float *scales, float inv, float zp,
                                                           int8_t *out)
{
    const int16x4_t halves = vqmovn_s32(arch_requant4_value(acc, scales, inv, zp));
    arch_store4_s8(out, vqmovn_s16(vcombine_s16(halves, vdup_n_s16(0))));
}
