import TMDLReference

/// Which template implements each int8 step whose arithmetic depends on the numerics profile.
/// The loops (convolution, FC) are shared; their output stage and the whole of GAP, SOFTMAX
/// and ADD come from `Templates/tinymaix/` or `Templates/integer/`.
extension NumericsProfile {
    /// Defines `struct requant_s8` and `requant_s8()`, used by the convolution kernels.
    var convolutionOutputStage: Kernel { self == .integer ? .requantInteger : .requantTinymaix }
    /// Defines `struct requant_fc_s8` and `requant_fc_s8()`, used by the FC kernel.
    var fullyConnectedOutputStage: Kernel { self == .integer ? .requantFCInteger : .requantFCTinymaix }
    var globalAveragePool: Kernel { self == .integer ? .gapS8Integer : .gapS8Tinymaix }
    var softmax: Kernel { self == .integer ? .softmaxS8Integer : .softmaxS8Tinymaix }
    var add: Kernel { self == .integer ? .addS8Integer : .addS8Tinymaix }
}
