import TMDLFormat

/// ADD of two tensors of one shape. int8 uses the quantisation the file stores
/// for each input (head fields for the first, body fields for the second):
/// `(f32(a - zp) * s + f32(b - zp1) * s1) / out_s + out_zp`, as TinyMaix does.
struct AddLayer: ReferenceLayer {
    let first: Quantization
    let second: Quantization
    let outputQuantization: Quantization

    init(layer: Layer, addition: Addition) {
        self.first = layer.inputQuantization
        self.second = addition.secondInputQuantization
        self.outputQuantization = layer.outputQuantization
    }

    func evaluate(_ inputs: [TensorData]) -> TensorData {
        switch (inputs[0], inputs[1]) {
        case (.int8(let a), .int8(let b)):
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
}
