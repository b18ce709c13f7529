import TMDLFormat

/// Small models written out by hand, for tests that must not depend on ../shared.
public enum TestModels {
    /// CONV2D 3x3 (6x6x2 -> 4x4x3, relu) -> GAP -> FC (3 -> 4) -> SOFTMAX, int8.
    public static func smallInt8() -> Model {
        let q = { (scale: Float, zeroPoint: Int32) in Quantization(scale: scale, zeroPoint: zeroPoint) }
        let conv = Convolution(
            kernelWidth: 3, kernelHeight: 3, strideWidth: 1, strideHeight: 1, activation: .relu, padding: .zero,
            weightScales: [0.01, 0.02, 0.015],
            weights: .int8((0..<54).map { Int8(($0 * 37) % 255 - 127) }), bias: .int32([100, -200, 300]))
        let fc = FullyConnected(
            weightScales: [0.02, 0, 0, 0], weights: .int8((0..<12).map { Int8(($0 * 53) % 255 - 127) }),
            bias: .int32([10, -20, 30, -40]))
        let layers = [
            Layer(
                inputOffset: 0, outputOffset: 72, inputShape: Shape(height: 6, width: 6, channels: 2),
                outputShape: Shape(height: 4, width: 4, channels: 3), inputQuantization: q(1.0 / 255, -128),
                outputQuantization: q(0.05, -128), operation: .conv2D(conv)),
            Layer(
                inputOffset: 72, outputOffset: 0, inputShape: Shape(height: 4, width: 4, channels: 3),
                outputShape: .vector(3), inputQuantization: q(0.05, -128), outputQuantization: q(0.04, -128),
                operation: .globalAveragePool),
            Layer(
                inputOffset: 0, outputOffset: 8, inputShape: .vector(3), outputShape: .vector(4),
                inputQuantization: q(0.04, -128), outputQuantization: q(0.1, 3),
                operation: .fullyConnected(fc)),
            Layer(
                isOutput: true, inputOffset: 8, outputOffset: 16, inputShape: .vector(4), outputShape: .vector(4),
                inputQuantization: q(0.1, 3), outputQuantization: q(1.0 / 256, -128), operation: .softmax),
        ]
        return Model(
            type: .int8, outputDequantized: true, bufferSize: 120, inputShape: Shape(height: 6, width: 6, channels: 2),
            outputShape: .vector(4), layers: layers)
    }

    /// CONV2D 3x3 over 240 channels (4x5x240 -> 2x3x8, relu), int8: windows of 2160 values, longer
    /// than any arch's two-pixel dot lays out at once, so they go in parts (conv2d_s8_pair_parts), with
    /// an odd last pixel in each row. No weight is -128, so NEON's dot takes it too.
    public static func longWindowInt8() -> Model {
        let window = 3 * 3 * 240
        let conv = Convolution(
            kernelWidth: 3, kernelHeight: 3, strideWidth: 1, strideHeight: 1, activation: .relu, padding: .zero,
            weightScales: (0..<8).map { 0.0005 + Float($0) * 0.0001 },
            weights: .int8((0..<(8 * window)).map { Int8(($0 * 37) % 255 - 127) }),
            bias: .int32([1000, -2000, 3000, -4000, 500, 0, -700, 12345]))
        let input = Shape(height: 4, width: 5, channels: 240), output = Shape(height: 2, width: 3, channels: 8)
        let layer = Layer(
            isOutput: true, inputOffset: 0, outputOffset: input.elementCount, inputShape: input, outputShape: output,
            inputQuantization: Quantization(scale: 1.0 / 255, zeroPoint: -128),
            outputQuantization: Quantization(scale: 0.05, zeroPoint: -128), operation: .conv2D(conv))
        return Model(
            type: .int8, outputDequantized: false, bufferSize: input.elementCount + output.elementCount,
            inputShape: input, outputShape: output, layers: [layer])
    }

    /// SOFTMAX alone over 3 rows of 300 channels, int8: rows longer than 256, where the tinymaix
    /// kernel keeps one exponential per input code and must forget them from row to row.
    public static func wideSoftmax() -> Model {
        let shape = Shape(height: 3, width: 1, channels: 300)
        let layer = Layer(
            isOutput: true, inputOffset: 0, outputOffset: 900, inputShape: shape, outputShape: shape,
            inputQuantization: Quantization(scale: 0.05, zeroPoint: -7),
            outputQuantization: Quantization(scale: 1.0 / 256, zeroPoint: -128), operation: .softmax)
        return Model(
            type: .int8, outputDequantized: false, bufferSize: 1800, inputShape: shape, outputShape: shape,
            layers: [layer])
    }
}
