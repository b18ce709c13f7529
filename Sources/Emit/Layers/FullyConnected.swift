import TMDLFormat

/// FC: weights and bias arrays, one parameter struct, one call.
enum FullyConnectedEmitter {
    static func emit(_ fc: FullyConnected, _ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        let layer = context.layer
        let name = context.name
        var emitted = EmittedLayer()
        var fields: [(String, String)] = [
            ("in_count", "\(layer.inputShape.elementCount)"), ("out_count", "\(layer.outputShape.elementCount)"),
            ("weights", "\(name)_weights"), ("bias", "\(name)_bias"),
        ]
        emitted.kernels = [context.isInt8 ? .fcS8 : .fcF32]
        if context.isInt8 {
            let stage = try OutputStage.fullyConnected(fc, context)
            fields += stage.fields
            emitted.kernels.insert(stage.kernel)
        } else {
            if case .float32(let values) = fc.weights { try context.refuseNonFinite(values, "weights") }
            if case .float32(let values) = fc.bias { try context.refuseNonFinite(values, "biases") }
        }
        let suffix = context.isInt8 ? "s8" : "f32"
        var weights = fc.weights
        if case .int8(let stored) = fc.weights {
            let count = layer.inputShape.elementCount
            weights = .int8(
                WeightPacking.blocksOfFour(
                    stored, channels: layer.outputShape.elementCount, window: count, run: count,
                    interleavedByWords: context.arch.interleavesDot4Weights))
        }
        emitted.constants = [
            CFormat.constantArray(type: context.isInt8 ? "int8_t" : "float", name: "\(name)_weights", weights.cLiterals),
            CFormat.constantArray(type: context.isInt8 ? "int32_t" : "float", name: "\(name)_bias", fc.bias.cLiterals),
            CFormat.parameterStruct(type: "fc_\(suffix)_layer", name: name, fields),
        ]
        emitted.statements = ["fc_\(suffix)(&\(name), \(context.inputs[0]), \(context.output));"]
        return emitted
    }
}
