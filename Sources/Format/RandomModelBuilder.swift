/// A small, fully specified PRNG (SplitMix64), so that a seed names the same
/// model on every machine and toolchain.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (modulo bias is irrelevant for test generation; determinism is not).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func float(_ range: ClosedRange<Double>) -> Float {
        Float(range.lowerBound + unit() * (range.upperBound - range.lowerBound))
    }

    public mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }
}

/// Builds valid random models, int8 or fp32, covering what the format allows:
/// kernels 1...7 (non-square too), strides 1...3, any padding, dilation, depth
/// multipliers 1...3, every defined activation, GAP, FC, SOFTMAX, RESHAPE and
/// residual ADDs, with odd channel counts. The activation buffer is planned the
/// way the converter does it (reuse once a tensor is dead, RESHAPE in place), so
/// the model passes `ModelValidator` and round-trips through the writer.
public struct RandomModelBuilder {
    public enum Size: Sendable, CaseIterable {
        /// At most 12x12 pixels and 8 channels: thousands of these verify quickly.
        case tiny
        /// Up to 32x32 pixels and 24 channels.
        case medium
    }

    public let type: ModelType
    public let size: Size

    public init(type: ModelType, size: Size = .tiny) {
        precondition(type == .int8 || type == .float32, "the builder makes int8 and fp32 models")
        self.type = type
        self.size = size
    }

    public func model(seed: UInt64) -> Model {
        var draft = Draft(type: type, size: size, random: SplitMix64(seed: seed))
        return draft.build()
    }
}

/// One tensor of the model being drawn: its shape and quantisation.
private struct DraftTensor {
    var shape: Shape
    var quantization: Quantization
}

/// A layer before buffer planning: which tensors it reads (0 is the model input,
/// k + 1 the output of layer k).
private struct DraftLayer {
    var inputs: [Int]
    var layer: Layer
}

private struct Draft {
    let type: ModelType
    let size: Size
    var random: SplitMix64
    var tensors: [DraftTensor] = []
    var layers: [DraftLayer] = []

    typealias Size = RandomModelBuilder.Size

    init(type: ModelType, size: Size, random: SplitMix64) {
        self.type = type
        self.size = size
        self.random = random
    }

    var quantized: Bool { type == .int8 }
    var maxSpatial: Int { size == .tiny ? 12 : 32 }
    var maxChannels: Int { size == .tiny ? 8 : 24 }

    mutating func build() -> Model {
        let inputShape = Shape(
            height: random.int(1...maxSpatial), width: random.int(1...maxSpatial), channels: random.int(1...4))
        tensors.append(DraftTensor(shape: inputShape, quantization: randomQuantization(scale: 1.0 / 255)))
        var current = 0
        for _ in 0..<random.int(1...(size == .tiny ? 5 : 8)) {
            switch random.int(0...9) {
            case 0...3: current = addConvolution(reading: current, depthwise: false)
            case 4...5: current = addConvolution(reading: current, depthwise: true)
            case 6...7: current = addResidualBlock(reading: current)
            case 8: current = addReshape(reading: current)
            default: current = addFullyConnected(reading: current)
            }
        }
        if random.chance(0.6) { current = addGlobalAveragePool(reading: current) }
        if random.chance(0.7) { current = addFullyConnected(reading: current) }
        if random.chance(0.6) { current = addSoftmax(reading: current) }
        return finish(output: current)
    }

    // MARK: quantisation

    mutating func randomQuantization(scale: Double) -> Quantization {
        guard quantized else { return .identity }
        return Quantization(scale: Float(scale * (0.5 + random.unit())), zeroPoint: Int32(random.int(-128...127)))
    }

    /// A scale that maps a typical accumulator of `terms` products to tens of codes.
    mutating func outputQuantization(input: Quantization, weightScale: Float, terms: Int, relu: Bool) -> Quantization {
        guard quantized else { return .identity }
        let typical = Double(input.scale) * Double(weightScale) * 48 * 48 * Double(terms).squareRoot()
        let scale = Float(typical / 40 * (0.4 + 1.2 * random.unit()))
        let zeroPoint = relu ? Int32(random.int(-128...(-100))) : Int32(random.int(-40...40))
        return Quantization(scale: scale, zeroPoint: zeroPoint)
    }

    mutating func weights(count: Int, fanIn: Int) -> NumericArray {
        if quantized { return .int8((0..<count).map { _ in Int8(random.int(-127...127)) }) }
        let bound = 1 / Double(max(fanIn, 1)).squareRoot()
        return .float32((0..<count).map { _ in random.float(-bound...bound) })
    }

    mutating func bias(count: Int, fanIn: Int) -> NumericArray {
        if quantized { return .int32((0..<count).map { _ in Int32(random.int(-3000 * fanIn...3000 * fanIn)) }) }
        return .float32((0..<count).map { _ in random.float(-0.2...0.2) })
    }

    // MARK: layers

