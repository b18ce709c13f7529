import TMDLFormat
import TMDLReference

/// GAP: one parameter struct, one call.
enum GlobalAveragePoolEmitter {
    static func emit(_ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        var integerFields: [(String, String)]?
        if context.isInt8 && context.numerics == .integer {
            let q = try context.integerParameters { () throws(ReferenceError) in
                try IntegerParameters.mean(layer: context.layer, index: context.index)
            }
            integerFields = [
                ("in_zp", "\(q.inputZeroPoint)"), ("multiplier", "\(q.multiplier.multiplier)"),
                ("shift", "\(q.multiplier.shift)"), ("out_zp", "\(q.outputZeroPoint)"),
            ]
        }
        return PerChannelEmitter.emit(
            kernel: "gap", countField: "pixels", context, int8: context.numerics.globalAveragePool, float: .gapF32,
            integerFields: integerFields)
    }
}

/// GAP and SOFTMAX share their parameters: how many pixels (rows), how many channels, and
/// for int8 in the tinymaix profile the input and output quantisation (the integer profile
/// passes its derived parameters instead). A kernel that needs stack scratch gets NAME_run's
/// `scratch` as its last argument, `scratchWords` words of it.
enum PerChannelEmitter {
    static func emit(
        kernel: String, countField: String, _ context: LayerContext, int8: Kernel, float: Kernel,
        integerFields: [(String, String)]?, tinymaixFields: [(String, String)] = [], scratchWords: Int = 0
    ) -> EmittedLayer {
        let layer = context.layer
        var fields: [(String, String)] = [
            (countField, "\(layer.inputShape.height * layer.inputShape.width)"),
            ("channels", "\(layer.inputShape.channels)"),
        ]
        if let integerFields {
            fields += integerFields
        } else if context.isInt8 {
            fields += [
                ("in_zp", "\(layer.inputQuantization.zeroPoint)"),
                ("in_scale", CFormat.float(layer.inputQuantization.scale)),
                ("out_scale", CFormat.float(layer.outputQuantization.scale)),
                ("out_zp", CFormat.float(Float(layer.outputQuantization.zeroPoint))),
            ] + tinymaixFields
        }
        let suffix = context.isInt8 ? "s8" : "f32"
        var emitted = EmittedLayer()
        emitted.constants = [CFormat.parameterStruct(type: "\(kernel)_\(suffix)_layer", name: context.name, fields)]
        let scratch = scratchWords > 0 ? ", scratch" : ""
        emitted.statements = ["\(kernel)_\(suffix)(&\(context.name), \(context.inputs[0]), \(context.output)\(scratch));"]
        emitted.scratchWords = scratchWords
        emitted.kernels = [context.isInt8 ? int8 : float]
        return emitted
    }
}
