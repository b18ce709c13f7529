// The scalar steps the tinymaix profile is built from (docs/numerics.md). Each
// float operation is one IEEE single-precision operation; Swift does not fuse
// a*b+c, so writing them out in order pins the result.

/// `trunc(v)` clamped to [-128, 127]: the profile's fix for TinyMaix's wrapping cast.
/// NaN (only reachable with absurd scales) maps to 0 so that no path is undefined.
@inline(__always)
func saturatingInt8(_ value: Float) -> Int8 {
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
}
