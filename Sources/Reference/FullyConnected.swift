import TMDLFormat

/// FC over the flattened (HWC) input. int8: one per-tensor weight scale, no activation;
/// tinymaix `((f32(acc) * in_s) * ws[0]) / out_s + out_zp`, integer `MBQM(acc, M, s) + out_zp`.
/// fp32: a sequential sum in input order, then the bias.
struct FullyConnectedLayer: ReferenceLayer {
    let fc: FullyConnected
    let inputCount: Int
    let outputCount: Int
    let inputQuantization: Quantization
    let outputQuantization: Quantization
    /// Set in the integer profile.
    let requantization: ChannelRequantization?

    init(layer: Layer, fc: FullyConnected, index: Int, numerics: NumericsProfile) throws(ReferenceError) {
        self.fc = fc
        self.inputCount = layer.inputShape.elementCount
        self.outputCount = layer.outputShape.elementCount
        self.inputQuantization = layer.inputQuantization
        self.outputQuantization = layer.outputQuantization
        self.requantization =
            numerics == .integer ? try IntegerParameters.fullyConnected(fc, layer: layer, index: index) : nil
    }

    func evaluate(_ inputs: [TensorData]) -> TensorData {
        switch (inputs[0], fc.weights, fc.bias) {
        case (.int8(let x), .int8(let w), .int32(let bias)):
            let inScale = inputQuantization.scale, weightScale = fc.weightScales[0]
            let outScale = outputQuantization.scale, outZeroPoint = Float(outputQuantization.zeroPoint)
            return .int8(
                (0..<outputCount).map { channel in
                    var acc: Int32 = 0
                    let row = channel * inputCount
                    for i in 0..<inputCount { acc = acc &+ Int32(x[i]) &* Int32(w[row + i]) }
                    acc = acc &+ bias[channel]
                    if let requantization { return requantization.output(acc, channel: 0) }
                    return saturatingInt8(((Float(acc) * inScale) * weightScale) / outScale + outZeroPoint)
                })
        case (.float32(let x), .float32(let w), .float32(let bias)):
            return .float32(
                (0..<outputCount).map { channel in
                    var sum: Float = 0
                    let row = channel * inputCount
                    for i in 0..<inputCount { sum = sum + x[i] * w[row + i] }
                    return sum + bias[channel]
                })
        default:
            preconditionFailure("validated models pair int8 data with int8 weights and fp32 with fp32")
        }
    }

    var accumulatorBound: Int {
        let biasBound = fc.bias.int32Values?.map { Int(abs(Int64($0))) }.max() ?? 0
        return 128 * 128 * inputCount + biasBound
    }
}
