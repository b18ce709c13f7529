/* arch rv32p: the RISC-V P extension (packed SIMD, draft 0.9.x) as T-Head E907 and Andes D45
   cores implement it. GNU as has no mnemonics for it, so each instruction is written as its raw
   encoding (.insn). Built with -DTMDL_RV32P_MODEL, or for anything but RV32, a C model of each
   instruction stands in: the same file then runs on any host or core. */
#if defined(__riscv) && __riscv_xlen == 32 && !defined(TMDL_RV32P_MODEL)
#define ARCH_RV32P_HARDWARE 1
#endif

/* Cores of this class may trap or crawl on misaligned words, so the primitives take the word
   path only for 4-byte-aligned data (gcc aligns the weight arrays on RISC-V) and tell the
   compiler so: one LW per word instead of four byte loads. */
#if defined(__GNUC__)
#define ARCH_ALIGNED4(p) __builtin_assume_aligned((p), 4)
#else
#define ARCH_ALIGNED4(p) (p)
#endif

static inline int arch_aligned4(const void *p)
{
    return ((uintptr_t)p & 3u) == 0;
}

/* The 4-byte-aligned word at p. */
static inline int32_t arch_word_s8(const int8_t *p)
{
    int32_t word;
    memcpy(&word, ARCH_ALIGNED4(p), sizeof word);
    return word;
}

/* SMAQA rd, rs1, rs2: rd plus the products of the four signed bytes of rs1 and rs2. */
static inline int32_t arch_smaqa(int32_t rd, int32_t rs1, int32_t rs2)
{
#if defined(ARCH_RV32P_HARDWARE)
    __asm__(".insn r 0x77, 0, 0x64, %0, %1, %2" : "+r"(rd) : "r"(rs1), "r"(rs2));
    return rd;
#else
    for (int32_t k = 0; k < 32; k += 8) {
        const int32_t a = (int32_t)((((uint32_t)rs1 >> k) & 0xFFu) ^ 0x80u) - 0x80;
        const int32_t b = (int32_t)((((uint32_t)rs2 >> k) & 0xFFu) ^ 0x80u) - 0x80;
        rd += a * b;
    }
    return rd;
#endif
}
