/* arch cpu: portable C99. On cores with 128-bit SIMD in every build (x86-64 SSE2, AArch64
   NEON), ARCH_AUTO_SIMD shapes some loops for the compiler's vectoriser, which gcc -O2 turns
   into SIMD code: wider blocks, windows padded with zeros. Elsewhere, or built with
   -DTMDL_CPU_SCALAR, the same kernels run scalar shapes over exact lengths. */
#if (defined(__SSE2__) || defined(__ARM_NEON)) && !defined(TMDL_CPU_SCALAR)
#define ARCH_AUTO_SIMD 1
#endif
