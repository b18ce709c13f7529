import TMDLFormat
import TMDLReference

/// The int8 output stage of CONV2D, DWCONV2D and FC in the chosen numerics profile: the
/// constants it needs, the `rq.` fields of the layer's parameter struct, and its template.
struct OutputStage {
    var constants: [String] = []
    var fields: [(String, String)]
    var kernel: Kernel

    static func convolution(_ conv: Convolution, _ context: LayerContext) throws(CodegenError) -> OutputStage {
        let layer = context.layer, name = context.name
        switch context.numerics {
        case .tinymaix:
            // f32(ws[c] * in_s) and f32(1 / out_s), computed here exactly as the reference does.
            let (scales, inverse) = tinymaixFactors(conv, layer: layer)
            try context.refuseNonFinite(scales + [inverse], "requantisation scales")
            let scalesArray = CFormat.constantArray(type: "float", name: "\(name)_scales", scales.map(CFormat.float))
            let zeroPoint = layer.outputQuantization.zeroPoint
            let bounded: [(String, String)] = [
                ("rq.scales", "\(name)_scales"), ("rq.inv_out_scale", CFormat.float(inverse)),
                ("rq.out_zp", CFormat.float(Float(zeroPoint))),
            ]
            switch context.boundedOutputStage {
            case .saturated:
                return OutputStage(constants: [scalesArray], fields: bounded, kernel: .requantTinymaixSaturated)
            case .clamped:
                let clamp = BoundedOutputStage.clamp(
                    activation: conv.activation, inverse: inverse, zeroPoint: zeroPoint)
                return OutputStage(
                    constants: [scalesArray], fields: bounded + [("rq.lo", "\(clamp.lo)"), ("rq.hi", "\(clamp.hi)")],
                    kernel: .requantTinymaixBounded)
            case nil:
                break
            }
            return OutputStage(
                constants: [scalesArray],
                fields: [
                    ("rq.scales", "\(name)_scales"), ("rq.act", ConvolutionEmitter.activationConstant(conv.activation)),
                    ("rq.inv_out_scale", CFormat.float(inverse)), ("rq.out_zp", CFormat.float(Float(zeroPoint))),
                ],
                kernel: .requantTinymaix)
        case .integer:
            let q = try context.integerParameters { () throws(ReferenceError) in
                try IntegerParameters.convolution(conv, layer: layer, index: context.index)
            }
            return OutputStage(
                constants: [
                    CFormat.constantArray(
                        type: "int32_t", name: "\(name)_multipliers", q.multipliers.map { "\($0.multiplier)" }),
                    CFormat.constantArray(type: "int8_t", name: "\(name)_shifts", q.multipliers.map { "\($0.shift)" }),
                ],
                fields: [
                    ("rq.multipliers", "\(name)_multipliers"), ("rq.shifts", "\(name)_shifts"),
                    ("rq.out_zp", "\(q.outputZeroPoint)"), ("rq.lo", "\(q.lowest)"), ("rq.hi", "\(q.highest)"),
                ],
                kernel: .requantInteger)
        }
    }

    /// The tinymaix stage's factors of a CONV2D or DWCONV2D, computed as the reference does:
    /// f32(ws[c] * in_s) per channel and f32(1 / out_s).
    static func tinymaixFactors(_ conv: Convolution, layer: Layer) -> (scales: [Float], inverse: Float) {
        (conv.weightScales.map { $0 * layer.inputQuantization.scale }, 1 / layer.outputQuantization.scale)
    }

    static func fullyConnected(_ fc: FullyConnected, _ context: LayerContext) throws(CodegenError) -> OutputStage {
        let layer = context.layer
        switch context.numerics {
        case .tinymaix:
            return OutputStage(
                fields: [
                    ("rq.in_scale", CFormat.float(layer.inputQuantization.scale)),
                    ("rq.weight_scale", CFormat.float(fc.weightScales[0])),
                    ("rq.out_scale", CFormat.float(layer.outputQuantization.scale)),
                    ("rq.out_zp", CFormat.float(Float(layer.outputQuantization.zeroPoint))),
                ],
                kernel: context.boundedOutputStage != nil ? .requantFCTinymaixBounded : .requantFCTinymaix)
        case .integer:
            let q = try context.integerParameters { () throws(ReferenceError) in
                try IntegerParameters.fullyConnected(fc, layer: layer, index: context.index)
            }
            return OutputStage(
                fields: [
                    ("rq.multiplier", "\(q.multipliers[0].multiplier)"), ("rq.shift", "\(q.multipliers[0].shift)"),
                    ("rq.out_zp", "\(q.outputZeroPoint)"),
                ],
                kernel: .requantFCInteger)
        }
    }
}
