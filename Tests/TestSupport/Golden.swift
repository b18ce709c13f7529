import Foundation
import TMDLFormat
import TMDLReference

/// One file of `../shared/golden` (TinyMaix interpreter outputs, saturating).
public struct GoldenFile: Decodable, Sendable {
    public var model: String
    public var type: String
    public var cases: [GoldenCase]

    public static func load(_ name: String) throws -> GoldenFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: try SharedFixtures.path("golden/\(name).json")))
        return try JSONDecoder().decode(GoldenFile.self, from: data)
    }

    /// Names (without .json) of the golden files for models the reference runs: int8 and fp32.
    public static let int8AndFloatModels = [
        "mnist_valid_q", "mnist_valid_f", "mnist_dw_f", "mnist_resnet_q", "cifar10_q", "mbnet128_0.25_q",
    ]
}

public struct GoldenCase: Decodable, Sendable {
    public struct Input: Decodable, Sendable {
        public var file: String?
        public var xorshift32Seed: UInt32?
        public var transform: String

        enum CodingKeys: String, CodingKey {
            case file, transform
            case xorshift32Seed = "xorshift32_seed"
        }

        public var label: String {
            file.map { ($0 as NSString).lastPathComponent } ?? "seed \(xorshift32Seed ?? 0)"
        }

        /// The model input this describes, built the way its `transform` says.
        public func modelInput(for model: Model) throws -> TensorData {
            switch (file, xorshift32Seed, transform) {
            case (let file?, nil, "q = (int8)(u8 - 128)"), (let file?, nil, "f = u8 / 255.0f"):
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try SharedFixtures.path(file))))
                return try ModelInput.decode(bytes, as: .u8, for: model)
            case (nil, let seed?, "q = (int8)(x >> 24)"), (nil, let seed?, "f = (float)(x >> 8) / 16777216.0f"):
                return ModelInput.random(seed: seed, for: model)
            default:
                throw UnknownTransform(description: "unknown golden input \(self)")
            }
        }
    }

    public var input: Input
    public var outputInt8: [Int]?
    public var outputF32Bits: [String]?
    public var outputDequantF32Bits: [String]
    public var layerFnv1a64: [String]

    enum CodingKeys: String, CodingKey {
        case input
        case outputInt8 = "output_int8"
        case outputF32Bits = "output_f32_bits"
        case outputDequantF32Bits = "output_dequant_f32_bits"
        case layerFnv1a64 = "layer_fnv1a64"
    }

    public var label: String { input.label }

    public func modelInput(for model: Model) throws -> TensorData { try input.modelInput(for: model) }

    /// The expected final output's bit patterns: int8 codes as bytes, fp32 as bits.
    public var expectedOutput: TensorData? {
        if let codes = outputInt8 { return .int8(codes.map { Int8($0) }) }
        if let bits = outputF32Bits { return .float32(bits.map { Float(bitPattern: UInt32($0, radix: 16)!) }) }
        return nil
    }
}

/// One file of `../shared/golden-tflite`: TFLite's reference kernels (the integer profile).
public struct TFLiteGoldenFile: Decodable, Sendable {
    /// nil for the .tflite models that have no tmdl counterpart.
    public var tmdlModel: String?
    public var cases: [TFLiteGoldenCase]
    public var requantParams: [TFLiteRequantParameters]

    enum CodingKeys: String, CodingKey {
        case cases
        case tmdlModel = "tmdl_model"
        case requantParams = "requant_params"
    }

    public static func load(_ name: String) throws -> TFLiteGoldenFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: try SharedFixtures.path("golden-tflite/\(name).json")))
        return try JSONDecoder().decode(TFLiteGoldenFile.self, from: data)
    }

    /// The files whose model has a tmdl counterpart in ../shared/models.
    public static let withTMDLModels = ["mnist_valid_q", "mnist_resnet_q", "cifar10_q", "mbnet128_0.25_q"]
    /// The files of .tflite models with no tmdl counterpart (only their outputs are recorded).
    public static let withoutTMDLModels = ["mnist_dw_q", "mnist_rect_q"]

    /// The tmdl model this file's cases run on.
    public func loadModel() throws -> Model {
        guard let tmdlModel else { throw UnknownTransform(description: "this golden file has no tmdl model") }
        return try ModelReader.load(path: try SharedFixtures.path("models/\(tmdlModel)")).model
    }
}

public struct TFLiteGoldenCase: Decodable, Sendable {
    public var input: GoldenCase.Input
    public var outputInt8: [Int]
    public var top1: Int
    /// Layer index (decimal) -> FNV-1a-64 of its int8 output.
    public var layerHashes: [String: String]

    enum CodingKeys: String, CodingKey {
        case input, top1
        case outputInt8 = "output_int8"
        case layerHashes = "tmdl_layer_fnv1a64"
    }

    public var label: String { input.label }
    public var expectedOutput: TensorData { .int8(outputInt8.map { Int8($0) }) }

    /// The expected hash of every layer, in layer order.
    public func hashes(layerCount: Int) -> [String?] { (0..<layerCount).map { layerHashes["\($0)"] } }
}

/// TFLite's requantisation parameters of one op (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED carry them).
public struct TFLiteRequantParameters: Decodable, Sendable {
    public var op: String
    public var tmdlLayer: Int?
    public var multiplier: [Int64]?
    public var shift: [Int64]?
    public var actMin: Int?
    public var actMax: Int?

    enum CodingKeys: String, CodingKey {
        case op, multiplier, shift
        case tmdlLayer = "tmdl_layer"
        case actMin = "act_min"
        case actMax = "act_max"
    }
}

public struct UnknownTransform: Error, CustomStringConvertible {
    public var description: String
}

/// A float's IEEE bit pattern as the golden files write it: 8 lower-case hex digits.
public func goldenBits(_ value: Float) -> String {
    let digits = String(value.bitPattern, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
