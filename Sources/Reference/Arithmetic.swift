import TMDLFormat

// The scalar steps the tinymaix profile is built from (docs/numerics.md). Each
// float operation is one IEEE single-precision operation; Swift does not fuse
// a*b+c, so writing them out in order pins the result.

/// `trunc(v)` clamped to [-128, 127]: the profile's fix for TinyMaix's wrapping cast.
/// NaN (only reachable with absurd scales) maps to 0 so that no path is undefined.
@inline(__always)
public func saturatingInt8(_ value: Float) -> Int8 {
    if value.isNaN { return 0 }
    if value >= 127 { return 127 }
    if value <= -128 { return -128 }
    return Int8(value)
}

/// A fused activation applied to a float value (dequantised or fp32).
@inline(__always)
func activate(_ value: Float, _ activation: SupportedActivation) -> Float {
    switch activation {
    case .none:
        return value
    case .relu:
        return value > 0 ? value : 0
    case .relu6:
        let positive = value > 0 ? value : 0
        return positive < 6 ? positive : 6
    }
}

/// The activations the tinymaix profile defines.
enum SupportedActivation {
    case none, relu, relu6

    init(_ activation: Activation, layer: Layer, index: Int) throws(ReferenceError) {
        switch activation {
        case .none: self = .none
        case .relu: self = .relu
        case .relu6: self = .relu6
        case .reluN1To1, .tanh, .signBit:
            throw .unsupportedActivation(layer: index, kind: layer.kind, activation, profile: .tinymaix)
        }
    }
}
