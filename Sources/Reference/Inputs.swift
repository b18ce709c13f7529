import TMDLFormat

/// The xorshift32 generator shared with the golden files (docs/numerics.md):
/// advance once per element, then use the state.
public struct XorShift32: Sendable {
    public private(set) var state: UInt32

    public init(seed: UInt32) { state = seed }

    public mutating func next() -> UInt32 {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return state
    }
}

/// How raw input bytes become a model input.
public enum InputEncoding: String, Sendable, CaseIterable {
    /// uint8 image bytes: `q = u8 - 128` for int8 models, `u8 / 255` for fp32 models.
    case u8
    /// Raw int8 values (int8 models only).
    case int8
    /// Little-endian float32 values: quantised with the first layer's input scale and
    /// zero point for int8 models, used as they are for fp32 models.
    case f32
}

public enum InputError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongByteCount(expected: Int, actual: Int, encoding: InputEncoding)
    case encodingNotForModel(InputEncoding, ModelType)

    public var description: String {
        switch self {
        case .wrongByteCount(let expected, let actual, let encoding):
            return "the input has \(actual) bytes; as \(encoding.rawValue) this model needs \(expected)"
        case .encodingNotForModel(let encoding, let type):
            return "\(encoding.rawValue) input does not apply to \(type) models"
        }
    }
}

/// Model inputs from random numbers or from files, as the golden files make them.
public enum ModelInput {
    /// The seeded random input of the golden files: int8 `q = (int8)(x >> 24)`,
    /// fp32 `f = f32(x >> 8) / 16777216`.
    public static func random(seed: UInt32, for model: Model) -> TensorData {
        var generator = XorShift32(seed: seed)
        let count = model.inputShape.elementCount
        if model.type == .float32 {
            return .float32((0..<count).map { _ in Float(generator.next() >> 8) / 16_777_216 })
        }
        return .int8((0..<count).map { _ in Int8(truncatingIfNeeded: generator.next() >> 24) })
    }

    /// Decodes raw bytes; their count must match the model input exactly.
    public static func decode(_ bytes: [UInt8], as encoding: InputEncoding, for model: Model) throws(InputError)
        -> TensorData
    {
        let count = model.inputShape.elementCount
        let expected = encoding == .f32 ? 4 * count : count
        guard bytes.count == expected else {
            throw .wrongByteCount(expected: expected, actual: bytes.count, encoding: encoding)
        }
        let isFloat = model.type == .float32
        switch encoding {
        case .u8:
            return isFloat ? .float32(bytes.map { Float($0) / 255 }) : .int8(bytes.map { Int8(Int($0) - 128) })
        case .int8:
            guard !isFloat else { throw .encodingNotForModel(encoding, model.type) }
            return .int8(bytes.map { Int8(bitPattern: $0) })
        case .f32:
            let floats = (0..<count).map { i in
                Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * i + $1]) << (8 * $1) })
            }
            if isFloat { return .float32(floats) }
            let quantization = model.inputQuantization
            return .int8(floats.map { saturatingInt8($0 / quantization.scale + Float(quantization.zeroPoint)) })
        }
    }
}
