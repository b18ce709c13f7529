import TMDLFormat

/// CONV2D and DWCONV2D. A depthwise convolution is a convolution whose output
/// channel `c` sees one input channel, `c / depthMultiplier`, so one loop nest
/// serves both: `channelsPerOutput` is C_in for CONV2D and 1 for DWCONV2D.
struct ConvolutionLayer: ReferenceLayer {
    /// How the sum becomes an output.
    enum OutputStage {
        /// fp32, and int8 in the tinymaix profile: float scaling, then the activation.
        case float(SupportedActivation)
        /// int8 in the integer profile.
        case fixedPoint(ChannelRequantization)
    }

    let conv: Convolution
    let input: Shape
    let output: Shape
    let depthMultiplier: Int?
    let outputStage: OutputStage
    let inputQuantization: Quantization
    let outputQuantization: Quantization

    init(layer: Layer, conv: Convolution, depthMultiplier: Int?, index: Int, numerics: NumericsProfile)
        throws(ReferenceError)
    {
        self.conv = conv
        self.input = layer.inputShape
        self.output = layer.outputShape
        self.depthMultiplier = depthMultiplier
        self.inputQuantization = layer.inputQuantization
        self.outputQuantization = layer.outputQuantization
        switch numerics {
        case .tinymaix:
            outputStage = .float(try SupportedActivation(conv.activation, layer: layer, index: index))
        case .integer:
            outputStage = .fixedPoint(try IntegerParameters.convolution(conv, layer: layer, index: index))
        }
    }

    var channelsPerOutput: Int { depthMultiplier == nil ? input.channels : 1 }

    func firstInputChannel(ofOutput channel: Int) -> Int {
        depthMultiplier.map { channel / $0 } ?? 0
    }

    func evaluate(_ inputs: [TensorData]) -> TensorData {
        switch (inputs[0], conv.weights, conv.bias) {
        case (.int8(let x), .int8(let w), .int32(let bias)):
            return .int8(int8(x, w, bias))
        case (.float32(let x), .float32(let w), .float32(let bias)):
            return .float32(float32(x, w, bias))
        default:
            preconditionFailure("validated models pair int8 data with int8 weights and fp32 with fp32")
        }
    }

    /// Visits every output element with the window's taps in storage order
    /// (input channel, kernel row, kernel column); a tap outside the input gets nil.
    @inline(__always)
    private func forEachOutput(_ body: (_ outputIndex: Int, _ channel: Int, _ taps: (_ tap: (Int?, Int) -> Void) -> Void) -> Void) {
        let kh = conv.kernelHeight, kw = conv.kernelWidth
        let perOutput = channelsPerOutput
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                let top = oy * conv.strideHeight - conv.padding.top
                let left = ox * conv.strideWidth - conv.padding.left
                for channel in 0..<output.channels {
                    let first = firstInputChannel(ofOutput: channel)
                    body((oy * output.width + ox) * output.channels + channel, channel) { tap in
                        var weightIndex = channel * perOutput * kh * kw
                        for j in 0..<perOutput {
                            for ky in 0..<kh {
                                let iy = top + ky * conv.dilationHeight
                                for kx in 0..<kw {
                                    let ix = left + kx * conv.dilationWidth
                                    let inside = iy >= 0 && iy < input.height && ix >= 0 && ix < input.width
                                    tap(inside ? (iy * input.width + ix) * input.channels + first + j : nil, weightIndex)
                                    weightIndex += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func int8(_ x: [Int8], _ w: [Int8], _ bias: [Int32]) -> [Int8] {
        let inZeroPoint = inputQuantization.zeroPoint
        let inverseOutputScale = 1 / outputQuantization.scale
        let outZeroPoint = Float(outputQuantization.zeroPoint)
        let scales = conv.weightScales.map { $0 * inputQuantization.scale }
        var result = [Int8](repeating: 0, count: output.elementCount)
        forEachOutput { outputIndex, channel, taps in
            // Wrapping operators only for speed: the interpreter checked that no sum overflows.
            var acc: Int32 = 0
            taps { inputIndex, weightIndex in
                let value = inputIndex.map { Int32(x[$0]) } ?? inZeroPoint
                acc = acc &+ value &* Int32(w[weightIndex])
            }
            acc = acc &+ bias[channel]
            switch outputStage {
            case .float(let activation):
                let value = activate(Float(acc) * scales[channel], activation)
                result[outputIndex] = saturatingInt8(value * inverseOutputScale + outZeroPoint)
            case .fixedPoint(let requantization):
                result[outputIndex] = requantization.output(acc, channel: channel)
            }
        }
        return result
    }

    private func float32(_ x: [Float], _ w: [Float], _ bias: [Float]) -> [Float] {
        guard case .float(let activation) = outputStage else {
            preconditionFailure("the integer profile refuses fp32 models")
        }
        var result = [Float](repeating: 0, count: output.elementCount)
        forEachOutput { outputIndex, channel, taps in
            var sum: Float = 0
            taps { inputIndex, weightIndex in
                let value = inputIndex.map { x[$0] } ?? 0
                sum = sum + value * w[weightIndex]
            }
            result[outputIndex] = activate(sum + bias[channel], activation)
        }
        return result
    }

    /// Largest |accumulator| any input can produce: every product at most 128·128.
    var accumulatorBound: Int {
        let taps = channelsPerOutput * conv.kernelHeight * conv.kernelWidth
        let biasBound = conv.bias.int32Values?.map { Int(abs(Int64($0))) }.max() ?? 0
        return 128 * 128 * taps + biasBound
    }
}
