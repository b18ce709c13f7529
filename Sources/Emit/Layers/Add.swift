import TMDLFormat
import TMDLReference

/// ADD: in the tinymaix profile int8 uses the quantisation the file stores for each input (as
/// TinyMaix does); in the integer profile each input's comes from the layer that produced it.
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
        var fields: [(String, String)] = [("count", "\(count)")]
        switch context.numerics {
        case .tinymaix:
            fields += [
                ("a_zp", "\(layer.inputQuantization.zeroPoint)"),
                ("b_zp", "\(addition.secondInputQuantization.zeroPoint)"),
                ("a_scale", CFormat.float(layer.inputQuantization.scale)),
                ("b_scale", CFormat.float(addition.secondInputQuantization.scale)),
                ("out_scale", CFormat.float(layer.outputQuantization.scale)),
                ("out_zp", CFormat.float(Float(layer.outputQuantization.zeroPoint))),
            ]
        case .integer:
            let q = try context.integerParameters { () throws(ReferenceError) in
                try IntegerParameters.add(
                    first: context.inputQuantizations[0], second: context.inputQuantizations[1], layer: layer,
                    index: context.index)
            }
            fields += [
                ("a_zp", "\(q.firstZeroPoint)"), ("a_multiplier", "\(q.first.multiplier)"),
                ("a_right_shift", "\(-q.first.shift)"),
                ("b_zp", "\(q.secondZeroPoint)"), ("b_multiplier", "\(q.second.multiplier)"),
                ("b_right_shift", "\(-q.second.shift)"),
                ("out_multiplier", "\(q.output.multiplier)"), ("out_right_shift", "\(-q.output.shift)"),
                ("out_zp", "\(q.outputZeroPoint)"),
            ]
        }
        emitted.constants = [CFormat.parameterStruct(type: "add_s8_layer", name: context.name, fields)]
        emitted.statements = ["add_s8(&\(context.name), \(context.inputs[0]), \(context.inputs[1]), \(context.output));"]
        emitted.kernels = [context.numerics.add]
        return emitted
    }
}
