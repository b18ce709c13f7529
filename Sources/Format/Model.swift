// The model as plain values: what a .tmdl file says, with nothing about C or
// about how the layers are computed. `ModelReader` produces it (validated),
// `ModelWriter` turns it back into bytes.

/// The element type of a model's weights and activations (`mdl_type`).
public enum ModelType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case int8 = 0
    case int16 = 1
    case float32 = 2
    case float16 = 3
    /// TinyMaix's experimental 8-bit float, 1 sign, 4 exponent, 3 mantissa bits.
    case fp8E4M3 = 4
    /// TinyMaix's experimental 8-bit float, 1 sign, 5 exponent, 2 mantissa bits.
    case fp8E5M2 = 5

    /// Bytes of one activation element.
    public var activationElementSize: Int {
        switch self {
        case .int8, .fp8E4M3, .fp8E5M2: return 1
        case .int16, .float16: return 2
        case .float32: return 4
        }
    }

    /// Integer models store zero points as i32; the others as f32.
    public var isQuantized: Bool { self == .int8 || self == .int16 }

    public var description: String {
        switch self {
        case .int8: return "int8"
        case .int16: return "int16"
        case .float32: return "fp32"
        case .float16: return "fp16"
        case .fp8E4M3: return "fp8 (1-4-3)"
        case .fp8E5M2: return "fp8 (1-5-2)"
        }
    }
}

/// A tensor shape, HWC with channels fastest, as the file stores it:
/// `rank` (1...3) says how many of height, width, channels are meaningful, but
/// the element count is always `height * width * channels`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var rank: Int
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(rank: Int = 3, height: Int, width: Int, channels: Int) {
        self.rank = rank
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// A 1x1xC vector, stored with rank 1 as the converter writes it.
    public static func vector(_ channels: Int) -> Shape {
        Shape(rank: 1, height: 1, width: 1, channels: channels)
    }

    public var elementCount: Int { height * width * channels }

    /// Same extent, ignoring how the rank is written.
    public func hasSameExtent(as other: Shape) -> Bool {
        height == other.height && width == other.width && channels == other.channels
    }

    public var description: String { "\(height)x\(width)x\(channels)" }
}

/// `real = scale * (q - zeroPoint)`. Float models carry these fields too, unused.
public struct Quantization: Hashable, Sendable {
    public var scale: Float
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// What float models store: scale 1, zero point 0.
    public static let identity = Quantization(scale: 1, zeroPoint: 0)

    /// Equal bit for bit (so that -0.0 and NaN scales compare as stored).
    public func isIdentical(to other: Quantization) -> Bool {
        scale.bitPattern == other.scale.bitPattern && zeroPoint == other.zeroPoint
    }
}

/// The fused activation of a convolution (`act`).
public enum Activation: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case relu = 1
    case reluN1To1 = 2
    case relu6 = 3
    case tanh = 4
    case signBit = 5

    public var description: String {
        switch self {
        case .none: return "none"
        case .relu: return "relu"
        case .reluN1To1: return "relu_n1_to_1"
        case .relu6: return "relu6"
        case .tanh: return "tanh"
        case .signBit: return "sign_bit"
        }
    }
}

/// Explicit padding per side; TensorFlow SAME puts an odd extra pixel at the bottom/right.
public struct Padding: Hashable, Sendable, CustomStringConvertible {
    public var top: Int
    public var bottom: Int
    public var left: Int
    public var right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    public static let zero = Padding(top: 0, bottom: 0, left: 0, right: 0)

    public var isZero: Bool { self == .zero }
    public var description: String { "[\(top),\(bottom),\(left),\(right)]" }
}

/// A typed array of stored numbers; the element type follows the model type.
public enum NumericArray: Hashable, Sendable {
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case float32([Float])
    /// IEEE half precision, kept as bit patterns.
    case float16Bits([UInt16])
    /// TinyMaix fp8 codes, kept as stored.
    case fp8Codes([UInt8])

    public var count: Int {
        switch self {
        case .int8(let v): return v.count
        case .int16(let v): return v.count
        case .int32(let v): return v.count
        case .float32(let v): return v.count
        case .float16Bits(let v): return v.count
        case .fp8Codes(let v): return v.count
        }
    }

    public var elementSize: Int {
        switch self {
        case .int8, .fp8Codes: return 1
        case .int16, .float16Bits: return 2
        case .int32, .float32: return 4
        }
    }

