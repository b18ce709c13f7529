import TMDLFormat
import TMDLReference

/// When the tinymaix output stage may run as `clamp((int32_t)value, lo, hi)`.
///
/// The profile's stage is `sat8(activate(f32(acc) * s) * inv + zp)`: a chain of float compares
/// per output. Every step of it is monotone in `acc` when `s` and `inv` are not negative, so the
/// activation and the saturation are the same as an integer clamp of the truncated value to
/// the outputs of the activation's ends (`lo`: relu/relu6 give `zp`, else -128; `hi`: relu6
/// gives `sat8(6 * inv + zp)`, else 127), provided the truncation itself is defined: the value
/// must lie strictly inside int32 for every accumulator the layer can reach. The generator
/// proves that here, from the weights, biases and the int8 input range, or keeps the float
/// chain (for the whole model: both stages define the same C names).
///
/// Factors must also be normal (or zero): ARMv7 NEON flushes subnormals, and its four-lane
/// stage must compute what the scalar one does.
enum BoundedOutputStage {
    /// How a model's CONV2D and DWCONV2D clamp (FC always saturates to int8).
    enum Form: Equatable {
        /// Some layer's activation narrows the range: clamp to each layer's [lo, hi].
        case clamped
        /// Every layer's [lo, hi] is [-128, 127]: a saturation to int8, with no bounds to store.
        case saturated
    }

    /// The form the whole model's output stages can take, or nil where some CONV2D, DWCONV2D or
    /// FC fails the proof (the float chain it is, then).
    static func form(for model: Model) -> Form? {
        guard holds(for: model) else { return nil }
        let saturates = model.layers.allSatisfy { layer in
            switch layer.operation {
            case .conv2D(let conv), .depthwiseConv2D(let conv, _):
                let (_, inverse) = OutputStage.tinymaixFactors(conv, layer: layer)
                let bounds = clamp(
                    activation: conv.activation, inverse: inverse, zeroPoint: layer.outputQuantization.zeroPoint)
                return bounds == (-128, 127)
            default:
                return true
            }
        }
        return saturates ? .saturated : .clamped
    }

    /// Whether every CONV2D, DWCONV2D and FC of `model` passes the proof.
    static func holds(for model: Model) -> Bool {
        guard model.type == .int8 else { return false }
        return model.layers.allSatisfy { layer in
            switch layer.operation {
            case .conv2D(let conv), .depthwiseConv2D(let conv, _):
                let (scales, inverse) = OutputStage.tinymaixFactors(conv, layer: layer)
                let zeroPoint = Float(layer.outputQuantization.zeroPoint)
                guard let ranges = accumulatorRanges(conv.weights, conv.bias, channels: layer.outputShape.channels)
                else { return false }
                return ranges.enumerated().allSatisfy { channel, range in
                    guard channel < scales.count else { return false }
                    let scale = scales[channel]
                    return isBounded(range, nonNegative: [scale, inverse]) { Float($0) * scale * inverse + zeroPoint }
                }
            case .fullyConnected(let fc):
                guard let weightScale = fc.weightScales.first else { return false }
                let inputScale = layer.inputQuantization.scale, outputScale = layer.outputQuantization.scale
                let zeroPoint = Float(layer.outputQuantization.zeroPoint)
                guard let ranges = accumulatorRanges(fc.weights, fc.bias, channels: layer.outputShape.elementCount)
                else { return false }
                return ranges.allSatisfy { range in
                    isBounded(range, nonNegative: [inputScale, weightScale, outputScale]) {
                        Float($0) * inputScale * weightScale / outputScale + zeroPoint
                    }
                }
            case .globalAveragePool, .softmax, .reshape, .add:
                return true
            }
        }
    }

    /// The clamp bounds of a CONV2D or DWCONV2D with `activation` (see the type's comment).
    static func clamp(activation: Activation, inverse: Float, zeroPoint: Int32) -> (lo: Int32, hi: Int32) {
        switch activation {
        case .relu: return (zeroPoint, 127)
        case .relu6: return (zeroPoint, Int32(saturatingInt8(6 * inverse + Float(zeroPoint))))
        default: return (-128, 127)
        }
    }

    /// `value` is monotone in the accumulator for non-negative factors (a zero one makes it the
    /// constant zp), so its ends bound it.
    private static func isBounded(
        _ range: ClosedRange<Int64>, nonNegative factors: [Float], _ value: (Int32) -> Float
    ) -> Bool {
        guard factors.allSatisfy({ $0 == 0 || ($0 > 0 && $0.isNormal) }),
            range.lowerBound >= Int64(Int32.min), range.upperBound <= Int64(Int32.max)
        else { return false }
        // Strictly inside (-2^31, 2^31): truncating such a float to int32 is defined.
        let limit: Float = 2_147_483_648
        return [range.lowerBound, range.upperBound].allSatisfy {
            let end = value(Int32($0))
            return end > -limit && end < limit
        }
    }

    /// Per output channel, the accumulators (sum of int8 input times weight, plus bias) any
    /// input can give: each input, padded taps included, lies in [-128, 127].
    private static func accumulatorRanges(_ weights: NumericArray, _ bias: NumericArray, channels: Int)
        -> [ClosedRange<Int64>]?
    {
        guard case .int8(let w) = weights, case .int32(let b) = bias, channels > 0, w.count % channels == 0,
            b.count >= channels
        else { return nil }
        let perChannel = w.count / channels
        return (0..<channels).map { channel in
            var low = Int64(b[channel]), high = Int64(b[channel])
            for weight in w[channel * perChannel..<(channel + 1) * perChannel] {
                let a = Int64(weight) * 127, c = Int64(weight) * -128
                low += min(a, c)
                high += max(a, c)
            }
            return low...high
        }
    }
}
