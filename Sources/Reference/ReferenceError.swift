import TMDLFormat

/// Why the reference cannot run a model or an input.
public enum ReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    case unsupportedModelType(ModelType)
    case unsupportedActivation(layer: Int, kind: LayerKind, Activation, profile: NumericsProfile)
    /// The integer profile needs an int8 model.
    case profileNeedsInt8(NumericsProfile, ModelType)
    /// Quantisation parameters the integer profile cannot represent.
    case unsupportedQuantization(layer: Int, kind: LayerKind, reason: String)
    /// The int32 accumulator could overflow for some input (the C code would be undefined).
    case accumulatorMayOverflow(layer: Int, kind: LayerKind, bound: Int)
    case zeroPointOutOfRange(layer: Int, kind: LayerKind, field: String, value: Int32)
    case inputSizeMismatch(expected: Int, actual: Int)
    case inputTypeMismatch(expected: ModelType)

    public var description: String {
        switch self {
        case .unsupportedModelType(let type):
            return "\(type) models are not supported by the reference yet (int8 and fp32 are)"
        case .unsupportedActivation(let layer, let kind, let activation, let profile):
            let defined = profile == .tinymaix ? "none, relu, relu6" : "none, relu, relu6, relu_n1_to_1"
            return "layer \(layer) (\(kind)): activation \(activation) is not defined by the \(profile) profile "
                + "(\(defined) are)"
        case .profileNeedsInt8(let profile, let type):
            return "the \(profile) profile computes int8 models only; this model is \(type)"
        case .unsupportedQuantization(let layer, let kind, let reason):
            return "layer \(layer) (\(kind)): \(reason)"
        case .accumulatorMayOverflow(let layer, let kind, let bound):
            return "layer \(layer) (\(kind)): the int32 accumulator could reach \(bound) and overflow"
        case .zeroPointOutOfRange(let layer, let kind, let field, let value):
            return "layer \(layer) (\(kind)): \(field) \(value) is outside the int8 range -128...127"
        case .inputSizeMismatch(let expected, let actual):
            return "the input has \(actual) elements but the model takes \(expected)"
        case .inputTypeMismatch(let expected):
            return "the input must be \(expected) values for this model"
        }
    }
}