    public var byteCount: Int { count * elementSize }

    public var int8Values: [Int8]? { if case .int8(let v) = self { return v } else { return nil } }
    public var int32Values: [Int32]? { if case .int32(let v) = self { return v } else { return nil } }
    public var float32Values: [Float]? { if case .float32(let v) = self { return v } else { return nil } }
}

/// CONV2D and DWCONV2D parameters and data.
public struct Convolution: Hashable, Sendable {
    public var kernelWidth: Int
    public var kernelHeight: Int
    public var strideWidth: Int
    public var strideHeight: Int
    public var dilationWidth: Int
    public var dilationHeight: Int
    public var activation: Activation
    public var padding: Padding
    /// Per output channel; empty for float models.
    public var weightScales: [Float]
    /// CONV2D `[cho][chi][kh][kw]`; DWCONV2D `[cho][kh][kw]`.
    public var weights: NumericArray
    /// One per output channel; for quantised models the input zero point is already folded in.
    public var bias: NumericArray

    public init(
        kernelWidth: Int, kernelHeight: Int, strideWidth: Int, strideHeight: Int,
        dilationWidth: Int = 1, dilationHeight: Int = 1, activation: Activation, padding: Padding,
        weightScales: [Float], weights: NumericArray, bias: NumericArray
    ) {
        self.kernelWidth = kernelWidth
        self.kernelHeight = kernelHeight
        self.strideWidth = strideWidth
        self.strideHeight = strideHeight
        self.dilationWidth = dilationWidth
        self.dilationHeight = dilationHeight
        self.activation = activation
        self.padding = padding
        self.weightScales = weightScales
        self.weights = weights
        self.bias = bias
    }

    /// Output extent along one axis, or nil when the window does not fit even once.
    public static func outputExtent(input: Int, kernel: Int, stride: Int, dilation: Int, padBefore: Int, padAfter: Int)
        -> Int?
    {
        let span = input + padBefore + padAfter - dilation * (kernel - 1) - 1
        guard span >= 0, stride > 0 else { return nil }
        return span / stride + 1
    }
}

/// FC parameters and data. Weights `[cho][chi]`.
public struct FullyConnected: Hashable, Sendable {
    /// Quantised models reserve one per output channel; only the first is meaningful
    /// (a per-tensor weight scale). Empty for float models.
    public var weightScales: [Float]
    public var weights: NumericArray
    public var bias: NumericArray

    public init(weightScales: [Float], weights: NumericArray, bias: NumericArray) {
        self.weightScales = weightScales
        self.weights = weights
        self.bias = bias
    }
}

/// ADD: the head's input (`inputOffset`, head quantisation) plus this second input.
public struct Addition: Hashable, Sendable {
    public var secondInputOffset: Int
    /// What the file stores for the second input; the converter can pair the two
    /// inputs' quantisations with the wrong buffers (see `ModelWarning`).
    public var secondInputQuantization: Quantization

    public init(secondInputOffset: Int, secondInputQuantization: Quantization) {
        self.secondInputOffset = secondInputOffset
        self.secondInputQuantization = secondInputQuantization
    }
}

/// What a layer does, with its own parameters.
public enum Operation: Hashable, Sendable {
    case conv2D(Convolution)
    /// Output channel `c` reads input channel `c / depthMultiplier`.
    case depthwiseConv2D(Convolution, depthMultiplier: Int)
    case fullyConnected(FullyConnected)
    case globalAveragePool
    case softmax
    case reshape
    case add(Addition)

    public var kind: LayerKind {
        switch self {
        case .conv2D: return .conv2D
        case .depthwiseConv2D: return .depthwiseConv2D
        case .fullyConnected: return .fullyConnected
        case .globalAveragePool: return .globalAveragePool
        case .softmax: return .softmax
        case .reshape: return .reshape
        case .add: return .add
        }
    }
}

/// The layer type codes of the file format.
public enum LayerKind: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case conv2D = 0
    case globalAveragePool = 1
    case fullyConnected = 2
    case softmax = 3
    case reshape = 4
    case depthwiseConv2D = 5
    case add = 6

    /// The name TinyMaix uses, as users see it in `inspect`.
    public var description: String {
        switch self {
        case .conv2D: return "CONV2D"
        case .globalAveragePool: return "GAP"
        case .fullyConnected: return "FC"
        case .softmax: return "SOFTMAX"
        case .reshape: return "RESHAPE"
        case .depthwiseConv2D: return "DWCONV2D"
        case .add: return "ADD"
        }
    }
}

