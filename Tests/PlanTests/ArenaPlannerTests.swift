import TMDLFormat
import TMDLPlan
import TestSupport
import Testing

/// Checks a plan against lifetimes recomputed here from the dataflow: two tensors that are live
/// during the same layer share no byte, unless the later one is written in place over the
/// other, which `checkInPlaceWrite` then replays pixel by pixel.
func checkPlacement(_ model: Model, _ plan: ArenaPlan) throws {
    let dataflow = try Dataflow(model: model)
    let elementSize = model.type.activationElementSize
    var lastRead = [Int](repeating: -1, count: model.layers.count)
    var inputLastRead = -1
    for (index, sources) in dataflow.inputs.enumerated() {
        for source in sources {
            switch source {
            case .layer(let producer): lastRead[producer] = max(lastRead[producer], index)
            case .modelInput: inputLastRead = max(inputLastRead, index)
            }
        }
    }
    // A RESHAPE keeps its input alive as long as its own output is read.
    if let output = model.outputLayerIndex { lastRead[output] = model.layers.count }
    for index in model.layers.indices.reversed() where model.layers[index].kind == .reshape {
        switch dataflow.inputs[index][0] {
        case .layer(let producer): lastRead[producer] = max(lastRead[producer], lastRead[index])
        case .modelInput: inputLastRead = max(inputLastRead, lastRead[index])
        }
    }
    // The tensor a source names, by its producer (-1: the model input), through RESHAPEs.
    func producer(_ source: TensorSource) -> Int {
        guard case .layer(let index) = source else { return -1 }
        return model.layers[index].kind == .reshape ? producer(dataflow.inputs[index][0]) : index
    }
    // Tensors by their producer, with their byte ranges.
    var tensors: [(producer: Int, range: Range<Int>, lastRead: Int)] = []
    if let offset = plan.inputOffset {
        #expect(offset % plan.alignment == 0)
        tensors.append((-1, offset..<offset + model.inputShape.elementCount * elementSize, inputLastRead))
    }
    for index in model.layers.indices where model.layers[index].kind != .reshape {
        guard case .arena(let offset) = plan.outputLocations[index] else { continue }
        #expect(offset % plan.alignment == 0)
        tensors.append((index, offset..<offset + model.layers[index].outputShape.elementCount * elementSize, lastRead[index]))
    }
    for tensor in tensors { #expect(tensor.range.upperBound <= plan.arenaSize) }
    for (a, first) in tensors.enumerated() {
        for second in tensors[(a + 1)...] where first.range.overlaps(second.range) {
            // second is produced later; the two are live together if first is read at or after that.
            guard first.lastRead >= second.producer else { continue }
            let inPlace =
                first.lastRead == second.producer && plan.inPlaceLayers.contains(second.producer)
                && dataflow.inputs[second.producer].map(producer) == [first.producer]
            #expect(inPlace, "layers \(first.producer) and \(second.producer) overlap while both are live")
            if inPlace {
                try checkInPlaceWrite(model.layers[second.producer], input: first.range, output: second.range, elementSize: elementSize)
            }
        }
    }
    #expect(plan.arenaSize >= plan.livenessLowerBound || !plan.inPlaceLayers.isEmpty)
}

/// Replays a convolution written over its input in raster order: every output byte written at
/// pixel P must lie on input bytes that no pixel from P on reads (whole input pixels of each
/// window inside the input).
func checkInPlaceWrite(_ layer: Layer, input: Range<Int>, output: Range<Int>, elementSize: Int) throws {
    let convolution: Convolution
    switch layer.operation {
    case .conv2D(let conv), .depthwiseConv2D(let conv, _): convolution = conv
    default:
        Issue.record("layer \(layer.kind) written in place")
        return
    }
    let (inShape, outShape) = (layer.inputShape, layer.outputShape)
    var lastReader = [Int](repeating: -1, count: inShape.height * inShape.width)
    for y in 0..<outShape.height {
        for x in 0..<outShape.width {
            for ky in 0..<convolution.kernelHeight {
                for kx in 0..<convolution.kernelWidth {
                    let iy = y * convolution.strideHeight - convolution.padding.top + ky * convolution.dilationHeight
                    let ix = x * convolution.strideWidth - convolution.padding.left + kx * convolution.dilationWidth
                    if iy >= 0 && iy < inShape.height && ix >= 0 && ix < inShape.width {
                        lastReader[iy * inShape.width + ix] = y * outShape.width + x
                    }
                }
            }
        }
    }
    let inputPixelBytes = inShape.channels * elementSize, outputPixelBytes = outShape.channels * elementSize
    for pixel in 0..<outShape.height * outShape.width {
        let written = output.lowerBound + pixel * outputPixelBytes..<output.lowerBound + (pixel + 1) * outputPixelBytes
        let clobbered = written.clamped(to: input)
        guard !clobbered.isEmpty else { continue }
        let firstPixel = (clobbered.lowerBound - input.lowerBound) / inputPixelBytes
        let lastPixel = (clobbered.upperBound - 1 - input.lowerBound) / inputPixelBytes
        for inputPixel in firstPixel...lastPixel where lastReader[inputPixel] >= pixel {
            Issue.record("output pixel \(pixel) overwrites input pixel \(inputPixel), still read by pixel \(lastReader[inputPixel])")
            return
        }
    }
}

@Suite("Arena planner")
struct ArenaPlannerTests {
    @Test(arguments: [ModelType.int8, .float32])
    func randomModelsNeverOverlapLiveTensors(type: ModelType) throws {
        var inPlace = 0
        for seed in 0..<UInt64(300) {
            let model = RandomModelBuilder(type: type, size: seed % 3 == 0 ? .medium : .tiny).model(seed: seed)
            let dataflow = try Dataflow(model: model)
            let plan = ArenaPlanner.plan(model, dataflow: dataflow, inputInArena: seed % 2 == 0)
            try checkPlacement(model, plan)
            inPlace += plan.inPlaceLayers.count
        }
        // The replay above must have had in-place layers to check.
        #expect(inPlace >= 20, "only \(inPlace) layers in place")
    }

    @Test func exampleModelFitsBelowTheFilesBuffer() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        let plan = ArenaPlanner.plan(model, dataflow: try Dataflow(model: model))
        try checkPlacement(model, plan)
        // The 8x8x1 input has its place in the arena; the depthwise layer runs over its input.
        #expect(plan.arenaSize == 896 && model.bufferSize == 1216 && plan.livenessLowerBound == 1152)
        #expect(plan.inputLocations[0] == [.modelInput] && plan.inputOffset != nil && plan.inPlaceLayers == [1])
        let outside = ArenaPlanner.plan(model, dataflow: try Dataflow(model: model), inputInArena: false)
        try checkPlacement(model, outside)
        #expect(outside.inputOffset == nil && outside.arenaSize <= plan.arenaSize)
    }
}

