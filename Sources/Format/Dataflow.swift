/// Where a tensor a layer reads comes from.
public enum TensorSource: Hashable, Sendable, CustomStringConvertible {
    case modelInput
    case layer(Int)

    public var description: String {
        switch self {
        case .modelInput: return "the model input"
        case .layer(let index): return "layer \(index)"
        }
    }
}

/// The model as a graph: which tensor each layer reads, found by following the
/// file's activation-buffer regions the way the TinyMaix interpreter walks them.
/// Later stages (reference, planner) work on this graph, never on raw offsets.
public struct Dataflow: Hashable, Sendable {
    /// For each layer, the source of each input in `Layer.inputOffsets` order.
    public var inputs: [[TensorSource]]

    public init(inputs: [[TensorSource]]) { self.inputs = inputs }

    /// Derives the graph and checks that every input was written, with the right
    /// size, and not overwritten before it is read.
    public init(model: Model, layerOffsets: [Int]? = nil) throws(FormatError) {
        let elementSize = model.type.activationElementSize
        var inputs: [[TensorSource]] = []
        for (index, layer) in model.layers.enumerated() {
            var sources: [TensorSource] = []
            for (position, offset) in layer.inputOffsets.enumerated() {
                let field = position == 0 ? Field.inputOffset : Field.secondInputOffset
                let fail = { (message: String) in
                    FormatError(
                        .inconsistent, layerIndex: index, layerKind: layer.kind, field: field.name,
                        byteOffset: layerOffsets.map { $0[index] + field.offset }, message: message)
                }
                let length = layer.inputShape.elementCount * elementSize
                let source = Dataflow.source(of: offset, before: index, in: model)
                let writtenLength: Int
                switch source {
                case .layer(let producer):
                    writtenLength = model.layers[producer].outputShape.elementCount * elementSize
                case .modelInput:
                    guard index == 0 || offset == model.layers[0].inputOffset else {
                        throw fail("reads activation offset \(offset), which no earlier layer wrote")
                    }
                    writtenLength = model.inputShape.elementCount * elementSize
                }
                guard writtenLength == length else {
                    throw fail("reads \(length) bytes at activation offset \(offset), but \(source) wrote \(writtenLength)")
                }
                let firstLater: Int
                if case .layer(let producer) = source { firstLater = producer + 1 } else { firstLater = 0 }
                for between in firstLater..<index where model.layers[between].kind != .reshape {
                    let other = model.layers[between]
                    let otherLength = other.outputShape.elementCount * elementSize
                    if other.outputOffset < offset + length && offset < other.outputOffset + otherLength {
                        throw fail(
                            "reads \(source)'s output at activation offset \(offset), but layer \(between) "
                                + "overwrote bytes \(other.outputOffset)..<\(other.outputOffset + otherLength) in between")
                    }
                }
                sources.append(source)
            }
            inputs.append(sources)
        }
        self.inputs = inputs
    }

    /// The last layer before `index` that wrote at `offset`, else the model input.
    static func source(of offset: Int, before index: Int, in model: Model) -> TensorSource {
        if let producer = model.layers[..<index].lastIndex(where: { $0.outputOffset == offset }) {
            return .layer(producer)
        }
        return .modelInput
    }

    /// Quantisation of the tensor a source produces.
    public static func quantization(of source: TensorSource, in model: Model) -> Quantization {
        switch source {
        case .modelInput: return model.inputQuantization
        case .layer(let index): return model.layers[index].outputQuantization
        }
    }
}
