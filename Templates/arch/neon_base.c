/* arch neon: ARM Advanced SIMD, for AArch64 and ARMv7-A (-mfpu=neon). */
#if !defined(__ARM_NEON)
#error "this file was generated with --arch neon: build it for AArch64, or ARMv7-A with -mfpu=neon"
#endif
#include <arm_neon.h>
