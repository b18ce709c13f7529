/// The checks every model must pass, whether it came from a file or from the
/// builder: shapes consistent with each layer's type, data counts matching the
/// shapes, tensors inside the activation buffer, every input produced before it
/// is read. Once a model passes, later stages trust it.
public enum ModelValidator {
    /// Throws on the first problem; returns the warnings for legal but suspicious things.
    /// `layerOffsets` (file offsets of the layers) turns field names into byte offsets.
    @discardableResult
    public static func validate(_ model: Model, layerOffsets: [Int]? = nil) throws(FormatError) -> [ModelWarning] {
        try validateHeader(model)
        var warnings: [ModelWarning] = []
        for (index, layer) in model.layers.enumerated() {
            let check = LayerCheck(model: model, index: index, layer: layer, fileOffset: layerOffsets?[index])
            try check.validateShapesAndData()
            try check.validateRegions()
            warnings += check.scaleWarnings()
        }
        let dataflow = try Dataflow(model: model, layerOffsets: layerOffsets)
        warnings += quantizationWarnings(model, dataflow)
        return warnings
    }

    private static func validateHeader(_ model: Model) throws(FormatError) {
        func fail(_ reason: FormatError.Reason, _ field: FieldLocation, _ message: String) -> FormatError {
            FormatError(reason, field: field.name, byteOffset: field.offset, message: message)
        }
        guard model.inputCount == 1 else {
            throw fail(.unsupported, Field.inputCount, "\(model.inputCount) inputs; only single-input models are supported")
        }
        guard model.outputCount == 1 else {
            throw fail(.unsupported, Field.outputCount, "\(model.outputCount) outputs; only single-output models are supported")
        }
        guard !model.layers.isEmpty else { throw fail(.inconsistent, Field.layerCount, "the model has no layers") }
        let outputLayers = model.layers.indices.filter { model.layers[$0].isOutput }
        guard outputLayers.count == 1, let outputLayer = outputLayers.first else {
            throw fail(
                .inconsistent, Field.outputCount,
                "the header declares 1 output but \(outputLayers.count) layers are marked is_out")
        }
        guard model.bufferSize > 0 else { throw fail(.inconsistent, Field.bufferSize, "the activation buffer is empty") }
        guard model.inputShape.hasSameExtent(as: model.layers[0].inputShape) else {
            throw fail(
                .inconsistent, Field.modelInputDims,
                "\(model.inputShape) differs from the first layer's input \(model.layers[0].inputShape)")
        }
        guard model.outputShape.hasSameExtent(as: model.layers[outputLayer].outputShape) else {
            throw fail(
                .inconsistent, Field.modelOutputDims,
                "\(model.outputShape) differs from the output of layer \(outputLayer), "
                    + "\(model.layers[outputLayer].outputShape)")
        }
    }

    private static func quantizationWarnings(_ model: Model, _ dataflow: Dataflow) -> [ModelWarning] {
        guard model.type.isQuantized else { return [] }
        var warnings: [ModelWarning] = []
        for (index, layer) in model.layers.enumerated() {
            var stored = [layer.inputQuantization]
            if case .add(let addition) = layer.operation { stored.append(addition.secondInputQuantization) }
            for (position, source) in dataflow.inputs[index].enumerated() {
                let produced = Dataflow.quantization(of: source, in: model)
                guard !stored[position].isIdentical(to: produced) else { continue }
                let offset = layer.inputOffsets[position]
                var message =
                    "\(layer.kind) input at activation offset \(offset) is stored with "
                    + "\(describe(stored[position])), but \(source) produced it with \(describe(produced))"
                if layer.kind == .add {
                    message += "; the converter can pair an ADD's input quantisations with the wrong buffers"
                }
                warnings.append(ModelWarning(.inputQuantizationMismatch, layerIndex: index, message: message))
            }
        }
        return warnings
    }
}

func describe(_ quantization: Quantization) -> String {
    "scale \(quantization.scale) zero point \(quantization.zeroPoint)"
}

/// One layer's checks, with its place for error messages.
private struct LayerCheck {
    let model: Model
    let index: Int
    let layer: Layer
    let fileOffset: Int?

