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
    /// Where the caller may write the model input inside the arena (so that it needs no buffer of
    /// its own), or nil when the input always stays outside.
    public var inputOffset: Int?
    /// Layers that write their output over their own input (see `InPlaceAccess`).
    public var inPlaceLayers: [Int]
    /// The most bytes that must be live at once (the sum of the tensors live
    /// during the busiest layer): no placement without in-place execution can go below it.
    public var livenessLowerBound: Int
}

/// Plans the arena two ways and keeps the smaller:
/// - greedy by size (the scheme of TFLite's arena planner): tensors are placed largest first,
///   each at the lowest aligned offset that overlaps no already placed tensor whose lifetime
///   overlaps its own;
/// - for models that are a chain (no more than two tensors live at once, as in MobileNet), an
///   exact search that also lets a convolution write its output over its input (at least
///   `InPlaceAccess.minimumGap` bytes below it): the smallest arena, by bisection, for which a
///   placement exists.
/// A tensor lives from the layer that writes it to the last layer that reads it; the model
/// output lives to the end (it is copied to the caller's buffer last); the model input, when in
/// the arena, lives from before the first layer.
public enum ArenaPlanner {
    public static func plan(
        _ model: Model, dataflow: Dataflow, inputInArena: Bool = true, alignment: Int = 8
    ) -> ArenaPlan {
        let layerCount = model.layers.count
        let elementSize = model.type.activationElementSize
        // A RESHAPE's output is its input under another name: one region for both.
        var root: [TensorSource: TensorSource] = [.modelInput: .modelInput]
        for (index, layer) in model.layers.enumerated() {
            root[.layer(index)] = layer.kind == .reshape ? root[dataflow.inputs[index][0]]! : .layer(index)
        }
        var regions: [Region] = []
        var regionIndex: [TensorSource: Int] = [:]
        func addRegion(_ source: TensorSource, size: Int, from start: Int) {
            regionIndex[source] = regions.count
            regions.append(Region(source: source, size: align(size, to: alignment), lifetime: start...start))
        }
        // Regions in production order: the input (if in the arena), then each computed layer's output.
        let computed = (0..<layerCount).filter { root[.layer($0)] == .layer($0) }
        // Without any computed layer there is nothing to run, and no arena for the input either.
        if inputInArena && !computed.isEmpty {
            addRegion(.modelInput, size: model.inputShape.elementCount * elementSize, from: -1)
        }
        for index in computed {
            addRegion(.layer(index), size: model.layers[index].outputShape.elementCount * elementSize, from: index)
        }
        func extend(_ source: TensorSource, to index: Int) {
            guard let region = regionIndex[root[source]!] else { return }  // the input outside the arena
            regions[region].lifetime = regions[region].lifetime.lowerBound...max(regions[region].lifetime.upperBound, index)
        }
        for (index, sources) in dataflow.inputs.enumerated() {
            sources.forEach { extend($0, to: index) }
        }
        if let output = model.outputLayerIndex { extend(.layer(output), to: layerCount) }
        // A convolution may overwrite the one tensor it reads if nothing reads that tensor later.
        for (position, region) in regions.enumerated() {
            guard case .layer(let index) = region.source, dataflow.inputs[index].count == 1,
                let input = regionIndex[root[dataflow.inputs[index][0]]!], regions[input].lifetime.upperBound == index,
                let gap = InPlaceAccess.minimumGap(of: model.layers[index], elementSize: elementSize)
            else { continue }
            regions[position].overwritable = (input, min(align(gap, to: alignment), region.size))
        }

        var offsets = greedyBySize(regions)
        var arenaSize = zip(regions, offsets).map { $0.size + $1 }.max() ?? 0
        if let chain = smallestChainPlacement(regions, atMost: arenaSize - alignment, alignment: alignment) {
            (offsets, arenaSize) = (chain, zip(regions, chain).map { $0.size + $1 }.max()!)
        }

        func location(_ source: TensorSource) -> TensorLocation {
            let region = root[source]!
            return region == .modelInput ? .modelInput : .arena(offsets[regionIndex[region]!])
        }
        let inPlaceLayers = regions.indices.compactMap { position -> Int? in
            guard case .layer(let index) = regions[position].source, let (input, _) = regions[position].overwritable,
                regions[position].range(at: offsets[position]).overlaps(regions[input].range(at: offsets[input]))
            else { return nil }
            return index
        }
        let lowerBound = (-1...layerCount).map { step in
            regions.filter { $0.lifetime.contains(step) }.reduce(0) { $0 + $1.size }
        }.max() ?? 0
        return ArenaPlan(
            arenaSize: arenaSize, alignment: alignment,
            outputLocations: (0..<layerCount).map { location(.layer($0)) },
            inputLocations: dataflow.inputs.map { $0.map(location) },
            inputOffset: regionIndex[.modelInput].map { offsets[$0] },
            inPlaceLayers: inPlaceLayers,
            livenessLowerBound: lowerBound)
    }

