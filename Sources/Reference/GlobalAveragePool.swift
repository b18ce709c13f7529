import TMDLFormat

/// GAP: the mean over height and width, per channel. int8 takes the int32 sum,
/// divides with C's truncating integer division, then requantises; fp32 sums
/// sequentially over rows then columns and divides by `f32(h*w)`.
struct GlobalAveragePoolLayer: ReferenceLayer {
    let input: Shape
    let inputQuantization: Quantization
    let outputQuantization: Quantization

    init(layer: Layer) {
        self.input = layer.inputShape
        self.inputQuantization = layer.inputQuantization
        self.outputQuantization = layer.outputQuantization
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

    var accumulatorBound: Int { 128 * input.height * input.width }
}
