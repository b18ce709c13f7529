import TMDLFormat
import TestSupport
import Testing

@Suite("Writer round trips", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct SharedModelRoundTripTests {
    @Test(arguments: SharedModels.all)
    func littleEndianRoundTripIsByteIdentical(_ name: String) throws {
        let bytes = try SharedModels.bytes(name)
        let loaded = try ModelReader.read(bytes)
        #expect(loaded.byteOrder == .littleEndian)
        #expect(ModelWriter.bytes(of: loaded.model) == bytes)
    }

    @Test(arguments: SharedModels.all)
    func bigEndianFileReadsBackAsTheSameModel(_ name: String) throws {
        let model = try ModelReader.read(try SharedModels.bytes(name)).model
        let bigEndian = ModelWriter.bytes(of: model, byteOrder: .bigEndian)
        #expect(bigEndian != ModelWriter.bytes(of: model))
        let reread = try ModelReader.read(bigEndian)
        #expect(reread.byteOrder == .bigEndian)
        #expect(reread.model == model)
        #expect(ModelWriter.bytes(of: reread.model, byteOrder: .bigEndian) == bigEndian)
    }
}

@Suite("Random model builder")
struct RandomModelBuilderTests {
    @Test(arguments: [ModelType.int8, .float32], RandomModelBuilder.Size.allCases)
    func modelsAreValidAndRoundTripInBothByteOrders(type: ModelType, size: RandomModelBuilder.Size) throws {
        let builder = RandomModelBuilder(type: type, size: size)
        for seed in 0..<UInt64(250) {
            let model = builder.model(seed: seed)
            try ModelValidator.validate(model)
            for order in ByteOrder.allCases {
                let loaded = try ModelReader.read(ModelWriter.bytes(of: model, byteOrder: order))
                #expect(loaded.model == model, "seed \(seed) \(order)")
                #expect(loaded.byteOrder == order)
            }
        }
    }

    @Test func sameSeedGivesTheSameModel() {
        let builder = RandomModelBuilder(type: .int8, size: .medium)
        #expect(builder.model(seed: 42) == builder.model(seed: 42))
        #expect(builder.model(seed: 42) != builder.model(seed: 43))
    }

    /// The builder is only useful if it reaches every layer kind, activation and the
    /// awkward geometries the later stages must handle.
    @Test func coversTheFormat() {
        var kinds = Set<LayerKind>(), activations = Set<Activation>()
        var kernels = Set<Int>(), strides = Set<Int>(), multipliers = Set<Int>()
        var nonSquare = false, dilated = false, asymmetricPad = false, swappedAdd = false
        for type in [ModelType.int8, .float32] {
            let builder = RandomModelBuilder(type: type)
            for seed in 0..<UInt64(300) {
                let model = builder.model(seed: seed)
                let warnings = (try? ModelValidator.validate(model)) ?? []
                swappedAdd = swappedAdd || warnings.contains { $0.kind == .inputQuantizationMismatch }
                for layer in model.layers {
                    kinds.insert(layer.kind)
                    switch layer.operation {
                    case .conv2D(let conv), .depthwiseConv2D(let conv, _):
                        activations.insert(conv.activation)
                        kernels.insert(conv.kernelHeight)
                        strides.insert(conv.strideHeight)
                        nonSquare = nonSquare || conv.kernelHeight != conv.kernelWidth
                        dilated = dilated || conv.dilationHeight > 1 || conv.dilationWidth > 1
                        asymmetricPad = asymmetricPad || conv.padding.top != conv.padding.bottom
                        if case .depthwiseConv2D(_, let multiplier) = layer.operation { multipliers.insert(multiplier) }
                    default: break
                    }
                }
            }
        }
        #expect(kinds == Set(LayerKind.allCases))
        #expect(activations == [.none, .relu, .relu6])
        #expect(kernels == Set(1...7))
        #expect(strides == [1, 2, 3])
        #expect(multipliers == [1, 2, 3])
        #expect(nonSquare && dilated && asymmetricPad && swappedAdd)
    }
}
