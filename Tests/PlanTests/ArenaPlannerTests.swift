import TMDLFormat
import TMDLPlan
import TestSupport
import Testing

/// Checks a plan against lifetimes recomputed here from the dataflow: two tensors
/// that are live during the same layer must not share a byte.
func checkPlacement(_ model: Model, _ plan: ArenaPlan) throws {
    let dataflow = try Dataflow(model: model)
    let elementSize = model.type.activationElementSize
    var lastRead = [Int](repeating: -1, count: model.layers.count)
    for (index, sources) in dataflow.inputs.enumerated() {
        for case .layer(let producer) in sources { lastRead[producer] = max(lastRead[producer], index) }
    }
    // A RESHAPE keeps its input alive as long as its own output is read.
    for index in model.layers.indices.reversed() where model.layers[index].kind == .reshape {
        if case .layer(let producer) = dataflow.inputs[index][0] { lastRead[producer] = max(lastRead[producer], lastRead[index]) }
    }
    if let output = model.outputLayerIndex { lastRead[output] = model.layers.count }
    for step in 0...model.layers.count {
        var live: [(Int, Range<Int>)] = []
        for index in model.layers.indices where index <= step && step <= max(index, lastRead[index]) {
            guard case .arena(let offset) = plan.outputLocations[index], model.layers[index].kind != .reshape else { continue }
            #expect(offset % plan.alignment == 0)
            let range = offset..<offset + model.layers[index].outputShape.elementCount * elementSize
            #expect(range.upperBound <= plan.arenaSize)
            for (other, otherRange) in live {
                #expect(!range.overlaps(otherRange), "layers \(other) and \(index) overlap while both are live at \(step)")
            }
            live.append((index, range))
        }
    }
    #expect(plan.arenaSize >= plan.livenessLowerBound)
}

@Suite("Arena planner")
struct ArenaPlannerTests {
    @Test(arguments: [ModelType.int8, .float32])
    func randomModelsNeverOverlapLiveTensors(type: ModelType) throws {
        for seed in 0..<UInt64(300) {
            let model = RandomModelBuilder(type: type, size: seed % 3 == 0 ? .medium : .tiny).model(seed: seed)
            try checkPlacement(model, ArenaPlanner.plan(model, dataflow: try Dataflow(model: model)))
        }
    }

    @Test func exampleModelFitsBelowTheFilesBuffer() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        let plan = ArenaPlanner.plan(model, dataflow: try Dataflow(model: model))
        try checkPlacement(model, plan)
        #expect(plan.arenaSize == 1152 && model.bufferSize == 1216)
        #expect(plan.inputLocations[0] == [.modelInput])
    }
}

@Suite("Arena planner on the shared models", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct SharedArenaTests {
    @Test(arguments: SharedModels.all)
    func arenaIsNoLargerThanTheFilesBuffer(_ name: String) throws {
        let model = try ModelReader.load(path: try SharedModels.path(name)).model
        let plan = ArenaPlanner.plan(model, dataflow: try Dataflow(model: model))
        try checkPlacement(model, plan)
        #expect(plan.arenaSize <= model.bufferSize, "\(name): arena \(plan.arenaSize), buf_size \(model.bufferSize)")
    }
}