    func error(_ reason: FormatError.Reason, _ field: FieldLocation, _ message: String) -> FormatError {
        FormatError(
            reason, layerIndex: index, layerKind: layer.kind, field: field.name,
            byteOffset: fileOffset.map { $0 + field.offset }, message: message)
    }

    func validateShapesAndData() throws(FormatError) {
        let input = layer.inputShape
        let output = layer.outputShape
        if model.type.isQuantized {
            try requirePositiveScale(layer.inputQuantization.scale, Field.inputScale)
            try requirePositiveScale(layer.outputQuantization.scale, Field.outputScale)
        }
        switch layer.operation {
        case .conv2D(let conv):
            try validateConvolution(conv, depthMultiplier: nil)
        case .depthwiseConv2D(let conv, let depthMultiplier):
            try validateConvolution(conv, depthMultiplier: depthMultiplier)
        case .fullyConnected(let fc):
            guard output.height == 1, output.width == 1 else {
                throw error(.inconsistent, Field.outputDims, "an FC output must be 1x1xC, found \(output)")
            }
            try validateData(
                weights: fc.weights, expectedWeights: input.elementCount * output.channels, bias: fc.bias,
                scales: fc.weightScales, channelsOut: output.channels,
                fields: (Field.fcWeightScaleOffset, Field.fcWeightOffset, Field.fcBiasOffset))
            if model.type.isQuantized {
                try requirePositiveScale(fc.weightScales[0], Field.fcWeightScaleOffset, what: "the weight scale")
            }
        case .globalAveragePool:
            guard output.height == 1, output.width == 1, output.channels == input.channels else {
                throw error(.inconsistent, Field.outputDims, "GAP of \(input) must give 1x1x\(input.channels), found \(output)")
            }
        case .softmax:
            guard output.hasSameExtent(as: input) else {
                throw error(.inconsistent, Field.outputDims, "SOFTMAX keeps its input shape \(input), found \(output)")
            }
        case .reshape:
            guard output.elementCount == input.elementCount else {
                throw error(
                    .inconsistent, Field.outputDims,
                    "RESHAPE of \(input) (\(input.elementCount) elements) to \(output) changes the element count")
            }
            guard layer.inputOffset == layer.outputOffset else {
                throw error(
                    .inconsistent, Field.outputOffset,
                    "a RESHAPE only relabels its input, so out_oft must equal in_oft (\(layer.inputOffset)), "
                        + "found \(layer.outputOffset)")
            }
        case .add(let addition):
            guard output.hasSameExtent(as: input) else {
                throw error(.inconsistent, Field.outputDims, "ADD keeps its input shape \(input), found \(output)")
            }
            if model.type.isQuantized {
                try requirePositiveScale(addition.secondInputQuantization.scale, Field.secondInputScale)
            }
        }
    }

    private func requirePositiveScale(_ scale: Float, _ field: FieldLocation, what: String = "a scale")
        throws(FormatError)
    {
        guard scale.isFinite, scale > 0 else {
            throw error(.inconsistent, field, "\(what) must be a finite number above 0, found \(scale)")
        }
    }

