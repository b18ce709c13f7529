import Foundation

/// A model read from bytes, with what the reader learnt on the way.
public struct LoadedModel: Sendable {
    public var model: Model
    public var byteOrder: ByteOrder
    /// Byte offset of each layer in the file, for messages that point into it.
    public var layerOffsets: [Int]
    public var warnings: [ModelWarning]
}

/// Reading a model file can fail before the format is even looked at.
public enum ModelFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, FormatError)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read the file: \(reason)"
        case .invalid(let path, let error): return "\(path): not a valid tmdl model: \(error)"
        }
    }
}

/// Parses `.tmdl` bytes into a validated `Model`. Every count and offset is checked
/// against the file before anything is allocated from it, so a hostile header
/// cannot drive an allocation or a read out of range.
public enum ModelReader {
    static let headerSize = 64
    static let layerHeadSize = 48

    public static func load(path: String) throws(ModelFileError) -> LoadedModel {
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            return try read(bytes)
        } catch {
            throw .invalid(path: path, error)
        }
    }

    public static func read(_ bytes: [UInt8]) throws(FormatError) -> LoadedModel {
        guard bytes.count >= headerSize else {
            throw FormatError(
                .truncated, field: "header", byteOffset: bytes.count,
                message: "the file has \(bytes.count) bytes, fewer than the 64-byte header")
        }
        guard bytes[0..<4].elementsEqual("MAIX".utf8) else {
            throw FormatError(
                .badMagic, field: Field.magic.name, byteOffset: 0,
                message: "expected the bytes \"MAIX\", found \(bytes[0..<4].map { hex2($0) }.joined(separator: " "))")
        }
        let order = detectByteOrder(bytes)
        var parser = Parser(reader: ByteReader(bytes: bytes, order: order))
        let model = try parser.parseModel()
        var warnings = parser.warnings
        warnings += try ModelValidator.validate(model, layerOffsets: parser.layerOffsets)
        return LoadedModel(model: model, byteOrder: order, layerOffsets: parser.layerOffsets, warnings: warnings)
    }

    /// Only one byte order makes the layer count, buffer size and first layer size
    /// plausible together; little-endian wins a tie (and is used for the error messages
    /// when neither fits).
    static func detectByteOrder(_ bytes: [UInt8]) -> ByteOrder {
        func plausible(_ order: ByteOrder) -> Bool {
            let reader = ByteReader(bytes: bytes, order: order)
            let layerCount = Int(reader.u16(Field.layerCount.offset))
            let bufferSize = Int(reader.u32(Field.bufferSize.offset))
            guard layerCount > 0, bufferSize > 0, bufferSize < 1 << 30 else { return false }
            guard reader.contains(offset: headerSize, length: layerHeadSize) else { return false }
            let firstSize = Int(reader.u32(headerSize + Field.size.offset))
            return firstSize >= layerHeadSize && firstSize % 8 == 0 && firstSize <= bytes.count - headerSize
        }
        if plausible(.littleEndian) { return .littleEndian }
        return plausible(.bigEndian) ? .bigEndian : .littleEndian
    }
}

private func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

/// Walks the file once, front to back.
private struct Parser {
    let reader: ByteReader
    var layerOffsets: [Int] = []
    var warnings: [ModelWarning] = []
    private var modelType = ModelType.int8

    init(reader: ByteReader) { self.reader = reader }

