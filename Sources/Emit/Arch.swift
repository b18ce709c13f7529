import TMDLFormat

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

    /// The arch's `arch_dot4x2_s8` (ARCH_DOT4X2_S8, `Templates/arch/ARCH_pairs.c`), if it has
    /// one: the int8 convolution then runs two output pixels at once over windows laid out once
    /// (`arch_pairs_s8`), where the layer meets the dot's terms.
    var twoPixelDot: TwoPixelDot? {
        switch self {
        // Both windows unpacked into SMLAD halves, a word per value: at most 256 values (1 KB of stack)
        // at once, longer windows in parts (cifar10_q's 5x5x32 windows whole would cost 6.4 KB of RAM,
        // over its Cortex-M4 budget).
        case .armdsp:
            return TwoPixelDot(
                valueMultiple: 4, maxValues: 256, scratchBytesPerValue: 4, windowsInHalves: false,
                sumsProductPairs: false, padsWeights: true)
        // Both windows copied, two bytes per value; two products summed in int16 (VMULL, VMLAL).
        case .neon:
            return TwoPixelDot(
                valueMultiple: 8, maxValues: 2048, scratchBytesPerValue: 2, windowsInHalves: false,
                sumsProductPairs: true, padsWeights: true)
        // Both windows copied as int16, four bytes per value, padded to 16 values where gcc vectorises
        // the loop (SSE2, NEON); the weights are not padded, which would cost flash on every core
        // (mnist_resnet_q's 3x3x24 windows, 216 -> 224 values, took the rv32 object over TinyMaix's
        // code + model). Thumb-1 builds take it only for windows of whole blocks of 16 (the C decides:
        // ARCH_DOT4X2_TAKES), so the layout here serves both paths.
        case .cpu:
            return TwoPixelDot(
                valueMultiple: 16, maxValues: 2048, scratchBytesPerValue: 4, windowsInHalves: true,
                sumsProductPairs: false, padsWeights: false)
        case .rv32p: return nil
        }
    }

    /// The arch's own path for int8 convolutions of one input channel (`Templates/arch/ARCH_lanes.c`),
    /// if it has one: output pixels in lanes on cpu (ARCH_LANES, conv2d_s8_lanes), kernel columns in
    /// pairs on armdsp (ARCH_TAP_PAIRS, conv2d_s8_tap_pairs).
    var oneChannelPath: OneChannelPath? {
        switch self {
        case .cpu: return .pixelLanes(PixelLanes())
        case .armdsp: return .tapPairs(TapPairs())
        case .neon, .rv32p: return nil
        }
    }

    /// Whether int8 3x3 depthwise layers of stride 1 run channel by channel on this arch
    /// (`dwconv2d_hwc_s8_planes`, with `arch_tap_pair`: two taps of a kernel row per SMLAD), where
    /// their output does not overlap their input: that kernel does not write in raster order.
    var runsDepthwiseInPlanes: Bool { self == .armdsp }

    /// The fewest output pixels a depthwise layer takes planes for: per channel the kernel pays a
    /// fixed setup (weights, three row fills, a loop entry per row), which small planes do not repay.
    /// On Cortex-M4, mbnet128's 8x8 planes save 4 instructions per output against blocks of channels
    /// (372.9 k against 405.8 k a layer) and its 4x4 plane costs 11 more (246.9 k against 201.6 k):
    /// a setup of about 320 and a gain of about 9 per output, which break even at about 36 outputs.
    public static let depthwisePlaneMinimumPixels = 36

    /// Whether the arch has `arch_mac_pair_s8` (ARCH_MAC_PAIR_S8): the int8 depthwise kernel then
    /// adds a block's taps two at a time, their products summed in int16, where the layer has no
    /// -128 weight.
    var pairsDepthwiseTaps: Bool { self == .neon }

    /// Whether code for this arch compiles with libtcc on the host (cpu C, or a C model).
    public var runsOnHost: Bool { self == .cpu || self == .rv32p }
}

