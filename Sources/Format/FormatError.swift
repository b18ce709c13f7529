/// Where a field lives: its name as the format documentation spells it and its
/// byte offset from the start of the header (for header fields) or of its layer.
public struct FieldLocation: Hashable, Sendable {
    public let name: String
    public let offset: Int

    init(_ name: String, _ offset: Int) {
        self.name = name
        self.offset = offset
    }
}

/// The fields of the format, named as in `docs/tmdl-format.md`.
public enum Field {
    public static let magic = FieldLocation("magic", 0)
    public static let modelType = FieldLocation("mdl_type", 4)
    public static let outputDequantized = FieldLocation("out_deq", 5)
    public static let inputCount = FieldLocation("input_cnt", 6)
    public static let outputCount = FieldLocation("output_cnt", 8)
    public static let layerCount = FieldLocation("layer_cnt", 10)
    public static let bufferSize = FieldLocation("buf_size", 12)
    public static let subBufferSize = FieldLocation("sub_size", 16)
    public static let modelInputDims = FieldLocation("in_dims", 20)
    public static let modelOutputDims = FieldLocation("out_dims", 28)

    public static let type = FieldLocation("type", 0)
    public static let isOutput = FieldLocation("is_out", 2)
    public static let size = FieldLocation("size", 4)
    public static let inputOffset = FieldLocation("in_oft", 8)
    public static let outputOffset = FieldLocation("out_oft", 12)
    public static let inputDims = FieldLocation("in_dims", 16)
    public static let outputDims = FieldLocation("out_dims", 24)
    public static let inputScale = FieldLocation("in_s", 32)
    public static let inputZeroPoint = FieldLocation("in_zp", 36)
    public static let outputScale = FieldLocation("out_s", 40)
    public static let outputZeroPoint = FieldLocation("out_zp", 44)

    public static let kernelWidth = FieldLocation("kernel_w", 48)
    public static let kernelHeight = FieldLocation("kernel_h", 49)
    public static let strideWidth = FieldLocation("stride_w", 50)
    public static let strideHeight = FieldLocation("stride_h", 51)
    public static let dilationWidth = FieldLocation("dilation_w", 52)
    public static let dilationHeight = FieldLocation("dilation_h", 53)
    public static let activation = FieldLocation("act", 54)
    public static let padding = FieldLocation("pad", 56)
    public static let depthMultiplier = FieldLocation("depth_mul", 60)
    public static let convWeightScaleOffset = FieldLocation("ws_oft", 68)
    public static let convWeightOffset = FieldLocation("w_oft", 72)
    public static let convBiasOffset = FieldLocation("b_oft", 76)

    public static let fcWeightScaleOffset = FieldLocation("ws_oft", 48)
    public static let fcWeightOffset = FieldLocation("w_oft", 52)
    public static let fcBiasOffset = FieldLocation("b_oft", 56)

    public static let secondInputOffset = FieldLocation("in_oft1", 48)
    public static let secondInputScale = FieldLocation("in_s1", 52)
    public static let secondInputZeroPoint = FieldLocation("in_zp1", 56)
}

/// Why a model was refused. Every case names where: the header or a layer, the
/// field, and (for models read from bytes) the byte offset in the file.
public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The file ends before a structure it declares.
        case truncated
        case badMagic
        /// A code the format does not define (model type, layer type, activation).
        case unknownCode
        /// An offset or length that points outside the file, its layer or the activation buffer.
        case outOfRange
        /// Values that contradict each other (shapes, counts, producers).
        case inconsistent
        /// Well-formed, but something this tool does not handle.
        case unsupported
    }

    public var reason: Reason
    /// nil for the file header.
    public var layerIndex: Int?
    public var layerKind: LayerKind?
    public var field: String
    /// Absolute byte offset of the field in the file, when known.
    public var byteOffset: Int?
    public var message: String

    public init(
        _ reason: Reason, layerIndex: Int? = nil, layerKind: LayerKind? = nil, field: String,
        byteOffset: Int? = nil, message: String
    ) {
        self.reason = reason
        self.layerIndex = layerIndex
        self.layerKind = layerKind
        self.field = field
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String {
        var place: String
        if let layerIndex {
            place = "layer \(layerIndex)"
            if let layerKind { place += " (\(layerKind))" }
        } else {
            place = "header"
        }
        place += ", field \(field)"
        if let byteOffset { place += " at byte \(byteOffset)" }
        return "\(place): \(message)"
    }
}

/// Something a model does that is legal but suspicious; reported, not refused.
public struct ModelWarning: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A layer's stored input quantisation differs from the output quantisation of
        /// the layer that produced that input (for ADD: the converter's swapped pairing).
        case inputQuantizationMismatch
        /// A convolution scale stored as one value followed by zeros.
        case perTensorScaleStoredPerChannel
        /// A float model's unused zero point field does not hold an integer.
        case ignoredField
    }

    public var kind: Kind
    public var layerIndex: Int?
    public var message: String

    public init(_ kind: Kind, layerIndex: Int?, message: String) {
        self.kind = kind
        self.layerIndex = layerIndex
        self.message = message
    }

    public var description: String {
        if let layerIndex { return "layer \(layerIndex): \(message)" }
        return message
    }
}
