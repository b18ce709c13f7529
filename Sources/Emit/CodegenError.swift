import TMDLFormat

/// Why C cannot be generated for a model with the given options.
public enum CodegenError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidName(String, reason: String)
    /// The reference does not define what the model computes (type, activation, ranges).
    case unsupportedModel(String)
    /// A weight, bias or scale is infinite or NaN; C cannot reproduce the reference then.
    case nonFiniteConstant(layer: Int, kind: LayerKind, what: String)

    public var description: String {
        switch self {
        case .invalidName(let name, let reason):
            return "'\(name)' cannot name the generated code: \(reason)"
        case .unsupportedModel(let reason):
            return reason
        case .nonFiniteConstant(let layer, let kind, let what):
            return "layer \(layer) (\(kind)): \(what) include an infinite or NaN value"
        }
    }
}