    mutating func append(_ operation: Operation, inputs: [Int], output: DraftTensor) -> Int {
        let input = tensors[inputs[0]]
        var layer = Layer(
            inputOffset: 0, outputOffset: 0, inputShape: input.shape, outputShape: output.shape,
            inputQuantization: input.quantization, outputQuantization: output.quantization, operation: operation)
        if case .add(var addition) = operation {
            let second = tensors[inputs[1]].quantization
            // Now and then store the two inputs' quantisations swapped, as the converter does.
            if random.chance(0.2) {
                addition.secondInputQuantization = layer.inputQuantization
                layer.inputQuantization = second
            } else {
                addition.secondInputQuantization = second
            }
            layer.operation = .add(addition)
        }
        tensors.append(output)
        layers.append(DraftLayer(inputs: inputs, layer: layer))
        return tensors.count - 1
    }

    mutating func randomActivation() -> Activation { random.pick([.none, .relu, .relu6]) }

    /// A random window geometry that fits the input at least once.
    mutating func window(over shape: Shape, sameShape: Bool) -> (Int, Int, Int, Int, Int, Int, Padding) {
        if sameShape {
            let kh = random.pick([1, 3, 5]), kw = random.pick([1, 3, 5])
            return (kh, kw, 1, 1, 1, 1, Padding(top: kh / 2, bottom: kh / 2, left: kw / 2, right: kw / 2))
        }
        while true {
            let kh = random.int(1...7), kw = random.chance(0.7) ? kh : random.int(1...7)
            let sh = random.int(1...3), sw = random.chance(0.8) ? sh : random.int(1...3)
            let dh = random.chance(0.1) ? 2 : 1, dw = random.chance(0.1) ? 2 : 1
            let pad = Padding(
                top: random.int(0...kh - 1), bottom: random.int(0...kh - 1),
                left: random.int(0...kw - 1), right: random.int(0...kw - 1))
            if Convolution.outputExtent(input: shape.height, kernel: kh, stride: sh, dilation: dh, padBefore: pad.top, padAfter: pad.bottom) != nil,
                Convolution.outputExtent(input: shape.width, kernel: kw, stride: sw, dilation: dw, padBefore: pad.left, padAfter: pad.right) != nil
            {
                return (kh, kw, sh, sw, dh, dw, pad)
            }
        }
    }

    mutating func addConvolution(reading inputID: Int, depthwise: Bool, sameShape: Bool = false, channels: Int? = nil)
        -> Int
    {
        let input = tensors[inputID]
        let (kh, kw, sh, sw, dh, dw, pad) = window(over: input.shape, sameShape: sameShape)
        // Multipliers stop growing the channel count past twice the size's usual maximum.
        let largestMultiplier = max(1, min(3, 2 * maxChannels / input.shape.channels))
        let depthMultiplier = depthwise ? (sameShape ? 1 : random.int(1...largestMultiplier)) : 0
        let channelsOut = depthwise ? input.shape.channels * depthMultiplier : (channels ?? random.int(1...maxChannels))
        let shape = Shape(
            height: Convolution.outputExtent(input: input.shape.height, kernel: kh, stride: sh, dilation: dh, padBefore: pad.top, padAfter: pad.bottom)!,
            width: Convolution.outputExtent(input: input.shape.width, kernel: kw, stride: sw, dilation: dw, padBefore: pad.left, padAfter: pad.right)!,
            channels: channelsOut)
        let fanIn = kh * kw * (depthwise ? 1 : input.shape.channels)
        var scales: [Float] = quantized ? (0..<channelsOut).map { _ in random.float(0.002...0.02) } : []
        if quantized && channelsOut > 1 && random.chance(0.1) {
            scales = [scales[0]] + Array(repeating: 0, count: channelsOut - 1)  // the per-tensor quirk
        }
        let activation = randomActivation()
        let output = DraftTensor(
            shape: shape,
            quantization: outputQuantization(
                input: input.quantization, weightScale: scales.first ?? 1, terms: fanIn, relu: activation != .none))
        let conv = Convolution(
            kernelWidth: kw, kernelHeight: kh, strideWidth: sw, strideHeight: sh, dilationWidth: dw,
            dilationHeight: dh, activation: activation, padding: pad, weightScales: scales,
            weights: weights(count: channelsOut * fanIn, fanIn: fanIn), bias: bias(count: channelsOut, fanIn: fanIn))
        return append(
            depthwise ? .depthwiseConv2D(conv, depthMultiplier: depthMultiplier) : .conv2D(conv), inputs: [inputID],
            output: output)
    }

    /// x -> conv (same shape) [-> conv] -> ADD(x, branch), in either operand order.
    mutating func addResidualBlock(reading inputID: Int) -> Int {
        var branch = addConvolution(
            reading: inputID, depthwise: random.chance(0.3), sameShape: true, channels: tensors[inputID].shape.channels)
        if random.chance(0.4) {
            branch = addConvolution(reading: branch, depthwise: false, sameShape: true, channels: tensors[inputID].shape.channels)
        }
        let a = tensors[inputID].quantization, b = tensors[branch].quantization
        let output = DraftTensor(
            shape: tensors[inputID].shape,
            quantization: quantized
                ? Quantization(scale: max(a.scale, b.scale) * random.float(1...2), zeroPoint: Int32(random.int(-20...20)))
                : .identity)
        let operands = random.chance(0.5) ? [inputID, branch] : [branch, inputID]
        return append(.add(Addition(secondInputOffset: 0, secondInputQuantization: .identity)), inputs: operands, output: output)
    }

