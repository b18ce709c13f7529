import TMDLFormat

/// ADD of two tensors of one shape. int8, tinymaix: the quantisation the file stores for
/// each input (head fields for the first, body fields for the second),
/// `(f32(a - zp) * s + f32(b - zp1) * s1) / out_s + out_zp`, as TinyMaix does. int8,
/// integer: TFLite's fixed-point ADD with each input's quantisation taken from the layer
/// that produced it (the file can pair them with the wrong buffers).
struct AddLayer: ReferenceLayer {
    let first: Quantization
    let second: Quantization
    let outputQuantization: Quantization
    /// Set in the integer profile.
    let requantization: AddRequantization?

    /// `producers`: the quantisation of the tensors at in_oft and in_oft1 as their producers wrote them.
    init(layer: Layer, addition: Addition, index: Int, numerics: NumericsProfile, producers: (Quantization, Quantization))
        throws(ReferenceError)
    {
        self.first = layer.inputQuantization
        self.second = addition.secondInputQuantization
        self.outputQuantization = layer.outputQuantization
        self.requantization =
            numerics == .integer
            ? try IntegerParameters.add(first: producers.0, second: producers.1, layer: layer, index: index) : nil
    }

    func evaluate(_ inputs: [TensorData]) -> TensorData {
        switch (inputs[0], inputs[1]) {
        case (.int8(let a), .int8(let b)):
            if let q = requantization {
                return .int8(zip(a, b).map { x, y in
                    let sum = Self.rescale(x, q.firstZeroPoint, q.first) + Self.rescale(y, q.secondZeroPoint, q.second)
                    let value = FixedPoint.rdbpot(FixedPoint.srdhm(sum, q.output.multiplier), -q.output.shift)
                    return FixedPoint.outputCode(value, zeroPoint: q.outputZeroPoint)
                })
            }
            let outScale = outputQuantization.scale, outZeroPoint = Float(outputQuantization.zeroPoint)
            return .int8(
                zip(a, b).map { x, y in
                    let sum =
                        Float(Int32(x) - first.zeroPoint) * first.scale + Float(Int32(y) - second.zeroPoint) * second.scale
                    return saturatingInt8(sum / outScale + outZeroPoint)
                })
        case (.float32(let a), .float32(let b)):
            return .float32(zip(a, b).map { $0 + $1 })
        default:
            preconditionFailure("both inputs of an ADD have the model's element type")
        }
    }

    /// `RDBPOT(SRDHM((x - z) · 2^20, M), -e)`: one input on the common scale.
    @inline(__always)
    private static func rescale(_ x: Int8, _ zeroPoint: Int32, _ m: QuantizedMultiplier) -> Int32 {
        FixedPoint.rdbpot(FixedPoint.srdhm((Int32(x) - zeroPoint) << AddRequantization.leftShift, m.multiplier), -m.shift)
    }
}
