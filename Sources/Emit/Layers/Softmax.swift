import TMDLFormat
import TMDLReference

/// SOFTMAX: one parameter struct, one call (over the channels of each pixel, "rows").
enum SoftmaxEmitter {
    static func emit(_ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        var integerFields: [(String, String)]?
        if context.isInt8 && context.numerics == .integer {
            let p = try context.integerParameters { () throws(ReferenceError) in
                try IntegerParameters.softmax(layer: context.layer, index: context.index)
            }
            integerFields = [
                ("multiplier", "\(p.inputMultiplier.multiplier)"), ("left_shift", "\(p.inputMultiplier.shift)"),
                ("diff_min", "\(p.differenceMinimum)"),
            ]
        }
        // The tinymaix int8 kernel keeps each row's exponentials on the stack until the sum is known:
        // one per channel, or one per input code (256) when that is fewer slots and fewer exp calls.
        let keepsExponentials = context.isInt8 && context.numerics == .tinymaix
        let channels = context.layer.outputShape.channels
        let byCode = channels > 256
        return PerChannelEmitter.emit(
            kernel: "softmax", countField: "rows", context, int8: context.numerics.softmax, float: .softmaxF32,
            integerFields: integerFields, tinymaixFields: [("by_code", byCode ? "1" : "0")],
            scratchWords: keepsExponentials ? (byCode ? 256 : channels) : 0)
    }
}