    mutating func parseModel() throws(FormatError) -> Model {
        guard let type = ModelType(rawValue: reader.u8(Field.modelType.offset)) else {
            throw FormatError(
                .unknownCode, field: Field.modelType.name, byteOffset: Field.modelType.offset,
                message: "model type \(reader.u8(Field.modelType.offset)) is not one of 0 (int8) to 5 (fp8 1-5-2)")
        }
        modelType = type
        let dequantizedCode = reader.u8(Field.outputDequantized.offset)
        guard dequantizedCode <= 1 else {
            throw headerError(.unknownCode, Field.outputDequantized, "must be 0 or 1, found \(dequantizedCode)")
        }
        let layerCount = Int(reader.u16(Field.layerCount.offset))
        guard layerCount > 0 else { throw headerError(.inconsistent, Field.layerCount, "the model has no layers") }
        let inputShape = try shape(at: Field.modelInputDims.offset, field: Field.modelInputDims, layer: nil)
        let outputShape = try shape(at: Field.modelOutputDims.offset, field: Field.modelOutputDims, layer: nil)

        var layers: [Layer] = []
        var offset = ModelReader.headerSize
        for index in 0..<layerCount {
            let layer = try parseLayer(index: index, at: offset)
            layerOffsets.append(offset)
            offset += Int(reader.u32(offset + Field.size.offset))
            layers.append(layer)
        }
        if offset != reader.count {
            throw FormatError(
                .inconsistent, layerIndex: layerCount - 1, field: Field.size.name,
                byteOffset: layerOffsets[layerCount - 1] + Field.size.offset,
                message: "the last layer ends at byte \(offset) but the file has \(reader.count) bytes")
        }
        return Model(
            type: type, outputDequantized: dequantizedCode == 1,
            inputCount: Int(reader.u16(Field.inputCount.offset)),
            outputCount: Int(reader.u16(Field.outputCount.offset)),
            bufferSize: Int(reader.u32(Field.bufferSize.offset)),
            subBufferSize: Int(reader.u32(Field.subBufferSize.offset)),
            inputShape: inputShape, outputShape: outputShape, layers: layers)
    }

    private func headerError(_ reason: FormatError.Reason, _ field: FieldLocation, _ message: String) -> FormatError {
        FormatError(reason, field: field.name, byteOffset: field.offset, message: message)
    }

    private func shape(at offset: Int, field: FieldLocation, layer: (index: Int, kind: LayerKind)?)
        throws(FormatError) -> Shape
    {
        let values = (0..<4).map { Int(reader.u16(offset + 2 * $0)) }
        func fail(_ message: String) -> FormatError {
            FormatError(
                .inconsistent, layerIndex: layer?.index, layerKind: layer?.kind, field: field.name,
                byteOffset: offset, message: message)
        }
        guard (1...3).contains(values[0]) else {
            throw fail("the number of dimensions must be 1, 2 or 3, found \(values[0])")
        }
        guard values[1...].allSatisfy({ $0 > 0 }) else {
            throw fail("dimensions \(values[1])x\(values[2])x\(values[3]) include a zero")
        }
        return Shape(rank: values[0], height: values[1], width: values[2], channels: values[3])
    }

    private mutating func parseLayer(index: Int, at start: Int) throws(FormatError) -> Layer {
        guard reader.contains(offset: start, length: ModelReader.layerHeadSize) else {
            throw FormatError(
                .truncated, layerIndex: index, field: "layer head", byteOffset: start,
                message: "the 48-byte layer head starts at byte \(start) but the file has \(reader.count) bytes")
        }
        let typeCode = reader.u16(start + Field.type.offset)
        guard let kind = LayerKind(rawValue: typeCode) else {
            throw FormatError(
                .unknownCode, layerIndex: index, field: Field.type.name, byteOffset: start + Field.type.offset,
                message: "layer type \(typeCode) is not one of 0 (CONV2D) to 6 (ADD)")
        }
        let context = LayerContext(index: index, kind: kind, start: start)
        let size = Int(reader.u32(start + Field.size.offset))
        let minimumSize = ModelReader.layerHeadSize + context.bodySize
        guard size > 0, size % 8 == 0 else {
            throw context.error(.inconsistent, Field.size, "\(size) is not a non-zero multiple of 8")
        }
        guard size >= minimumSize else {
            throw context.error(.inconsistent, Field.size, "\(size) bytes cannot hold a \(kind) layer (\(minimumSize))")
        }
        guard reader.contains(offset: start, length: size) else {
            throw context.error(
                .outOfRange, Field.size,
                "the layer would end at byte \(start + size) but the file has \(reader.count) bytes")
        }
        let outputCode = reader.u16(start + Field.isOutput.offset)
        guard outputCode <= 1 else { throw context.error(.unknownCode, Field.isOutput, "must be 0 or 1, found \(outputCode)") }

        let layerID = (index: index, kind: kind)
        let inputShape = try shape(at: start + Field.inputDims.offset, field: Field.inputDims, layer: layerID)
        let outputShape = try shape(at: start + Field.outputDims.offset, field: Field.outputDims, layer: layerID)
        let inputQuantization = quantization(context, scale: Field.inputScale, zeroPoint: Field.inputZeroPoint)
        let outputQuantization = quantization(context, scale: Field.outputScale, zeroPoint: Field.outputZeroPoint)

        let operation: Operation
        switch kind {
        case .conv2D, .depthwiseConv2D:
            operation = try parseConvolution(context, size: size, input: inputShape, output: outputShape)
        case .fullyConnected:
            operation = try parseFullyConnected(context, size: size, input: inputShape, output: outputShape)
        case .add:
            operation = .add(
                Addition(
                    secondInputOffset: Int(reader.u32(start + Field.secondInputOffset.offset)),
                    secondInputQuantization: quantization(
                        context, scale: Field.secondInputScale, zeroPoint: Field.secondInputZeroPoint)))
        case .globalAveragePool: operation = .globalAveragePool
        case .softmax: operation = .softmax
        case .reshape: operation = .reshape
        }
        return Layer(
            isOutput: outputCode == 1,
            inputOffset: Int(reader.u32(start + Field.inputOffset.offset)),
            outputOffset: Int(reader.u32(start + Field.outputOffset.offset)),
            inputShape: inputShape, outputShape: outputShape,
            inputQuantization: inputQuantization, outputQuantization: outputQuantization,
            operation: operation)
    }