    mutating func addReshape(reading inputID: Int) -> Int {
        let input = tensors[inputID]
        let count = input.shape.elementCount
        // A flat vector only when small enough for an FC to take it directly.
        let shape = count <= 2048 && random.chance(0.5) ? Shape.vector(count) : Shape(height: 1, width: count / input.shape.channels, channels: input.shape.channels)
        return append(.reshape, inputs: [inputID], output: DraftTensor(shape: shape, quantization: input.quantization))
    }

    mutating func addFullyConnected(reading inputID: Int) -> Int {
        // Keep weight matrices small: pool a large feature map first.
        let shape = tensors[inputID].shape
        if shape.elementCount > 2048 && shape.channels < shape.elementCount {
            return addFullyConnected(reading: addGlobalAveragePool(reading: inputID))
        }
        let input = tensors[inputID]
        let channelsOut = random.int(1...(size == .tiny ? 12 : 40))
        let fanIn = input.shape.elementCount
        let weightScale = random.float(0.002...0.02)
        let output = DraftTensor(
            shape: .vector(channelsOut),
            quantization: outputQuantization(input: input.quantization, weightScale: weightScale, terms: fanIn, relu: false))
        let fc = FullyConnected(
            weightScales: quantized ? [weightScale] + Array(repeating: 0, count: channelsOut - 1) : [],
            weights: weights(count: channelsOut * fanIn, fanIn: fanIn), bias: bias(count: channelsOut, fanIn: fanIn))
        return append(.fullyConnected(fc), inputs: [inputID], output: output)
    }

    mutating func addGlobalAveragePool(reading inputID: Int) -> Int {
        let input = tensors[inputID]
        let shape = random.chance(0.5) ? Shape.vector(input.shape.channels) : Shape(height: 1, width: 1, channels: input.shape.channels)
        let quantization =
            quantized
            ? Quantization(scale: input.quantization.scale * random.float(0.5...1.5), zeroPoint: Int32(random.int(-128...127)))
            : .identity
        return append(.globalAveragePool, inputs: [inputID], output: DraftTensor(shape: shape, quantization: quantization))
    }

    mutating func addSoftmax(reading inputID: Int) -> Int {
        let input = tensors[inputID]
        let quantization = quantized ? Quantization(scale: 1.0 / 256, zeroPoint: -128) : .identity
        return append(.softmax, inputs: [inputID], output: DraftTensor(shape: input.shape, quantization: quantization))
    }

    // MARK: buffer planning

    /// Places every tensor in one buffer: the model input at 0, each output at the
    /// lowest 8-aligned offset free of every tensor still to be read, RESHAPE in place.
    mutating func finish(output outputID: Int) -> Model {
        let elementSize = type.activationElementSize
        // Tensors that share bytes (a RESHAPE and its input) form one region.
        var region = Array(tensors.indices)
        for (index, draft) in layers.enumerated() where draft.layer.kind == .reshape {
            region[index + 1] = region[draft.inputs[0]]
        }
        var lastUse = [Int](repeating: -1, count: tensors.count)
        for (index, draft) in layers.enumerated() {
            for input in draft.inputs { lastUse[region[input]] = max(lastUse[region[input]], index) }
        }
        lastUse[region[outputID]] = layers.count
        var offsets = [Int](repeating: 0, count: tensors.count)
        var live: [(id: Int, start: Int, end: Int)] = [(0, 0, align8(tensors[0].shape.elementCount * elementSize))]
        var bufferSize = live[0].end
        for index in layers.indices {
            let id = index + 1
            live.removeAll { lastUse[$0.id] < index }
            if region[id] != id {
                offsets[id] = offsets[region[id]]
                continue
            }
            let length = align8(tensors[id].shape.elementCount * elementSize)
            let start = BufferPlacement.lowestFreeOffset(length: length, avoiding: live.map { $0.start..<$0.end })
            offsets[id] = start
            live.append((id, start, start + length))
            bufferSize = max(bufferSize, start + length)
        }
        var modelLayers: [Layer] = []
        for (index, draft) in layers.enumerated() {
            var layer = draft.layer
            layer.inputOffset = offsets[draft.inputs[0]]
            layer.outputOffset = offsets[index + 1]
            if case .add(var addition) = layer.operation {
                addition.secondInputOffset = offsets[draft.inputs[1]]
                layer.operation = .add(addition)
            }
            layer.isOutput = index + 1 == outputID
            modelLayers.append(layer)
        }
        return Model(
            type: type, outputDequantized: true, bufferSize: bufferSize, inputShape: tensors[0].shape,
            outputShape: tensors[outputID].shape, layers: modelLayers)
    }
}

private func align8(_ value: Int) -> Int { (value + 7) / 8 * 8 }