    /// One tensor's bytes in the arena.
    struct Region {
        var source: TensorSource
        var size: Int
        var lifetime: ClosedRange<Int>
        /// The region this one's layer reads and may overwrite, and how far below it this one must start.
        var overwritable: (region: Int, gap: Int)?

        func range(at offset: Int) -> Range<Int> { offset..<offset + size }
    }

    /// Largest first, each at the lowest offset clear of every placed region live at the same time.
    static func greedyBySize(_ regions: [Region]) -> [Int] {
        let order = regions.indices.sorted { a, b in
            regions[a].size != regions[b].size
                ? regions[a].size > regions[b].size : regions[a].lifetime.lowerBound < regions[b].lifetime.lowerBound
        }
        var offsets = [Int?](repeating: nil, count: regions.count)
        for position in order {
            let conflicts = regions.indices.compactMap { other -> Range<Int>? in
                guard let offset = offsets[other], regions[other].lifetime.overlaps(regions[position].lifetime) else {
                    return nil
                }
                return regions[other].range(at: offset)
            }
            offsets[position] = BufferPlacement.lowestFreeOffset(length: regions[position].size, avoiding: conflicts)
        }
        return offsets.map { $0! }
    }

    /// For a chain (regions in production order, each live only with its neighbours), the
    /// placement in the smallest arena of at most `limit` bytes, or nil if there is none or the
    /// model is not a chain.
    static func smallestChainPlacement(_ regions: [Region], atMost limit: Int, alignment: Int) -> [Int]? {
        let isChain = regions.indices.dropLast(2).allSatisfy {
            regions[$0].lifetime.upperBound < regions[$0 + 2].lifetime.lowerBound
        }
        guard isChain, let largest = regions.map(\.size).max(), largest <= limit,
            var best = chainPlacement(regions, arenaSize: limit)
        else { return nil }
        // Feasibility only grows with the arena: bisect on multiples of the alignment.
        var (infeasible, feasible) = (largest / alignment - 1, limit / alignment)
        while feasible - infeasible > 1 {
            let middle = (infeasible + feasible) / 2
            if let placement = chainPlacement(regions, arenaSize: middle * alignment) {
                (best, feasible) = (placement, middle)
            } else {
                infeasible = middle
            }
        }
        return best
    }

    /// An exact placement of a chain in `arenaSize` bytes, or nil. Walking back from the last
    /// region, the offsets at which region k can start with a valid placement of all later ones
    /// form at most two intervals (the next one below it, or above it), so the least and the
    /// greatest of them decide everything; then each region takes one of its successor's
    /// feasible ends.
    static func chainPlacement(_ regions: [Region], arenaSize: Int) -> [Int]? {
        let count = regions.count
        guard count > 0 else { return [] }
        func overlaps(_ k: Int) -> Bool { regions[k].lifetime.overlaps(regions[k + 1].lifetime) }
        // How far below region k's start region k + 1 must start to go under it.
        func below(_ k: Int) -> Int {
            regions[k + 1].overwritable?.region == k ? regions[k + 1].overwritable!.gap : regions[k + 1].size
        }
        var least = [Int](repeating: 0, count: count), greatest = least
        for k in stride(from: count - 1, through: 0, by: -1) {
            let top = arenaSize - regions[k].size
            guard top >= 0 else { return nil }
            guard k < count - 1, overlaps(k) else {
                (least[k], greatest[k]) = (0, top)
                continue
            }
            let nextBelow = least[k + 1] + below(k)  // starts from here up, the next one fits below
            let nextAbove = greatest[k + 1] - regions[k].size  // starts up to here, the next one fits above
            var (low, high) = (Int.max, Int.min)
            if nextAbove >= 0 { (low, high) = (0, min(nextAbove, top)) }
            if nextBelow <= top { (low, high) = (min(low, nextBelow), top) }
            guard low <= high else { return nil }
            (least[k], greatest[k]) = (low, high)
        }
        var offsets = [least[0]]
        for k in 1..<count {
            let previous = offsets[k - 1]
            let fitsBelow = !overlaps(k - 1) || least[k] + below(k - 1) <= previous
            offsets.append(fitsBelow ? least[k] : greatest[k])
        }
        return offsets
    }
}

func align(_ value: Int, to alignment: Int) -> Int { (value + alignment - 1) / alignment * alignment }
