import TMDLFormat

/// SOFTMAX: one parameter struct, one call (per pixel rows of `channels`).
enum SoftmaxEmitter {
    static func emit(_ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        let layer = context.layer
        var fields: [(String, String)] = [
            ("rows", "\(layer.inputShape.height * layer.inputShape.width)"),
            ("channels", "\(layer.inputShape.channels)"),
        ]
        if context.isInt8 {
            fields += [
                ("in_zp", "\(layer.inputQuantization.zeroPoint)"),
                ("in_scale", CFormat.float(layer.inputQuantization.scale)),
                ("out_scale", CFormat.float(layer.outputQuantization.scale)),
                ("out_zp", CFormat.float(Float(layer.outputQuantization.zeroPoint))),
            ]
        }
        let suffix = context.isInt8 ? "s8" : "f32"
        var emitted = EmittedLayer()
        emitted.constants = [CFormat.parameterStruct(type: "softmax_\(suffix)_layer", name: context.name, fields)]
        emitted.statements = ["softmax_\(suffix)(&\(context.name), \(context.inputs[0]), \(context.output));"]
        emitted.kernels = [context.isInt8 ? .softmaxS8 : .softmaxF32]
        return emitted
    }
}