    private mutating func quantization(_ context: LayerContext, scale: FieldLocation, zeroPoint: FieldLocation)
        -> Quantization
    {
        let scaleValue = reader.f32(context.start + scale.offset)
        let zeroPointOffset = context.start + zeroPoint.offset
        if modelType.isQuantized {
            return Quantization(scale: scaleValue, zeroPoint: reader.i32(zeroPointOffset))
        }
        let stored = reader.f32(zeroPointOffset)
        guard let integral = Int32(exactly: stored) else {
            warnings.append(
                ModelWarning(
                    .ignoredField, layerIndex: context.index,
                    message: "\(zeroPoint.name) holds \(stored), which a float model does not use; read as 0"))
            return Quantization(scale: scaleValue, zeroPoint: 0)
        }
        return Quantization(scale: scaleValue, zeroPoint: integral)
    }

    private func parseConvolution(_ context: LayerContext, size: Int, input: Shape, output: Shape)
        throws(FormatError) -> Operation
    {
        let start = context.start
        let depthMultiplier = Int(reader.u32(start + Field.depthMultiplier.offset))
        let isDepthwise = context.kind == .depthwiseConv2D
        if isDepthwise {
            guard depthMultiplier >= 1 else {
                throw context.error(.inconsistent, Field.depthMultiplier, "a DWCONV2D needs a depth multiplier of at least 1")
            }
        } else if depthMultiplier != 0 {
            throw context.error(.inconsistent, Field.depthMultiplier, "must be 0 for CONV2D, found \(depthMultiplier)")
        }
        let activationCode = reader.u16(start + Field.activation.offset)
        guard let activation = Activation(rawValue: activationCode) else {
            throw context.error(.unknownCode, Field.activation, "activation \(activationCode) is not one of 0 to 5")
        }
        let kernelWidth = Int(reader.u8(start + Field.kernelWidth.offset))
        let kernelHeight = Int(reader.u8(start + Field.kernelHeight.offset))
        let channelsOut = output.channels
        let windowTaps = kernelWidth * kernelHeight
        let weightCount = saturatingProduct(isDepthwise ? [channelsOut, windowTaps] : [channelsOut, input.channels, windowTaps])
        let regions = try dataRegions(
            context, size: size, bodyEnd: 80, channelsOut: channelsOut, weightCount: weightCount,
            fields: (Field.convWeightScaleOffset, Field.convWeightOffset, Field.convBiasOffset))
        let convolution = Convolution(
            kernelWidth: kernelWidth, kernelHeight: kernelHeight,
            strideWidth: Int(reader.u8(start + Field.strideWidth.offset)),
            strideHeight: Int(reader.u8(start + Field.strideHeight.offset)),
            dilationWidth: Int(reader.u8(start + Field.dilationWidth.offset)),
            dilationHeight: Int(reader.u8(start + Field.dilationHeight.offset)),
            activation: activation,
            padding: Padding(
                top: Int(reader.u8(start + Field.padding.offset)),
                bottom: Int(reader.u8(start + Field.padding.offset + 1)),
                left: Int(reader.u8(start + Field.padding.offset + 2)),
                right: Int(reader.u8(start + Field.padding.offset + 3))),
            weightScales: regions.scales, weights: regions.weights, bias: regions.bias)
        return isDepthwise ? .depthwiseConv2D(convolution, depthMultiplier: depthMultiplier) : .conv2D(convolution)
    }

