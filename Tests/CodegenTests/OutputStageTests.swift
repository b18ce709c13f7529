import TMDLEmit
import TMDLFormat
import TMDLReference
import TMDLVerify
import TestSupport
import Testing

/// The tinymaix output stage runs as an integer clamp only where the generator proved the
/// float value fits int32 for every reachable accumulator; elsewhere the float chain stays.
@Suite("Tinymaix output stage: integer clamp where proved, float chain elsewhere")
struct OutputStageTests {
    /// Words only the clamped stages' templates (CONV2D/DWCONV2D and FC) have.
    static let clampedStage = "in the form the generator proved exact"

    /// Every int8 layer's output scale divided by `factor`: larger values before saturation.
    static func shrinkingOutputScales(_ model: Model, by factor: Float) -> Model {
        var model = model
        for index in model.layers.indices {
            switch model.layers[index].operation {
            case .conv2D, .depthwiseConv2D, .fullyConnected:
                model.layers[index].outputQuantization.scale /= factor
            default:
                break
            }
        }
        return model
    }

    /// Outputs that mostly saturate and values up to ~1e9 still take the clamp (the proof
    /// holds), out-of-int32 values take the float chain; both bit-exact through libtcc.
    @Test(arguments: [(Float(1), true), (1e4, true), (1e30, false)])
    func stageFollowsTheProofAndStaysExact(factor: Float, clamped: Bool) throws {
        var layers = 0
        for seed in 0..<UInt64(24) {
            let base = RandomModelBuilder(type: .int8, size: seed % 2 == 0 ? .tiny : .medium).model(seed: 9100 + seed)
            let model = Self.shrinkingOutputScales(base, by: factor)
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "m"))
            let hasStage = model.layers.contains {
                [.conv2D, .depthwiseConv2D, .fullyConnected].contains($0.kind)
            }
            if hasStage {
                #expect(code.source.contains(Self.clampedStage) == clamped, "seed \(9100 + seed), factor \(factor)")
            }
            let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(3, for: model))
            #expect(report.passed, "seed \(9100 + seed): \(report.mismatches.first.map { "\($0)" } ?? "")")
            layers += report.layersCompared
        }
        print("output stage, scales / \(factor): 24 random int8 models, \(layers) layer outputs compared")
    }

    /// Where every layer's clamp is the whole int8 range, the stage is a saturation and stores no
    /// bounds; a relu onto a zero point above -128 narrows one layer's range, and then every layer
    /// stores its [lo, hi]. Both bit-exact.
    @Test func saturationOnlyWhereEveryLayerKeepsTheWholeRange() throws {
        let full = TestModels.smallInt8()
        var narrowed = full
        narrowed.layers[0].outputQuantization.zeroPoint = -20
        narrowed.layers[1].inputQuantization.zeroPoint = -20
        for (model, saturated) in [(full, true), (narrowed, false)] {
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "m"))
            #expect(code.source.contains(Self.clampedStage))
            #expect(code.source.contains("a saturation to int8") == saturated)
            #expect(code.source.contains(".rq.lo = -20") == !saturated)
            let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(3, for: model))
            #expect(report.passed, "\(report.mismatches.first.map { "\($0)" } ?? "")")
        }
    }

    /// The integer profile has its own stage; the clamp is the tinymaix profile's.
    @Test func integerProfileKeepsItsStage() throws {
        let model = RandomModelBuilder(type: .int8, size: .tiny).model(seed: 9200)
        let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "m", numerics: .integer))
        #expect(!code.source.contains(Self.clampedStage))
    }
}
