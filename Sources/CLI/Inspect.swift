import ArgumentParser
import TMDLFormat
import TMDLPlan

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model's header, layers, totals and warnings.",
        discussion: """
            The layer table gives, per layer: type, input -> output shape, kernel, stride,
            padding [top,bottom,left,right], activation, multiply-accumulates, parameter
            bytes (weights, bias, scales) and the activation-buffer offsets the file uses.
            Warnings flag legal but suspicious things, such as an ADD whose stored input
            quantisation does not match the layer that produced that input.
            """)

    @Argument(help: "The .tmdl model file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let loaded = try loadModel(model)
        print(json ? jsonReport(loaded) : textReport(loaded))
    }

    private struct Row {
        var kernel = "", stride = "", padding = "", activation = ""
    }

    private func geometry(_ layer: Layer) -> Row {
        switch layer.operation {
        case .conv2D(let conv), .depthwiseConv2D(let conv, _):
            var activation = conv.activation.description
            if case .depthwiseConv2D(_, let multiplier) = layer.operation, multiplier > 1 {
                activation += " dm\(multiplier)"
            }
            var kernel = "\(conv.kernelHeight)x\(conv.kernelWidth)"
            if conv.dilationHeight > 1 || conv.dilationWidth > 1 {
                kernel += " d\(conv.dilationHeight)x\(conv.dilationWidth)"
            }
            return Row(
                kernel: kernel, stride: "\(conv.strideHeight)x\(conv.strideWidth)", padding: conv.padding.description,
                activation: activation)
        default:
            return Row()
        }
    }

    private func offsets(_ layer: Layer) -> String {
        let inputs = layer.inputOffsets.map(String.init).joined(separator: "+")
        return "\(inputs) -> \(layer.outputOffset)"
    }

    /// The generated code's arena for this model (the model input stays in the caller's buffer).
    func arenaPlan(_ model: Model) -> ArenaPlan? {
        (try? Dataflow(model: model)).map { ArenaPlanner.plan(model, dataflow: $0) }
    }

    func textReport(_ loaded: LoadedModel) -> String {
        let model = loaded.model
        let input = model.inputQuantization
        var lines = [
            "\(self.model): \(model.type), \(loaded.byteOrder.rawValue), \(model.layers.count) layers"
                + (model.outputDequantized ? ", output also dequantised to float32" : ""),
            "input \(model.inputShape)" + (model.type.isQuantized ? " (scale \(input.scale), zero point \(input.zeroPoint))" : "")
                + ", output \(model.outputShape)",
            "",
        ]
        var rows = [["#", "type", "in -> out", "kernel", "stride", "pad", "act", "MACs", "param bytes", "buffer offsets"]]
        for (index, layer) in model.layers.enumerated() {
            let row = geometry(layer)
            rows.append([
                "\(index)", layer.kind.description + (layer.isOutput ? "*" : ""),
                "\(layer.inputShape) -> \(layer.outputShape)", row.kernel, row.stride, row.padding, row.activation,
                "\(layer.multiplyAccumulates)", "\(layer.parameterBytes)", offsets(layer),
            ])
        }
        lines.append(table(rows))
        lines.append("")
        lines.append("totals: \(model.multiplyAccumulates) MACs, \(model.parameterBytes) parameter bytes")
        if let plan = arenaPlan(model) {
            lines.append(
                "activation memory: arena \(plan.arenaSize) bytes (tmdl-codegen's plan), liveness lower bound "
                    + "\(plan.livenessLowerBound), the file's buf_size \(model.bufferSize)")
            let notes = inPlaceNotes(plan)
            if !notes.isEmpty { lines.append("  " + notes.joined(separator: "; ")) }
        }
        lines.append("(* marks the output layer)")
        if !loaded.warnings.isEmpty {
            lines.append("warnings:")
            lines += loaded.warnings.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    func jsonReport(_ loaded: LoadedModel) -> String {
        let model = loaded.model
        let plan = arenaPlan(model)
        func shape(_ shape: Shape) -> String { JSON.array([shape.height, shape.width, shape.channels].map(String.init)) }
        func quantization(_ q: Quantization) -> String {
            JSON.object([("scale", JSON.number(q.scale)), ("zero_point", "\(q.zeroPoint)")])
        }
        let layers = model.layers.enumerated().map { index, layer in
            var fields: [(String, String)] = [
                ("index", "\(index)"), ("type", JSON.string(layer.kind.description)),
                ("is_output", layer.isOutput ? "true" : "false"),
                ("input_shape", shape(layer.inputShape)), ("output_shape", shape(layer.outputShape)),
                ("input_quantization", quantization(layer.inputQuantization)),
                ("output_quantization", quantization(layer.outputQuantization)),
                ("macs", "\(layer.multiplyAccumulates)"), ("parameter_bytes", "\(layer.parameterBytes)"),
                ("input_offsets", JSON.array(layer.inputOffsets.map(String.init))),
                ("output_offset", "\(layer.outputOffset)"),
            ]
            switch layer.operation {
            case .conv2D(let conv), .depthwiseConv2D(let conv, _):
                fields += [
                    ("kernel", JSON.array(["\(conv.kernelHeight)", "\(conv.kernelWidth)"])),
                    ("stride", JSON.array(["\(conv.strideHeight)", "\(conv.strideWidth)"])),
                    ("dilation", JSON.array(["\(conv.dilationHeight)", "\(conv.dilationWidth)"])),
                    ("padding", JSON.array([conv.padding.top, conv.padding.bottom, conv.padding.left, conv.padding.right].map(String.init))),
                    ("activation", JSON.string(conv.activation.description)),
                ]
                if case .depthwiseConv2D(_, let multiplier) = layer.operation {
                    fields.append(("depth_multiplier", "\(multiplier)"))
                }
            case .add(let addition):
                fields.append(("second_input_quantization", quantization(addition.secondInputQuantization)))
            default: break
            }
            return JSON.object(fields)
        }
        return JSON.object([
            ("model", JSON.string(self.model)), ("type", JSON.string(model.type.description)),
            ("byte_order", JSON.string(loaded.byteOrder.rawValue)),
            ("output_dequantized", model.outputDequantized ? "true" : "false"),
            ("input_shape", shape(model.inputShape)), ("output_shape", shape(model.outputShape)),
            ("layers", "[\n  " + layers.joined(separator: ",\n  ") + "\n]"),
            ("macs", "\(model.multiplyAccumulates)"), ("parameter_bytes", "\(model.parameterBytes)"),
            ("buffer_size", "\(model.bufferSize)"),
            ("arena_bytes", plan.map { "\($0.arenaSize)" } ?? "null"),
            ("liveness_lower_bound", plan.map { "\($0.livenessLowerBound)" } ?? "null"),
            ("input_offset", plan?.inputOffset.map { "\($0)" } ?? "null"),
            ("in_place_layers", plan.map { JSON.array($0.inPlaceLayers.map { "\($0)" }) } ?? "null"),
            ("warnings", JSON.array(loaded.warnings.map { JSON.string($0.description) })),
        ])
    }
}
