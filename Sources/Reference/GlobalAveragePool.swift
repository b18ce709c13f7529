import TMDLFormat

/// GAP: the mean over height and width, per channel. int8 takes the int32 sum; tinymaix
/// divides with C's truncating integer division, then requantises in float; integer folds
/// 1/n into a fixed-point multiplier: `MBQM(Σx - in_zp·n, M, s) + out_zp`. fp32 sums
/// sequentially over rows then columns and divides by `f32(h*w)`.
struct GlobalAveragePoolLayer: ReferenceLayer {
    let input: Shape
    let inputQuantization: Quantization
    let outputQuantization: Quantization
    /// Set in the integer profile.
    let requantization: MeanRequantization?

    init(layer: Layer, index: Int, numerics: NumericsProfile) throws(ReferenceError) {
        self.input = layer.inputShape
        self.inputQuantization = layer.inputQuantization
        self.outputQuantization = layer.outputQuantization
        self.requantization = numerics == .integer ? try IntegerParameters.mean(layer: layer, index: index) : nil
    }

    func evaluate(_ inputs: [TensorData]) -> TensorData {
        let pixels = input.height * input.width
        let channels = input.channels
        switch inputs[0] {
        case .int8(let x):
            let inZeroPoint = inputQuantization.zeroPoint, inScale = inputQuantization.scale
            let outScale = outputQuantization.scale, outZeroPoint = Float(outputQuantization.zeroPoint)
            return .int8(
                (0..<channels).map { channel in
                    var sum: Int32 = 0
                    for pixel in 0..<pixels { sum = sum &+ Int32(x[pixel * channels + channel]) }
                    if let q = requantization {
                        let value = FixedPoint.mbqm(sum &- q.inputZeroPoint &* q.pixelCount, q.multiplier)
                        return FixedPoint.outputCode(value, zeroPoint: q.outputZeroPoint)
                    }
                    let mean = sum / Int32(pixels)
                    return saturatingInt8((Float(mean - inZeroPoint) * inScale) / outScale + outZeroPoint)
                })
        case .float32(let x):
            return .float32(
                (0..<channels).map { channel in
                    var sum: Float = 0
                    for pixel in 0..<pixels { sum = sum + x[pixel * channels + channel] }
                    return sum / Float(pixels)
                })
        }
    }

    /// The integer profile also subtracts in_zp·n from the sum.
    var accumulatorBound: Int { (requantization == nil ? 128 : 256) * input.height * input.width }
}
