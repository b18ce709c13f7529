import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The integer profile must reproduce TFLite's reference kernels (../shared/golden-tflite)
/// bit for bit: every case's final output and every tmdl layer's hash, and the derived
/// requantisation parameters must equal TFLite's own.
@Suite(
    "Integer profile against TFLite's reference kernels",
    .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct IntegerConformanceTests {
    @Test(arguments: TFLiteGoldenFile.withTMDLModels)
    func everyCaseAndLayerMatches(_ name: String) throws {
        let golden = try TFLiteGoldenFile.load(name)
        let model = try golden.loadModel()
        let reference = try ReferenceInterpreter(model: model, numerics: .integer)
        #expect(!golden.cases.isEmpty)
        var layersCompared = 0
        for goldenCase in golden.cases {
            var hashes: [String] = []
            let result = try reference.run(try goldenCase.input.modelInput(for: model)) { _, output in
                hashes.append(FNV1a64.hex(output.fnv1a64))
            }
            let expected = goldenCase.hashes(layerCount: model.layers.count)
            #expect(expected.allSatisfy { $0 != nil }, "\(name): every tmdl layer has a golden hash")
            layersCompared += expected.count
            if let first = hashes.indices.first(where: { hashes[$0] != expected[$0] }) {
                Issue.record("\(name) \(goldenCase.label): layer \(first) (\(model.layers[first].kind)) is the first that differs")
            }
            #expect(result.output == goldenCase.expectedOutput, "\(name) \(goldenCase.label)")
        }
        #expect(layersCompared == golden.cases.count * model.layers.count)
    }

    @Test(arguments: TFLiteGoldenFile.withTMDLModels)
    func derivedParametersEqualTFLites(_ name: String) throws {
        let golden = try TFLiteGoldenFile.load(name)
        let model = try golden.loadModel()
        var compared = 0
        for entry in golden.requantParams {
            guard let index = entry.tmdlLayer, let multipliers = entry.multiplier, let shifts = entry.shift else { continue }
            let layer = model.layers[index]
            let derived: ChannelRequantization
            switch layer.operation {
            case .conv2D(let conv), .depthwiseConv2D(let conv, _):
                derived = try IntegerParameters.convolution(conv, layer: layer, index: index)
            case .fullyConnected(let fc):
                derived = try IntegerParameters.fullyConnected(fc, layer: layer, index: index)
            default:
                Issue.record("\(name): \(entry.op) carries parameters but tmdl layer \(index) is \(layer.kind)")
                continue
            }
            // TFLite lists one multiplier per channel even for a per-tensor FC; ours keeps one.
            let ours = derived.multipliers.count == 1 ? Array(repeating: derived.multipliers[0], count: multipliers.count)
                : derived.multipliers
            #expect(ours.map { Int64($0.multiplier) } == multipliers, "\(name) layer \(index) multipliers")
            #expect(ours.map { Int64($0.shift) } == shifts, "\(name) layer \(index) shifts")
            #expect(Int(derived.lowest) == entry.actMin && Int(derived.highest) == entry.actMax, "\(name) layer \(index) range")
            compared += 1
        }
        #expect(compared == model.layers.filter { [.conv2D, .depthwiseConv2D, .fullyConnected].contains($0.kind) }.count)
    }

    @Test func fixedPointBuildingBlocksFollowTheSpec() {
        // QM: frexp(0.5) = (0.5, 0), so M = 0.5 · 2^31 = 2^30 and the shift is 0; frexp(1) = (0.5, 1).
        #expect(QuantizedMultiplier(0.5) == QuantizedMultiplier(multiplier: 1 << 30, shift: 0))
        #expect(QuantizedMultiplier(1) == QuantizedMultiplier(multiplier: 1 << 30, shift: 1))
        // A q that rounds up to 2^31 is renormalised.
        #expect(QuantizedMultiplier(0.99999999999) == QuantizedMultiplier(multiplier: 1 << 30, shift: 1))
        #expect(QuantizedMultiplier(0) == QuantizedMultiplier(multiplier: 0, shift: 0))
        #expect(QuantizedMultiplier(0x1p-40) == QuantizedMultiplier(multiplier: 0, shift: 0))
    }

    @Test func integerProfileRefusesWhatItCannotCompute() throws {
        let float = try ModelReader.load(path: try SharedModels.path("mnist_valid_f")).model
        #expect(throws: ReferenceError.profileNeedsInt8(.integer, .float32)) {
            try ReferenceInterpreter(model: float, numerics: .integer)
        }
        // A softmax whose output is not quantised as 1/256, -128 is refused, naming the layer.
        var model = TestModels.smallInt8()
        guard let softmax = model.layers.firstIndex(where: { $0.kind == .softmax }) else {
            Issue.record("the small test model has a softmax")
            return
        }
        model.layers[softmax].outputQuantization = Quantization(scale: 0.01, zeroPoint: 0)
        do {
            _ = try ReferenceInterpreter(model: model, numerics: .integer)
            Issue.record("a softmax with output scale 0.01 was accepted")
        } catch let error as ReferenceError {
            #expect("\(error)".hasPrefix("layer \(softmax) (SOFTMAX): an int8 softmax must output scale 1/256"))
        }
    }
}
