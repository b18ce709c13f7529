import TMDLFormat

/// Which layers may write their output over their own input, and how far below it.
///
/// The contract with the kernels (every CONV2D and DWCONV2D kernel in Templates keeps it, on every
/// arch): output pixels are written in raster order, and once any byte of output pixel P is
/// written, the kernel reads only inputs of the windows of pixels P and later. So an output
/// placed `gap` bytes or more below its input never overwrites an input byte still to be read,
/// where `gap` is the largest distance between the end of output pixel P and the lowest input
/// byte a window of pixel P or later reads.
public enum InPlaceAccess {
    /// The least `input offset - output offset` (bytes) at which `layer` may write its output
    /// over its input; nil when its kernel's access order does not allow any overlap.
    public static func minimumGap(of layer: Layer, elementSize: Int) -> Int? {
        let convolution: Convolution
        switch layer.operation {
        case .conv2D(let conv), .depthwiseConv2D(let conv, _): convolution = conv
        default: return nil
        }
        let input = layer.inputShape, output = layer.outputShape
        let pixelBytes = output.channels * elementSize, inputPixelBytes = input.channels * elementSize
        // Walk the pixels backwards, keeping the lowest input byte read from P on.
        var lowestRead = Int.max, gap = Int.min
        for y in stride(from: output.height - 1, through: 0, by: -1) {
            let row = max(y * convolution.strideHeight - convolution.padding.top, 0)
            for x in stride(from: output.width - 1, through: 0, by: -1) {
                let column = max(x * convolution.strideWidth - convolution.padding.left, 0)
                lowestRead = min(lowestRead, (row * input.width + column) * inputPixelBytes)
                gap = max(gap, (y * output.width + x + 1) * pixelBytes - lowestRead)
            }
        }
        return gap == Int.min ? nil : gap
    }
}
