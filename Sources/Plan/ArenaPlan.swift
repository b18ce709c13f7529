import TMDLFormat

/// Where a tensor lives while the generated code runs.
public enum TensorLocation: Hashable, Sendable {
    /// The caller's input buffer (read only, never copied).
    case modelInput
    /// A byte offset in the one activation arena.
    case arena(Int)
}

/// The placement of every activation tensor in one arena, planned from liveness
/// (not from the file's offsets). The emitter only reads it.
public struct ArenaPlan: Hashable, Sendable {
    /// Bytes of the arena (a multiple of `alignment`).
    public var arenaSize: Int
    public var alignment: Int
    /// Where each layer writes its output (a RESHAPE aliases its input).
    public var outputLocations: [TensorLocation]
    /// Where each layer reads each input, in `Layer.inputOffsets` order.
    public var inputLocations: [[TensorLocation]]
    /// The most bytes that must be live at once (the sum of the tensors live
    /// during the busiest layer): no placement without in-place execution can go below it.
    public var livenessLowerBound: Int
}

/// Greedy-by-size placement (the scheme of TFLite's arena planner): tensors are
/// placed largest first, each at the lowest aligned offset that overlaps no
/// already placed tensor whose lifetime overlaps its own. A tensor lives from
/// the layer that writes it to the last layer that reads it; the model output
/// lives to the end (it is copied to the caller's buffer last).
public enum ArenaPlanner {
    public static func plan(_ model: Model, dataflow: Dataflow, alignment: Int = 8) -> ArenaPlan {
        let layerCount = model.layers.count
        let elementSize = model.type.activationElementSize
        // A RESHAPE's output is its input under another name: one region for both.
        var region: [TensorSource: TensorSource] = [.modelInput: .modelInput]
        for (index, layer) in model.layers.enumerated() {
            region[.layer(index)] = layer.kind == .reshape ? region[dataflow.inputs[index][0]]! : .layer(index)
        }
        var lifetimes: [TensorSource: ClosedRange<Int>] = [:]
        for index in 0..<layerCount where region[.layer(index)] == .layer(index) {
            lifetimes[.layer(index)] = index...index
        }
        func extend(_ source: TensorSource, to index: Int) {
            guard let root = region[source], let life = lifetimes[root] else { return }  // model input: not in the arena
            lifetimes[root] = life.lowerBound...max(life.upperBound, index)
        }
        for (index, sources) in dataflow.inputs.enumerated() {
            sources.forEach { extend($0, to: index) }
        }
        if let output = model.outputLayerIndex { extend(.layer(output), to: layerCount) }

        let sizes = lifetimes.keys.reduce(into: [TensorSource: Int]()) { sizes, source in
            guard case .layer(let index) = source else { return }
            sizes[source] = align(model.layers[index].outputShape.elementCount * elementSize, to: alignment)
        }
        let order = lifetimes.keys.sorted { a, b in
            sizes[a]! != sizes[b]! ? sizes[a]! > sizes[b]! : lifetimes[a]!.lowerBound < lifetimes[b]!.lowerBound
        }
        var offsets: [TensorSource: Int] = [:]
        var arenaSize = 0
        for source in order {
            let life = lifetimes[source]!, size = sizes[source]!
            let conflicts = offsets.keys.filter { lifetimes[$0]!.overlaps(life) }.map { offsets[$0]!..<offsets[$0]! + sizes[$0]! }
            let start = BufferPlacement.lowestFreeOffset(length: size, avoiding: conflicts)
            offsets[source] = start
            arenaSize = max(arenaSize, start + size)
        }

        func location(_ source: TensorSource) -> TensorLocation {
            let root = region[source]!
            return root == .modelInput ? .modelInput : .arena(offsets[root]!)
        }
        let lowerBound = (0...layerCount).map { index in
            lifetimes.filter { $0.value.contains(index) }.reduce(0) { $0 + sizes[$1.key]! }
        }.max() ?? 0
        return ArenaPlan(
            arenaSize: arenaSize, alignment: alignment,
            outputLocations: (0..<layerCount).map { location(.layer($0)) },
            inputLocations: dataflow.inputs.map { $0.map(location) },
            livenessLowerBound: lowerBound)
    }
}

func align(_ value: Int, to alignment: Int) -> Int { (value + alignment - 1) / alignment * alignment }
