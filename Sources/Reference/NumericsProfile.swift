/// Which arithmetic a quantised model computes with. Both are defined exactly (the
/// reference implements each, and the generated C matches it bit for bit).
public enum NumericsProfile: String, CaseIterable, Hashable, Sendable {
    /// What the TinyMaix interpreter computes (docs/numerics.md): float requantisation that
    /// truncates. Needs a float unit; matches TinyMaix's outputs. int8 and fp32 models.
    case tinymaix
    /// TFLite's reference kernels (docs/numerics-integer.md): fixed point with round to
    /// nearest, no float at all. Matches the .tflite model; for cores without an FPU. int8 only.
    case integer
}
