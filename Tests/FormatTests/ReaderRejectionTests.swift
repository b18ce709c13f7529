import TMDLFormat
import TestSupport
import Testing

/// Each check of "What a careful reader must reject", one at a time, with the
/// layer, field and byte offset the message must name.
@Suite("Reader rejections")
struct ReaderRejectionTests {
    let bytes = ModelWriter.bytes(of: TestModels.smallInt8())
    /// The first layer starts right after the 64-byte header.
    let layer0 = 64

    func patched(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var copy = bytes
        edit(&copy)
        return copy
    }

    func putU16(_ value: UInt16, at offset: Int, in bytes: inout [UInt8]) {
        bytes[offset] = UInt8(value & 0xff)
        bytes[offset + 1] = UInt8(value >> 8)
    }

    func putU32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    func rejection(_ bytes: [UInt8]) -> FormatError? {
        do {
            _ = try ModelReader.read(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func theUnmodifiedModelLoads() throws {
        let loaded = try ModelReader.read(bytes)
        #expect(loaded.model == TestModels.smallInt8())
        #expect(loaded.warnings.isEmpty)
    }

    @Test func badMagic() throws {
        let error = try #require(rejection(patched { $0[0] = UInt8(ascii: "N") }))
        #expect(error.reason == .badMagic)
        #expect(error.byteOffset == 0)
        #expect(error.description.contains("MAIX"))
    }

    @Test func truncatedHeaderAndLayer() throws {
        #expect(rejection(Array(bytes.prefix(40)))?.reason == .truncated)
        let cut = try #require(rejection(Array(bytes.prefix(layer0 + 20))))
        #expect(cut.reason == .truncated && cut.layerIndex == 0)
        let dataCut = try #require(rejection(Array(bytes.prefix(layer0 + 100))))
        #expect(dataCut.reason == .outOfRange && dataCut.field == "size" && dataCut.layerIndex == 0)
    }

    @Test func unknownModelAndLayerTypes() throws {
        let model = try #require(rejection(patched { $0[4] = 9 }))
        #expect(model.reason == .unknownCode && model.field == "mdl_type" && model.byteOffset == 4)
        let layer = try #require(rejection(patched { putU16(7, at: layer0, in: &$0) }))
        #expect(layer.reason == .unknownCode && layer.layerIndex == 0 && layer.field == "type")
        let activation = try #require(rejection(patched { putU16(9, at: layer0 + 54, in: &$0) }))
        #expect(activation.field == "act" && activation.byteOffset == layer0 + 54)
    }

    @Test(arguments: [UInt32(0), 12, 44, 0xffff_fff8])
    func layerSizeMustBeANonZeroMultipleOf8InsideTheFile(size: UInt32) throws {
        let error = try #require(rejection(patched { putU32(size, at: layer0 + 4, in: &$0) }))
        #expect(error.layerIndex == 0 && error.field == "size" && error.byteOffset == layer0 + 4)
        #expect(error.description.contains("layer 0 (CONV2D), field size at byte 68"))
    }

    @Test func dataOffsetsMustStayInsideTheLayer() throws {
        let weights = try #require(rejection(patched { putU32(4000, at: layer0 + 72, in: &$0) }))
        #expect(weights.reason == .outOfRange && weights.field == "w_oft" && weights.byteOffset == layer0 + 72)
        let intoHead = try #require(rejection(patched { putU32(8, at: layer0 + 76, in: &$0) }))
        #expect(intoHead.field == "b_oft")
    }

    @Test func convolutionOutputMustFollowFromKernelStrideAndPad() throws {
        let stride = try #require(rejection(patched { $0[layer0 + 50] = 2 }))
        #expect(stride.reason == .inconsistent && stride.field == "out_dims" && stride.byteOffset == layer0 + 24)
        let zeroStride = try #require(rejection(patched { $0[layer0 + 51] = 0 }))
        #expect(zeroStride.field == "stride_h")
    }

    @Test func hugeDimensionsAreRefusedBeforeAnyAllocation() throws {
        // A conv claiming a 65535x65535x65535 output would need ~2^48 weights.
        let error = try #require(
            rejection(
                patched {
                    for i in 0..<3 { putU16(65535, at: layer0 + 26 + 2 * i, in: &$0) }
                }))
        #expect(error.reason == .outOfRange && error.layerIndex == 0)
    }

    @Test func tensorsMustFitTheActivationBuffer() throws {
        let error = try #require(rejection(patched { putU32(64, at: 12, in: &$0) }))
        #expect(error.reason == .outOfRange && error.field == "in_oft" && error.layerIndex == 0)
    }

    @Test func everyInputMustHaveBeenWritten() throws {
        // The FC (layer 2) reads offset 8 instead of the GAP output at 0.
        let start = layer0 + Int(ModelWriter.bytes(of: TestModels.smallInt8())[layer0 + 4]) + 48
        let error = try #require(rejection(patched { putU32(40, at: start + 8, in: &$0) }))
        #expect(error.reason == .inconsistent && error.layerIndex == 2 && error.field == "in_oft")
    }

    @Test func inputMustNotBeOverwrittenBeforeItIsRead() throws {
        // conv -> two GAPs of its output -> ADD of the two pooled vectors.
        var model = TestModels.smallInt8()
        let gap = model.layers[1]
        var secondGap = gap
        secondGap.outputOffset = 8
        var add = model.layers[3]
        add.inputShape = .vector(3)
        add.outputShape = .vector(3)
        add.inputOffset = 0
        add.inputQuantization = gap.outputQuantization
        add.operation = .add(Addition(secondInputOffset: 8, secondInputQuantization: gap.outputQuantization))
        model.layers = [model.layers[0], gap, secondGap, add]
        model.outputShape = .vector(3)
        #expect(try ModelValidator.validate(model).isEmpty)
        // Now the first GAP writes into the conv output that the second GAP still has to read.
        model.layers[1].outputOffset = 80
        model.layers[3].inputOffset = 80
        let error = try #require(rejection(ModelWriter.bytes(of: model)))
        #expect(error.layerIndex == 2 && error.field == "in_oft" && error.description.contains("layer 1 overwrote"))
    }

    @Test func outputCountMustMatchTheMarkedLayers() throws {
        var model = TestModels.smallInt8()
        model.layers[0].isOutput = true
        let error = try #require(rejection(ModelWriter.bytes(of: model)))
        #expect(error.field == "output_cnt")
    }
}

@Suite("Reader warnings", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct ReaderWarningTests {
    @Test func resnetAddWithSwappedInputQuantizationIsReported() throws {
        let loaded = try ModelReader.load(path: try SharedModels.path("mnist_resnet_q"))
        let addWarnings = loaded.warnings.filter { $0.kind == .inputQuantizationMismatch }
        #expect(addWarnings.count == 2)
        #expect(addWarnings.allSatisfy { $0.layerIndex == 3 })
        #expect(addWarnings.contains { $0.message.contains("layer 2") && $0.message.contains("0.029437") })
    }

    @Test(arguments: ["mnist_valid_q", "cifar10_q", "mbnet128_0.25_q", "mnist_valid_f"])
    func otherModelsHaveNoWarnings(_ name: String) throws {
        #expect(try ModelReader.load(path: try SharedModels.path(name)).warnings.isEmpty)
    }
}
