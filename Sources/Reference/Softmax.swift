import Foundation
import TMDLFormat

/// SOFTMAX over the channels of each pixel (every known model has one pixel;
/// TinyMaix itself only handles the first). tinymaix: exactly TinyMaix's float steps,
/// subtract the maximum, the C library's double `exp` rounded to float, a float
/// sum in channel order, then `- 0.000001f` before the division. integer: gemmlowp's
/// fixed-point exp, sum and reciprocal, as TFLite's reference int8 softmax.
struct SoftmaxLayer: ReferenceLayer {
    let shape: Shape
    let inputQuantization: Quantization
    let outputQuantization: Quantization
    /// Set in the integer profile.
    let fixedPoint: SoftmaxParameters?

    init(layer: Layer, index: Int, numerics: NumericsProfile) throws(ReferenceError) {
        self.shape = layer.inputShape
        self.inputQuantization = layer.inputQuantization
        self.outputQuantization = layer.outputQuantization
        self.fixedPoint = numerics == .integer ? try IntegerParameters.softmax(layer: layer, index: index) : nil
    }

    /// One row in the integer profile (numerics-integer.md, SOFTMAX steps 4 to 7).
    private static func softmax(_ row: ArraySlice<Int8>, _ p: SoftmaxParameters) -> [Int8] {
        let maximum = Int32(row.max() ?? 0)
        // EXP of each difference in Q0.31; nil where the difference is below the minimum.
        let exponentials = row.map { x -> Int32? in
            let difference = Int32(x) - maximum
            guard difference >= p.differenceMinimum else { return nil }
            let scaled = FixedPoint.srdhm(difference << p.inputMultiplier.shift, p.inputMultiplier.multiplier)
            return FixedPoint.expOnNegative(scaled)
        }
        let sum = exponentials.reduce(Int32(0)) { $0 + ($1.map { FixedPoint.rdbpot($0, 12) } ?? 0) }
        let headroom = FixedPoint.countLeadingZeros(sum)
        let bitsOverUnit = 12 - headroom
        let reciprocal = FixedPoint.reciprocalOfOnePlus(Int32((Int64(sum) << headroom) - (1 << 31)))
        return exponentials.map { e in
            guard let e else { return -128 }
            let value = FixedPoint.rdbpotWide(Int64(FixedPoint.srdhm(reciprocal, e)), bitsOverUnit + 23)
            return FixedPoint.outputCode(Int32(value), zeroPoint: -128)
        }
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
                if let fixedPoint {
                    result += Self.softmax(x[row * channels..<(row + 1) * channels], fixedPoint)
                    continue
                }
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
