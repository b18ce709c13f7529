import TMDLFormat

// The integer profile's per-layer parameters (docs/numerics-integer.md), derived once
// from the model's float32 scales. This is the only place the profile uses floating
// point: the reference runs with these values and the generator writes them into the
// C as integer constants, so both compute with the same numbers.

/// CONV2D, DWCONV2D and FC: `out = clamp(MBQM(acc, M_c, s_c) + out_zp, lowest, highest)`.
public struct ChannelRequantization: Hashable, Sendable {
    /// One per output channel (FC: one for all).
    public var multipliers: [QuantizedMultiplier]
    public var outputZeroPoint: Int32
    /// The activation range in output codes.
    public var lowest: Int32
    public var highest: Int32

    /// `channel` indexes `multipliers` (FC passes 0).
    @inline(__always)
    func output(_ accumulator: Int32, channel: Int) -> Int8 {
        FixedPoint.outputCode(
            FixedPoint.mbqm(accumulator, multipliers[channel]), zeroPoint: outputZeroPoint, lowest: lowest, highest: highest)
    }
}

/// GAP (TFLite MEAN): `out = clamp(MBQM(Σx - in_zp·n, M, s) + out_zp, -128, 127)`.
public struct MeanRequantization: Hashable, Sendable {
    public var multiplier: QuantizedMultiplier
    public var pixelCount: Int32
    public var inputZeroPoint: Int32
    public var outputZeroPoint: Int32
}

/// ADD with left shift 20: both inputs rescaled to a common scale, summed, then rescaled.
public struct AddRequantization: Hashable, Sendable {
    public static let leftShift: Int32 = 20
    public var first: QuantizedMultiplier
    public var second: QuantizedMultiplier
    public var output: QuantizedMultiplier
    public var firstZeroPoint: Int32
    public var secondZeroPoint: Int32
    public var outputZeroPoint: Int32
}

/// SOFTMAX (gemmlowp fixed point, beta 1): the input scale as a Q5.26 multiplier.
public struct SoftmaxParameters: Hashable, Sendable {
    /// Multiplies `(x - max) · 2^shift` into Q5.26; `shift ≥ 1`.
    public var inputMultiplier: QuantizedMultiplier
    /// Differences below this contribute nothing and give -128.
    public var differenceMinimum: Int32
}

public enum IntegerParameters {
    /// The fixed output quantisation of an int8 softmax: scale 1/256, zero point -128.
    public static let softmaxOutput = Quantization(scale: 0.00390625, zeroPoint: -128)

    public static func convolution(_ conv: Convolution, layer: Layer, index: Int) throws(ReferenceError)
        -> ChannelRequantization
    {
        let inScale = Double(layer.inputQuantization.scale), outScale = Double(layer.outputQuantization.scale)
        // The known converter quirk: a per-tensor scale stored as ws[0] followed by zeros.
        let perTensor =
            conv.weightScales.count > 1 && conv.weightScales[0] != 0 && conv.weightScales.dropFirst().allSatisfy { $0 == 0 }
        let scales = perTensor ? Array(repeating: conv.weightScales[0], count: conv.weightScales.count) : conv.weightScales
        let multipliers = try scales.map { scale throws(ReferenceError) in
            try checked(QuantizedMultiplier((inScale * Double(scale)) / outScale), layer: layer, index: index)
        }
        let (lowest, highest) = try activationRange(conv.activation, output: layer.outputQuantization, layer: layer, index: index)
        return ChannelRequantization(
            multipliers: multipliers, outputZeroPoint: layer.outputQuantization.zeroPoint, lowest: lowest, highest: highest)
    }

    public static func fullyConnected(_ fc: FullyConnected, layer: Layer, index: Int) throws(ReferenceError)
        -> ChannelRequantization
    {
        // The product is rounded to float32 first, as TFLite's parameter derivation does.
        let product = layer.inputQuantization.scale * fc.weightScales[0]
        let multiplier = try checked(
            QuantizedMultiplier(Double(product) / Double(layer.outputQuantization.scale)), layer: layer, index: index)
        return ChannelRequantization(
            multipliers: [multiplier], outputZeroPoint: layer.outputQuantization.zeroPoint, lowest: -128, highest: 127)
    }

