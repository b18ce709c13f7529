/// The instruction set the generated inner loops are written for. Every arch computes the
/// same bytes; only the arch primitives (`Templates/arch/ARCH_*.c`) differ.
public enum Arch: String, CaseIterable, Sendable {
    /// Portable C99: any compiler, any core (and libtcc on the host).
    case cpu
    /// ARM Advanced SIMD, AArch64 or ARMv7-A with -mfpu=neon; uses SDOT where the compiler
    /// targets the ARMv8.2 dot-product extension (e.g. -march=armv8.2-a+dotprod).
    case neon
    /// ARMv7E-M DSP instructions (Cortex-M4, M7, M33, M55): SMLAD and SXTB16 through arm_acle.h.
    case armdsp
    /// RISC-V packed SIMD (P extension draft 0.9.x as T-Head E907 and Andes D45 implement it):
    /// SMAQA as `.insn` inline assembly; built with -DTMDL_RV32P_MODEL, or for any non-RISC-V
    /// target, a C model of the instruction stands in.
    case rv32p

    /// One line per arch for `--help`.
    public var summary: String {
        switch self {
        case .cpu: return "portable C99 (the default): any compiler, libtcc included"
        case .neon: return "ARM NEON: AArch64, or ARMv7-A -mfpu=neon; SDOT with +dotprod"
        case .armdsp: return "Cortex-M4/M7/M33 DSP: SMLAD, SXTB16 (arm_acle.h)"
        case .rv32p: return "RISC-V P 0.9.x: SMAQA; C model off RV32 or with -DTMDL_RV32P_MODEL"
        }
    }

    /// Whether the arch's `arch_dot4_s8` reads four output channels' weights interleaved word by
    /// word (`WeightPacking.blocksOfFour`): one pointer for the four, so the Cortex-M loop
    /// keeps its sums and pointers in registers.
    var interleavesDot4Weights: Bool { self == .armdsp }

    /// Whether the arch has `arch_dot4x2_s8` (ARCH_DOT4X2_S8): the int8 convolution then runs
    /// two output pixels at once over windows unpacked once (`arch_pairs_s8`), where it can.
    var dotsTwoPixels: Bool { self == .armdsp }

    /// Whether the arch has `arch_lanes8_s8` and `arch_lanes16_s8` (ARCH_LANES_S8): the int8 convolution then sums
    /// blocks of eight output channels in vector lanes, over weights packed value by value.
    var sumsChannelsInLanes: Bool { self == .neon }

    /// Whether code for this arch compiles with libtcc on the host (cpu C, or a C model).
    public var runsOnHost: Bool { self == .cpu || self == .rv32p }
}