/// The terms of an arch's two-pixel dot (`arch_pairs_s8`, `arch_dot4x2_s8`).
struct TwoPixelDot {
    /// The dot runs over a whole number of these values: windows are padded with zeros to it (the
    /// most it pads: cpu pads only where it has SIMD, ARCH_DOT4X2_MULTIPLE).
    let valueMultiple: Int
    /// The most values of both windows laid out at once (ARCH_DOT4X2_MAX_VALUES): the scratch lives on
    /// NAME_run's stack, and longer windows go in parts of this many.
    let maxValues: Int
    /// Scratch bytes `arch_pairs_s8` lays out per value of a window (both windows together).
    let scratchBytesPerValue: Int
    /// Whether the windows are laid out as int16 (conv2d_s8's `halves`; else in its int32 `words`):
    /// the arch's arch_window_t.
    let windowsInHalves: Bool
    /// Whether the dot sums two products in int16, which only weights above -128 allow
    /// (|x * w| <= 128 * 127, and two of those fit).
    let sumsProductPairs: Bool
    /// Whether the weights are padded with zeros to `span` values per channel, like the windows.
    /// If not, the dot reads past a channel's weights into the next one's, which the windows' zeros
    /// cancel, and the layer's weights end in `span - window` zeros for its last channel
    /// (`weightTail`).
    let padsWeights: Bool

    /// The values the dot runs over for a window of `window` values: the window, then zeros up to a
    /// whole number of `valueMultiple` (conv2d_s8 rounds up to ARCH_DOT4X2_MULTIPLE the same way).
    func span(window: Int) -> Int { (window + valueMultiple - 1) / valueMultiple * valueMultiple }

    /// Whether a layer with this window (values per output pixel) and output channels takes the
    /// two-pixel dot. Padded weights cost their zeros in every block of four channels and in
    /// flash, and laying out the windows is paid once per pixel pair: so padding them only where
    /// it adds at most a third and serves more than one block (mnist_valid_q's 3x3x1 -> 4 layer on
    /// Cortex-M4: 48.0 k instructions one pixel at a time, 52.0 k two at a time over windows of
    /// 12). Padding only the windows costs no flash: the arch pads where its SIMD makes zeros cheap.
    func accepts(window: Int, channels: Int, hasMinus128Weight: Bool) -> Bool {
        let span = span(window: window)
        let padding = span == window || !padsWeights || (channels >= 8 && 3 * span <= 4 * window)
        return padding && !(sumsProductPairs && hasMinus128Weight)
    }

    /// The zeros after the weights of a layer that takes the dot: for its last channel's padded values.
    func weightTail(window: Int) -> Int { padsWeights ? 0 : span(window: window) - window }

    /// Whether windows of this many values go in parts (conv2d_s8_pair_parts): their span is longer
    /// than the arch lays out at once.
    func goesInParts(window: Int) -> Bool { span(window: window) > maxValues }

    /// The scratch: the two windows' values laid out at once, in `words` or `halves`; where the windows
    /// go in parts, both pixels' sums for every channel first, in `words`.
    func scratch(window: Int, channels: Int) -> StackScratch {
        let bytes = min(span(window: window), maxValues) * scratchBytesPerValue
        let sums = goesInParts(window: window) ? 2 * channels : 0
        return windowsInHalves
            ? StackScratch(words: sums, halves: bytes / 2) : StackScratch(words: sums + (bytes + 3) / 4, halves: 0)
    }
}

/// An arch's path for CONV2D layers of one input channel (a grayscale first layer), whose windows
/// are too short for the dot products over a band to pay.
enum OneChannelPath {
    case pixelLanes(PixelLanes)
    case tapPairs(TapPairs)

    /// Whether an int8 CONV2D layer takes the path.
    func accepts(_ conv: Convolution, input: Shape, output: Shape, band: Band) -> Bool {
        switch self {
        case .pixelLanes(let lanes): return lanes.accepts(conv, input: input, output: output, band: band)
        case .tapPairs(let pairs): return pairs.accepts(conv, input: input, output: output, band: band)
        }
    }