/// One layer: where it reads and writes in the activation buffer, its shapes and
/// quantisation, and what it does.
public struct Layer: Hashable, Sendable {
    public var isOutput: Bool
    public var inputOffset: Int
    public var outputOffset: Int
    public var inputShape: Shape
    public var outputShape: Shape
    public var inputQuantization: Quantization
    public var outputQuantization: Quantization
    public var operation: Operation

    public init(
        isOutput: Bool = false, inputOffset: Int, outputOffset: Int, inputShape: Shape, outputShape: Shape,
        inputQuantization: Quantization, outputQuantization: Quantization, operation: Operation
    ) {
        self.isOutput = isOutput
        self.inputOffset = inputOffset
        self.outputOffset = outputOffset
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.inputQuantization = inputQuantization
        self.outputQuantization = outputQuantization
        self.operation = operation
    }

    public var kind: LayerKind { operation.kind }

    /// Offsets in the activation buffer of every tensor this layer reads.
    public var inputOffsets: [Int] {
        if case .add(let addition) = operation { return [inputOffset, addition.secondInputOffset] }
        return [inputOffset]
    }

    /// Multiply-accumulates of one inference (0 for layers without products).
    /// Saturates instead of overflowing, so a hostile shape cannot trap.
    public var multiplyAccumulates: Int {
        switch operation {
        case .conv2D(let conv):
            return saturatingProduct([
                outputShape.elementCount, inputShape.channels, conv.kernelHeight, conv.kernelWidth,
            ])
        case .depthwiseConv2D(let conv, _):
            return saturatingProduct([outputShape.elementCount, conv.kernelHeight, conv.kernelWidth])
        case .fullyConnected:
            return saturatingProduct([inputShape.elementCount, outputShape.elementCount])
        case .globalAveragePool, .softmax, .reshape, .add:
            return 0
        }
    }

    /// Bytes of weights, bias and scales stored for this layer.
    public var parameterBytes: Int {
        switch operation {
        case .conv2D(let conv), .depthwiseConv2D(let conv, _):
            return conv.weights.byteCount + conv.bias.byteCount + 4 * conv.weightScales.count
        case .fullyConnected(let fc):
            return fc.weights.byteCount + fc.bias.byteCount + 4 * fc.weightScales.count
        case .globalAveragePool, .softmax, .reshape, .add:
            return 0
        }
    }
}

func saturatingProduct(_ factors: [Int]) -> Int {
    var result = 1
    for factor in factors {
        let (product, overflow) = result.multipliedReportingOverflow(by: factor)
        if overflow { return Int.max }
        result = product
    }
    return result
}

/// A whole model as the file describes it.
public struct Model: Hashable, Sendable {
    public var type: ModelType
    /// The output is also delivered dequantised to float32.
    public var outputDequantized: Bool
    public var inputCount: Int
    public var outputCount: Int
    /// Bytes of the activation buffer the file's own plan uses.
    public var bufferSize: Int
    /// A second buffer TinyMaix reserves (0 in every known model).
    public var subBufferSize: Int
    public var inputShape: Shape
    public var outputShape: Shape
    public var layers: [Layer]

    public init(
        type: ModelType, outputDequantized: Bool, inputCount: Int = 1, outputCount: Int = 1, bufferSize: Int,
        subBufferSize: Int = 0, inputShape: Shape, outputShape: Shape, layers: [Layer]
    ) {
        self.type = type
        self.outputDequantized = outputDequantized
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.bufferSize = bufferSize
        self.subBufferSize = subBufferSize
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.layers = layers
    }

    public var multiplyAccumulates: Int { layers.reduce(0) { $0 &+ $1.multiplyAccumulates } }
    public var parameterBytes: Int { layers.reduce(0) { $0 + $1.parameterBytes } }

    /// Quantisation of the model input: the first layer's input fields.
    public var inputQuantization: Quantization { layers.first?.inputQuantization ?? .identity }

    /// Index of the layer whose output is the model output.
    public var outputLayerIndex: Int? { layers.lastIndex(where: \.isOutput) }
}