@Suite("Arena planner on the shared models", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct SharedArenaTests {
    @Test(arguments: SharedModels.all)
    func arenaIsNoLargerThanTheFilesBuffer(_ name: String) throws {
        let model = try ModelReader.load(path: try SharedModels.path(name)).model
        let plan = ArenaPlanner.plan(model, dataflow: try Dataflow(model: model))
        try checkPlacement(model, plan)
        // With the input in it, the arena still fits in the file's buffer, which holds the input too.
        #expect(plan.arenaSize <= model.bufferSize, "\(name): arena \(plan.arenaSize), buf_size \(model.bufferSize)")
    }
}

@Suite("In-place execution on the shared models", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct SharedInPlaceTests {
    /// MobileNet is a chain: its layers run over their inputs and the arena drops below the
    /// liveness bound (the most bytes two adjacent tensors need), input included.
    @Test func mobileNetRunsBelowTheLivenessBound() throws {
        let model = try ModelReader.load(path: try SharedModels.path("mbnet128_0.25_q")).model
        let plan = ArenaPlanner.plan(model, dataflow: try Dataflow(model: model))
        try checkPlacement(model, plan)
        #expect(plan.inputOffset != nil && !plan.inPlaceLayers.isEmpty)
        #expect(plan.arenaSize < plan.livenessLowerBound * 3 / 4, "arena \(plan.arenaSize), bound \(plan.livenessLowerBound)")
    }
}
