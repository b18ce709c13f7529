import Foundation
import TMDLFormat

/// SOFTMAX over the channels of each pixel (every known model has one pixel;
/// TinyMaix itself only handles the first). Exactly TinyMaix's float steps:
/// subtract the maximum, the C library's double `exp` rounded to float, a float
/// sum in channel order, then `- 0.000001f` before the division.
struct SoftmaxLayer: ReferenceLayer {
    let shape: Shape
    let inputQuantization: Quantization
    let outputQuantization: Quantization

    init(layer: Layer) {
        self.shape = layer.inputShape
        self.inputQuantization = layer.inputQuantization
        self.outputQuantization = layer.outputQuantization
    }

    /// The normalised float values of one row, before output quantisation.
    private func softmax(_ row: [Float]) -> [Float] {
        var values = row
        let maximum = values.reduce(-Float.greatestFiniteMagnitude) { $1 > $0 ? $1 : $0 }
        var sum: Float = 0
        for c in values.indices {
            values[c] = values[c] - maximum
            values[c] = Float(exp(Double(values[c])))
            sum = sum + values[c]
            values[c] = values[c] - 0.000001
        }
        return values.map { $0 / sum }
    }

    func evaluate(_ inputs: [TensorData]) -> TensorData {
        let channels = shape.channels
        let rows = shape.height * shape.width
        switch inputs[0] {
        case .int8(let x):
            let inZeroPoint = inputQuantization.zeroPoint, inScale = inputQuantization.scale
            let outScale = outputQuantization.scale, outZeroPoint = Float(outputQuantization.zeroPoint)
            var result: [Int8] = []
            result.reserveCapacity(x.count)
            for row in 0..<rows {
                let dequantized = x[row * channels..<(row + 1) * channels].map { Float(Int32($0) - inZeroPoint) * inScale }
                result += softmax(dequantized).map { saturatingInt8($0 / outScale + outZeroPoint) }
            }
            return .int8(result)
        case .float32(let x):
            var result: [Float] = []
            result.reserveCapacity(x.count)
            for row in 0..<rows { result += softmax(Array(x[row * channels..<(row + 1) * channels])) }
            return .float32(result)
        }
    }
}
