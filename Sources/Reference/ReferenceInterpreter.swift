import TMDLFormat

/// One layer's computation, prepared once per model.
protocol ReferenceLayer: Sendable {
    func evaluate(_ inputs: [TensorData]) -> TensorData
}

/// RESHAPE: the bytes are unchanged.
private struct ReshapeLayer: ReferenceLayer {
    func evaluate(_ inputs: [TensorData]) -> TensorData { inputs[0] }
}

/// What one inference produced.
public struct InferenceResult: Hashable, Sendable {
    /// The output layer's raw output (int8 codes or fp32 values).
    public var output: TensorData
    /// The output as float32: dequantised for quantised models, the raw output for fp32.
    public var dequantizedOutput: [Float]
}

/// The semantics of a model: computes exactly what `docs/numerics.md` (the tinymaix
/// profile) or `docs/numerics-integer.md` (the integer profile) defines, layer by layer,
/// and lets a caller observe every layer's output. Everything the generated C computes
/// is checked against this.
public struct ReferenceInterpreter: Sendable {
    public let model: Model
    public let numerics: NumericsProfile
    public let dataflow: Dataflow
    private let layers: [any ReferenceLayer]

    /// Validates the model and prepares each layer; throws if the model uses
    /// something the profile does not define.
    public init(model: Model, numerics: NumericsProfile = .tinymaix) throws {
        try ModelValidator.validate(model)
        guard model.type == .int8 || model.type == .float32 else {
            throw ReferenceError.unsupportedModelType(model.type)
        }
        if numerics == .integer && model.type != .int8 {
            throw ReferenceError.profileNeedsInt8(numerics, model.type)
        }
        self.model = model
        self.numerics = numerics
        let dataflow = try Dataflow(model: model)
        self.dataflow = dataflow
        self.layers = try model.layers.enumerated().map { index, layer in
            try Self.prepare(layer, index: index, model: model, dataflow: dataflow, numerics: numerics)
        }
    }

    private static func prepare(
        _ layer: Layer, index: Int, model: Model, dataflow: Dataflow, numerics: NumericsProfile
    ) throws(ReferenceError) -> any ReferenceLayer {
        let type = model.type
        if type == .int8 {
            try checkZeroPoints(layer, index: index)
        }
        func checkAccumulator(_ bound: Int) throws(ReferenceError) {
            if type == .int8 && bound > Int(Int32.max) {
                throw .accumulatorMayOverflow(layer: index, kind: layer.kind, bound: bound)
            }
        }
        switch layer.operation {
        case .conv2D(let conv), .depthwiseConv2D(let conv, _):
            var depthMultiplier: Int?
            if case .depthwiseConv2D(_, let multiplier) = layer.operation { depthMultiplier = multiplier }
            let prepared = try ConvolutionLayer(
                layer: layer, conv: conv, depthMultiplier: depthMultiplier, index: index, numerics: numerics)
            try checkAccumulator(prepared.accumulatorBound)
            return prepared
        case .fullyConnected(let fc):
            let prepared = try FullyConnectedLayer(layer: layer, fc: fc, index: index, numerics: numerics)
            try checkAccumulator(prepared.accumulatorBound)
            return prepared
        case .globalAveragePool:
            let prepared = try GlobalAveragePoolLayer(layer: layer, index: index, numerics: numerics)
            try checkAccumulator(prepared.accumulatorBound)
            return prepared
        case .softmax:
            return try SoftmaxLayer(layer: layer, index: index, numerics: numerics)
        case .reshape:
            return ReshapeLayer()
        case .add(let addition):
            let producers = dataflow.inputs[index].map { Dataflow.quantization(of: $0, in: model) }
            return try AddLayer(
                layer: layer, addition: addition, index: index, numerics: numerics, producers: (producers[0], producers[1]))
        }
    }

    private static func checkZeroPoints(_ layer: Layer, index: Int) throws(ReferenceError) {
        var zeroPoints = [
            ("in_zp", layer.inputQuantization.zeroPoint), ("out_zp", layer.outputQuantization.zeroPoint),
        ]
        if case .add(let addition) = layer.operation {
            zeroPoints.append(("in_zp1", addition.secondInputQuantization.zeroPoint))
        }
        for (field, value) in zeroPoints where !(-128...127).contains(value) {
            throw .zeroPointOutOfRange(layer: index, kind: layer.kind, field: field, value: value)
        }
    }

    /// Runs one inference; `observe` sees each layer's index and output as it is computed.
    public func run(_ input: TensorData, observe: ((Int, TensorData) -> Void)? = nil) throws(ReferenceError)
        -> InferenceResult
    {
        guard input.count == model.inputShape.elementCount else {
            throw .inputSizeMismatch(expected: model.inputShape.elementCount, actual: input.count)
        }
        switch (model.type, input) {
        case (.int8, .int8), (.float32, .float32): break
        default: throw .inputTypeMismatch(expected: model.type)
        }
        var outputs: [TensorData?] = Array(repeating: nil, count: layers.count)
        for (index, layer) in layers.enumerated() {
            let inputs = dataflow.inputs[index].map { source -> TensorData in
                switch source {
                case .modelInput: return input
                case .layer(let producer): return outputs[producer]!
                }
            }
            let output = layer.evaluate(inputs)
            observe?(index, output)
            outputs[index] = output
        }
        // Validation guarantees exactly one output layer.
        let outputIndex = model.outputLayerIndex!
        let output = outputs[outputIndex]!
        return InferenceResult(output: output, dequantizedOutput: dequantize(output, model.layers[outputIndex]))
    }

    /// Every layer's output, in order.
    public func trace(_ input: TensorData) throws(ReferenceError) -> [TensorData] {
        var outputs: [TensorData] = []
        _ = try run(input) { _, output in outputs.append(output) }
        return outputs
    }

    private func dequantize(_ output: TensorData, _ layer: Layer) -> [Float] {
        switch output {
        case .int8(let values):
            let zeroPoint = layer.outputQuantization.zeroPoint, scale = layer.outputQuantization.scale
            return values.map { Float(Int32($0) - zeroPoint) * scale }
        case .float32(let values):
            return values
        }
    }
}