    private func validateConvolution(_ conv: Convolution, depthMultiplier: Int?) throws(FormatError) {
        let input = layer.inputShape
        let output = layer.outputShape
        for (value, field) in [
            (conv.kernelWidth, Field.kernelWidth), (conv.kernelHeight, Field.kernelHeight),
            (conv.strideWidth, Field.strideWidth), (conv.strideHeight, Field.strideHeight),
            (conv.dilationWidth, Field.dilationWidth), (conv.dilationHeight, Field.dilationHeight),
        ] where value < 1 {
            throw error(.inconsistent, field, "must be at least 1, found \(value)")
        }
        let expectedChannels = input.channels * (depthMultiplier ?? 1)
        if let depthMultiplier {
            guard output.channels == expectedChannels else {
                throw error(
                    .inconsistent, Field.outputDims,
                    "a DWCONV2D with depth multiplier \(depthMultiplier) on \(input.channels) channels gives "
                        + "\(expectedChannels) channels, found \(output.channels)")
            }
        }
        let pad = conv.padding
        let height = Convolution.outputExtent(
            input: input.height, kernel: conv.kernelHeight, stride: conv.strideHeight,
            dilation: conv.dilationHeight, padBefore: pad.top, padAfter: pad.bottom)
        let width = Convolution.outputExtent(
            input: input.width, kernel: conv.kernelWidth, stride: conv.strideWidth,
            dilation: conv.dilationWidth, padBefore: pad.left, padAfter: pad.right)
        guard let height, let width, height == output.height, width == output.width else {
            let expected = height.flatMap { h in width.map { "\(h)x\($0)" } } ?? "no output (the window does not fit)"
            throw error(
                .inconsistent, Field.outputDims,
                "a \(conv.kernelHeight)x\(conv.kernelWidth) window, stride \(conv.strideHeight)x\(conv.strideWidth), "
                    + "pad \(pad) over \(input.height)x\(input.width) gives \(expected), found "
                    + "\(output.height)x\(output.width)")
        }
        let taps = conv.kernelHeight * conv.kernelWidth
        try validateData(
            weights: conv.weights, expectedWeights: output.channels * taps * (depthMultiplier == nil ? input.channels : 1),
            bias: conv.bias, scales: conv.weightScales, channelsOut: output.channels,
            fields: (Field.convWeightScaleOffset, Field.convWeightOffset, Field.convBiasOffset))
        if conv.weightScales.contains(where: { !$0.isFinite || $0 < 0 }) {
            throw error(.inconsistent, Field.convWeightScaleOffset, "weight scales must be finite and not negative")
        }
    }

    private func validateData(
        weights: NumericArray, expectedWeights: Int, bias: NumericArray, scales: [Float], channelsOut: Int,
        fields: (scales: FieldLocation, weights: FieldLocation, bias: FieldLocation)
    ) throws(FormatError) {
        let type = model.type
        guard weights.count == expectedWeights, weights.elementSize == type.activationElementSize else {
            throw error(
                .inconsistent, fields.weights,
                "expected \(expectedWeights) weights of \(type.activationElementSize) bytes, found \(weights.count) "
                    + "of \(weights.elementSize)")
        }
        let biasSize = type.isQuantized ? 4 : type.activationElementSize
        guard bias.count == channelsOut, bias.elementSize == biasSize else {
            throw error(
                .inconsistent, fields.bias,
                "expected \(channelsOut) biases of \(biasSize) bytes, found \(bias.count) of \(bias.elementSize)")
        }
        let expectedScales = type.isQuantized ? channelsOut : 0
        guard scales.count == expectedScales else {
            throw error(.inconsistent, fields.scales, "expected \(expectedScales) weight scales, found \(scales.count)")
        }
    }

    /// Every tensor the layer touches lies inside the activation buffer.
    func validateRegions() throws(FormatError) {
        let elementSize = model.type.activationElementSize
        var regions = [
            (layer.inputOffset, layer.inputShape.elementCount * elementSize, Field.inputOffset),
            (layer.outputOffset, layer.outputShape.elementCount * elementSize, Field.outputOffset),
        ]
        if case .add(let addition) = layer.operation {
            regions.append((addition.secondInputOffset, layer.inputShape.elementCount * elementSize, Field.secondInputOffset))
        }
        for (offset, length, field) in regions where offset > model.bufferSize || length > model.bufferSize - offset {
            throw error(
                .outOfRange, field,
                "\(length) bytes at activation offset \(offset) do not fit in the \(model.bufferSize)-byte buffer")
        }
    }

    func scaleWarnings() -> [ModelWarning] {
        let conv: Convolution
        switch layer.operation {
        case .conv2D(let c), .depthwiseConv2D(let c, _): conv = c
        default: return []
        }
        guard conv.weightScales.count > 1, conv.weightScales[0] != 0,
            conv.weightScales.dropFirst().allSatisfy({ $0 == 0 })
        else { return [] }
        return [
            ModelWarning(
                .perTensorScaleStoredPerChannel, layerIndex: index,
                message: "the weight scale is stored as one value followed by zeros (a per-tensor scale)")
        ]
    }
}
