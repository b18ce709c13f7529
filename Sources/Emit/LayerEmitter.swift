import TMDLFormat
import TMDLReference

/// What one layer's emitter needs to know: the layer, where its tensors are (as C
/// pointer expressions) and the names to give its constants.
struct LayerContext {
    let index: Int
    let layer: Layer
    let modelType: ModelType
    let numerics: NumericsProfile
    let arch: Arch
    /// How the tinymaix output stages run as an integer clamp (proved for the whole model), or
    /// nil for the float chain.
    let boundedOutputStage: BoundedOutputStage.Form?
    /// The quantisation of each input as its producer wrote it.
    let inputQuantizations: [Quantization]
    let inputs: [String]
    let output: String
    /// Whether the arena plan puts the layer's output over its input (InPlaceAccess): then its kernel
    /// must write in raster order.
    let runsInPlace: Bool

    /// Prefix of the layer's constants: `layer3_weights`, `layer3`.
    var name: String { "layer\(index)" }
    var isInt8: Bool { modelType == .int8 }

    /// The integer profile's parameters for this layer. The generator checked the model with the
    /// reference in the same profile, so a failure here would be an internal inconsistency.
    func integerParameters<T>(_ derive: () throws(ReferenceError) -> T) throws(CodegenError) -> T {
        do {
            return try derive()
        } catch {
            throw .unsupportedModel("\(error)")
        }
    }

    func refuseNonFinite(_ values: [Float], _ what: String) throws(CodegenError) {
        if values.contains(where: { !$0.isFinite }) {
            throw .nonFiniteConstant(layer: index, kind: layer.kind, what: what)
        }
    }
}

/// One layer's share of the generated file.
struct EmittedLayer {
    var kernels: Set<Kernel> = []
    /// Complete C declarations (arrays, parameter structs), in order.
    var constants: [String] = []
    /// Statements of NAME_run (the generator adds the layer comment and the hook).
    var statements: [String] = []
    /// Stack scratch the kernel needs, in 4-byte elements, passed as `scratch`: int32_t for int8
    /// models, float for fp32 models. Kernels access it through that type, or bytes, or memcpy
    /// (C99's aliasing rules). NAME_run declares the largest any layer needs.
    var scratchWords = 0
    /// Stack scratch of int16 the kernel needs, passed as `scratch16`: int16 values may not be
    /// stored into the int32 `scratch`. NAME_run declares the largest any layer needs.
    var scratchHalves = 0
}

/// Each layer kind's emitter lives in `Layers/`.
enum LayerEmitters {
    static func emit(_ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        switch context.layer.operation {
        case .conv2D(let conv):
            return try ConvolutionEmitter.emit(conv, depthMultiplier: nil, context)
        case .depthwiseConv2D(let conv, let multiplier):
            return try ConvolutionEmitter.emit(conv, depthMultiplier: multiplier, context)
        case .fullyConnected(let fc):
            return try FullyConnectedEmitter.emit(fc, context)
        case .globalAveragePool:
            return try GlobalAveragePoolEmitter.emit(context)
        case .softmax:
            return try SoftmaxEmitter.emit(context)
        case .add(let addition):
            return try AddEmitter.emit(addition, context)
        case .reshape:
            return EmittedLayer()  // the output aliases the input: nothing to compute
        }
    }
}

extension NumericArray {
    /// The values as C literals.
    var cLiterals: [String] {
        switch self {
        case .int8(let values): return values.map { "\($0)" }
        case .int32(let values): return values.map { $0 == Int32.min ? "(-2147483647 - 1)" : "\($0)" }
        case .float32(let values): return values.map(CFormat.float)
        case .int16, .float16Bits, .fp8Codes:
            preconditionFailure("the generator accepts int8 and fp32 models only")
        }
    }
}