    private func parseFullyConnected(_ context: LayerContext, size: Int, input: Shape, output: Shape)
        throws(FormatError) -> Operation
    {
        let regions = try dataRegions(
            context, size: size, bodyEnd: 64, channelsOut: output.elementCount,
            weightCount: saturatingProduct([output.elementCount, input.elementCount]),
            fields: (Field.fcWeightScaleOffset, Field.fcWeightOffset, Field.fcBiasOffset))
        return .fullyConnected(FullyConnected(weightScales: regions.scales, weights: regions.weights, bias: regions.bias))
    }

    /// Weight scales, weights and bias, each checked to lie inside the layer (after its
    /// head and body) before it is read.
    private func dataRegions(
        _ context: LayerContext, size: Int, bodyEnd: Int, channelsOut: Int, weightCount: Int,
        fields: (scales: FieldLocation, weights: FieldLocation, bias: FieldLocation)
    ) throws(FormatError) -> (scales: [Float], weights: NumericArray, bias: NumericArray) {
        func region(_ field: FieldLocation, count: Int, elementSize: Int, what: String) throws(FormatError) -> Int {
            let offset = Int(reader.u32(context.start + field.offset))
            let length = saturatingProduct([count, elementSize])
            guard offset >= bodyEnd, offset <= size, length <= size - offset else {
                throw context.error(
                    .outOfRange, field,
                    "\(what) (\(count) x \(elementSize) bytes at layer offset \(offset)) do not fit between the "
                        + "layer body (ends at \(bodyEnd)) and the layer end (\(size))")
            }
            return context.start + offset
        }
        let type = modelType
        var scales: [Float] = []
        if type.isQuantized {
            let at = try region(fields.scales, count: channelsOut, elementSize: 4, what: "\(channelsOut) weight scales")
            scales = reader.float32s(at, count: channelsOut)
        }
        let weightSize = type.activationElementSize
        let weightsAt = try region(fields.weights, count: weightCount, elementSize: weightSize, what: "\(weightCount) weights")
        let biasSize = type.isQuantized ? 4 : type.activationElementSize
        let biasAt = try region(fields.bias, count: channelsOut, elementSize: biasSize, what: "\(channelsOut) biases")
        let weights: NumericArray
        let bias: NumericArray
        switch type {
        case .int8:
            weights = .int8(reader.int8s(weightsAt, count: weightCount))
            bias = .int32(reader.int32s(biasAt, count: channelsOut))
        case .int16:
            weights = .int16(reader.int16s(weightsAt, count: weightCount))
            bias = .int32(reader.int32s(biasAt, count: channelsOut))
        case .float32:
            weights = .float32(reader.float32s(weightsAt, count: weightCount))
            bias = .float32(reader.float32s(biasAt, count: channelsOut))
        case .float16:
            weights = .float16Bits(reader.uint16s(weightsAt, count: weightCount))
            bias = .float16Bits(reader.uint16s(biasAt, count: channelsOut))
        case .fp8E4M3, .fp8E5M2:
            weights = .fp8Codes(reader.uint8s(weightsAt, count: weightCount))
            bias = .fp8Codes(reader.uint8s(biasAt, count: channelsOut))
        }
        return (scales, weights, bias)
    }
}

/// The layer being parsed, for error messages.
private struct LayerContext {
    let index: Int
    let kind: LayerKind
    let start: Int

    /// Bytes of the type-specific body after the 48-byte head.
    var bodySize: Int {
        switch kind {
        case .conv2D, .depthwiseConv2D: return 32
        case .fullyConnected, .add: return 16
        case .globalAveragePool, .softmax, .reshape: return 0
        }
    }

    func error(_ reason: FormatError.Reason, _ field: FieldLocation, _ message: String) -> FormatError {
        FormatError(
            reason, layerIndex: index, layerKind: kind, field: field.name, byteOffset: start + field.offset,
            message: message)
    }
}
