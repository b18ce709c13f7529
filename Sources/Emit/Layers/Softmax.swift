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
        var emitted = PerChannelEmitter.emit(
            kernel: "softmax", countField: "rows", context, int8: context.numerics.softmax, float: .softmaxF32,
            integerFields: integerFields)
        if context.isInt8 && context.numerics == .tinymaix {
            // Each pixel's exponentials, computed once, wait on the stack for the sum.
            emitted.scratchWords = context.layer.outputShape.channels
            emitted.statements = ["softmax_s8(&\(context.name), \(context.inputs[0]), \(context.output), scratch);"]
        }
        return emitted
    }
}
