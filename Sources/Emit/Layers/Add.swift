import TMDLFormat

/// ADD: int8 uses the quantisation the file stores for each input (as the reference does).
enum AddEmitter {
    static func emit(_ addition: Addition, _ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        let layer = context.layer
        let count = layer.inputShape.elementCount
        var emitted = EmittedLayer()
        guard context.isInt8 else {
            emitted.statements = ["add_f32(\(count), \(context.inputs[0]), \(context.inputs[1]), \(context.output));"]
            emitted.kernels = [.addF32]
            return emitted
        }
        let fields: [(String, String)] = [
            ("count", "\(count)"),
            ("a_zp", "\(layer.inputQuantization.zeroPoint)"),
            ("b_zp", "\(addition.secondInputQuantization.zeroPoint)"),
            ("a_scale", CFormat.float(layer.inputQuantization.scale)),
            ("b_scale", CFormat.float(addition.secondInputQuantization.scale)),
            ("out_scale", CFormat.float(layer.outputQuantization.scale)),
            ("out_zp", CFormat.float(Float(layer.outputQuantization.zeroPoint))),
        ]
        emitted.constants = [CFormat.parameterStruct(type: "add_s8_layer", name: context.name, fields)]
        emitted.statements = ["add_s8(&\(context.name), \(context.inputs[0]), \(context.inputs[1]), \(context.output));"]
        emitted.kernels = [.addS8]
        return emitted
    }
}