    /// The scratch the path needs.
    func scratch(_ conv: Convolution, output: Shape, band: Band) -> StackScratch {
        switch self {
        case .pixelLanes(let lanes): return StackScratch(words: 0, halves: lanes.scratchHalves(conv, output: output))
        case .tapPairs(let pairs): return pairs.scratch(conv, output: output, band: band)
        }
    }

    /// Whether every build of the arch takes the path; if not (cpu without SIMD), such layers may
    /// run through the band and the two-pixel dot too, which need their scratch and weight layout.
    var replacesBand: Bool {
        if case .tapPairs = self { return true }
        return false
    }
}

/// The terms of an arch's pixel lanes (`arch_lanes4_s8`; conv2d_s8_lanes in
/// `Templates/kernels/conv2d_s8.c`): eight output pixels of a row, four channels at once. Builds
/// without the arch's lanes (cpu without SIMD) run such layers through the band, so a layer that
/// takes them keeps the band's scratch too.
struct PixelLanes {
    /// Output pixels per block (ARCH_LANES).
    let lanes = 8
    /// The most taps (k_h * k_w) the kernel's table holds (CONV2D_S8_LANES_TAPS).
    let maxTaps = 64

    /// Whether a CONV2D layer takes the lanes: one input channel, whole blocks of four output
    /// channels, undilated columns (dilated ones lay out their weights by kernel column), a band
    /// on the stack (not rows read in place), at most `maxTaps` taps.
    func accepts(_ conv: Convolution, input: Shape, output: Shape, band: Band) -> Bool {
        input.channels == 1 && output.channels % 4 == 0 && conv.dilationWidth == 1 && !band.inPlace
            && conv.kernelHeight * conv.kernelWidth <= maxTaps
    }

    /// The int16 scratch of one output row's kernel rows: k_h * stride_w rows, each wide enough for
    /// the blocks of lanes and the kernel's reach (conv2d_s8_lanes's phase_w).
    func scratchHalves(_ conv: Convolution, output: Shape) -> Int {
        let blocks = (output.width + lanes - 1) / lanes
        let phaseWidth = blocks * lanes + (conv.kernelWidth - 1) / conv.strideWidth
        return conv.kernelHeight * conv.strideWidth * phaseWidth
    }
}

/// The terms of armdsp's tap pairs (conv2d_s8_tap_pairs in `Templates/kernels/conv2d_s8.c`): per
/// output row, the band laid out as int16; per pixel, its window two values at a time (SMLAD),
/// against weights packed two to a word once per layer.
struct TapPairs {
    /// The most scratch the path takes (in 4-byte words), as the two-pixel dot: the stack of a
    /// Cortex-M is small.
    let maxScratchWords = 256

    /// Whether a CONV2D layer takes the tap pairs: one input channel, undilated columns (a window is
    /// one run of the band), a band on the stack (not rows read in place), and the scratch within
    /// `maxScratchWords`.
    func accepts(_ conv: Convolution, input: Shape, output: Shape, band: Band) -> Bool {
        input.channels == 1 && conv.dilationWidth == 1 && !band.inPlace
            && scratch(conv, output: output, band: band).bytes <= 4 * maxScratchWords
    }

    /// The packed weights, a word per two values of each channel's window (conv2d_s8_tap_pairs's
    /// `packed`), and the band as int16 and one value more (its `band`).
    func scratch(_ conv: Convolution, output: Shape, band: Band) -> StackScratch {
        let window = conv.kernelHeight * conv.kernelWidth
        return StackScratch(words: output.channels * ((window + 1) / 2), halves: band.width * conv.kernelHeight + 1)
    }
}

/// A kernel's stack scratch, typed as it is used: int32 words (NAME_run's `scratch`) and int16
/// values (its `scratch16`).
struct StackScratch {
    var words: Int
    var halves: Int

    static let none = StackScratch(words: 0, halves: 0)

    var bytes: Int { 4 * words + 2 * halves }
}