    public static func mean(layer: Layer, index: Int) throws(ReferenceError) -> MeanRequantization {
        let pixels = layer.inputShape.height * layer.inputShape.width
        let base = QuantizedMultiplier(Double(layer.inputQuantization.scale) / Double(layer.outputQuantization.scale))
        // Fold 1/n into the multiplier, keeping as many bits as the shift allows.
        let k = min(Int32(Int.bitWidth - 1 - pixels.leadingZeroBitCount), 32, 31 + base.shift)
        let multiplier = QuantizedMultiplier(
            multiplier: Int32((Int64(base.multiplier) << k) / Int64(pixels)), shift: base.shift - k)
        return MeanRequantization(
            multiplier: try checked(multiplier, layer: layer, index: index), pixelCount: Int32(pixels),
            inputZeroPoint: layer.inputQuantization.zeroPoint, outputZeroPoint: layer.outputQuantization.zeroPoint)
    }

    /// `first` and `second` are the quantisations of the tensors at in_oft and in_oft1, taken
    /// from the layers that produced them (not from the ADD's own fields).
    public static func add(first: Quantization, second: Quantization, layer: Layer, index: Int) throws(ReferenceError)
        -> AddRequantization
    {
        let twice = 2 * max(first.scale, second.scale)  // float32, as TFLite computes it
        let output = QuantizedMultiplier(
            Double(twice) / (Double(1 << AddRequantization.leftShift) * Double(layer.outputQuantization.scale)))
        guard output.shift <= 0 else {
            throw .unsupportedQuantization(
                layer: index, kind: layer.kind,
                reason: "the output scale is so much smaller than the inputs' that the output multiplier exceeds 1")
        }
        return AddRequantization(
            first: QuantizedMultiplier(Double(first.scale) / Double(twice)),
            second: QuantizedMultiplier(Double(second.scale) / Double(twice)),
            output: output, firstZeroPoint: first.zeroPoint, secondZeroPoint: second.zeroPoint,
            outputZeroPoint: layer.outputQuantization.zeroPoint)
    }

    public static func softmax(layer: Layer, index: Int) throws(ReferenceError) -> SoftmaxParameters {
        guard layer.outputQuantization == softmaxOutput else {
            throw .unsupportedQuantization(
                layer: index, kind: layer.kind,
                reason: "an int8 softmax must output scale 1/256 and zero point -128 (the file has scale "
                    + "\(layer.outputQuantization.scale), zero point \(layer.outputQuantization.zeroPoint))")
        }
        guard layer.inputShape.channels < 4096 else {
            throw .unsupportedQuantization(
                layer: index, kind: layer.kind, reason: "rows of 4096 or more channels overflow the fixed-point sum")
        }
        let real = min(Double(layer.inputQuantization.scale) * Double(1 << 26), Double(Int32.max))
        guard real > 1 else {
            throw .unsupportedQuantization(
                layer: index, kind: layer.kind, reason: "the input scale \(layer.inputQuantization.scale) is below 2^-26")
        }
        let multiplier = QuantizedMultiplier(real)
        let minimum = -(31 * Double(1 << 26) / Double(Int64(1) << multiplier.shift)).rounded(.down)
        return SoftmaxParameters(inputMultiplier: multiplier, differenceMinimum: Int32(minimum))
    }

    /// The activation range in output codes (only CONV2D and DWCONV2D have an activation).
    static func activationRange(_ activation: Activation, output: Quantization, layer: Layer, index: Int)
        throws(ReferenceError) -> (Int32, Int32)
    {
        let zero = Int64(output.zeroPoint)
        // One float32 division each, then round half away from zero, as TFLite derives them.
        func code(_ real: Float) -> Int64 { zero + FixedPoint.roundHalfAway(real / output.scale) }
        let lowest: Int64, highest: Int64
        switch activation {
        case .none: (lowest, highest) = (-128, 127)
        case .relu: (lowest, highest) = (max(-128, code(0)), 127)
        case .relu6: (lowest, highest) = (max(-128, code(0)), min(127, code(6)))
        case .reluN1To1: (lowest, highest) = (max(-128, code(-1)), min(127, code(1)))
        case .tanh, .signBit: throw .unsupportedActivation(layer: index, kind: layer.kind, activation, profile: .integer)
        }
        guard lowest <= highest else {
            throw .unsupportedQuantization(
                layer: index, kind: layer.kind, reason: "the activation range \(lowest)...\(highest) is empty")
        }
        return (Int32(lowest), Int32(highest))
    }

    /// Multipliers whose shift exceeds 31 cannot be applied (x · 2^s would not fit 64 bits in the C).
    static func checked(_ multiplier: QuantizedMultiplier, layer: Layer, index: Int) throws(ReferenceError)
        -> QuantizedMultiplier
    {
        guard multiplier.shift <= 31 else {
            throw .unsupportedQuantization(
                layer: index, kind: layer.kind, reason: "a requantisation multiplier of 2^\(multiplier.shift) is too large")
        }
        return multiplier
    }
}
