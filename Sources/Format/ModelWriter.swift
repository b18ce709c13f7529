/// Turns a `Model` into .tmdl bytes in the layout TinyMaix's converter writes:
/// each data region 8-aligned and padded to a multiple of 8, scales before
/// weights before bias, so the shared models round-trip byte for byte.
public enum ModelWriter {
    public static func bytes(of model: Model, byteOrder: ByteOrder = .littleEndian) -> [UInt8] {
        var out = ByteWriter(order: byteOrder)
        out.bytes(of: "MAIX")
        out.u8(model.type.rawValue)
        out.u8(model.outputDequantized ? 1 : 0)
        out.u16(UInt16(truncatingIfNeeded: model.inputCount))
        out.u16(UInt16(truncatingIfNeeded: model.outputCount))
        out.u16(UInt16(truncatingIfNeeded: model.layers.count))
        out.u32(UInt32(truncatingIfNeeded: model.bufferSize))
        out.u32(UInt32(truncatingIfNeeded: model.subBufferSize))
        out.dims(model.inputShape)
        out.dims(model.outputShape)
        out.zeros(ModelReader.headerSize - out.count)
        for layer in model.layers {
            out.layer(layer, quantized: model.type.isQuantized)
        }
        return out.bytes
    }
}

extension ByteWriter {
    fileprivate mutating func bytes(of text: String) { text.utf8.forEach { u8($0) } }

    fileprivate mutating func dims(_ shape: Shape) {
        for value in [shape.rank, shape.height, shape.width, shape.channels] {
            u16(UInt16(truncatingIfNeeded: value))
        }
    }

    fileprivate mutating func quantization(_ quantization: Quantization, quantized: Bool) {
        f32(quantization.scale)
        if quantized { i32(quantization.zeroPoint) } else { f32(Float(quantization.zeroPoint)) }
    }

    fileprivate mutating func layer(_ layer: Layer, quantized: Bool) {
        let start = count
        u16(layer.kind.rawValue)
        u16(layer.isOutput ? 1 : 0)
        u32(0)  // size, patched below
        u32(UInt32(truncatingIfNeeded: layer.inputOffset))
        u32(UInt32(truncatingIfNeeded: layer.outputOffset))
        dims(layer.inputShape)
        dims(layer.outputShape)
        quantization(layer.inputQuantization, quantized: quantized)
        quantization(layer.outputQuantization, quantized: quantized)
        switch layer.operation {
        case .conv2D(let conv):
            convolution(conv, depthMultiplier: 0, layerStart: start)
        case .depthwiseConv2D(let conv, let depthMultiplier):
            convolution(conv, depthMultiplier: depthMultiplier, layerStart: start)
        case .fullyConnected(let fc):
            let fieldsAt = count
            zeros(16)
            dataRegions(
                scales: fc.weightScales, weights: fc.weights, bias: fc.bias, offsetFieldsAt: fieldsAt, layerStart: start)
        case .add(let addition):
            u32(UInt32(truncatingIfNeeded: addition.secondInputOffset))
            quantization(addition.secondInputQuantization, quantized: quantized)
            u32(0)
        case .globalAveragePool, .softmax, .reshape:
            break
        }
        alignTo8()
        overwriteU32(UInt32(truncatingIfNeeded: count - start), at: start + Field.size.offset)
    }

    private mutating func convolution(_ conv: Convolution, depthMultiplier: Int, layerStart: Int) {
        for value in [
            conv.kernelWidth, conv.kernelHeight, conv.strideWidth, conv.strideHeight, conv.dilationWidth,
            conv.dilationHeight,
        ] {
            u8(UInt8(truncatingIfNeeded: value))
        }
        u16(conv.activation.rawValue)
        for value in [conv.padding.top, conv.padding.bottom, conv.padding.left, conv.padding.right] {
            u8(UInt8(truncatingIfNeeded: value))
        }
        u32(UInt32(truncatingIfNeeded: depthMultiplier))
        u32(0)  // reserved
        let fieldsAt = count
        zeros(12)
        dataRegions(
            scales: conv.weightScales, weights: conv.weights, bias: conv.bias, offsetFieldsAt: fieldsAt,
            layerStart: layerStart)
    }

    /// Writes scales, weights and bias, each 8-aligned, and fills in their three
    /// offset fields (from the layer start). Float models store no scales, so their
    /// scale offset equals the weight offset.
    private mutating func dataRegions(
        scales: [Float], weights: NumericArray, bias: NumericArray, offsetFieldsAt: Int, layerStart: Int
    ) {
        let scalesAt = count - layerStart
        scales.forEach { f32($0) }
        alignTo8()
        let weightsAt = count - layerStart
        numbers(weights)
        alignTo8()
        let biasAt = count - layerStart
        numbers(bias)
        for (index, value) in [scalesAt, weightsAt, biasAt].enumerated() {
            overwriteU32(UInt32(value), at: offsetFieldsAt + 4 * index)
        }
    }
}
