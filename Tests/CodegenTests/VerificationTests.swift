import TMDLEmit
import TMDLFormat
import TMDLReference
import TMDLVerify
import TestSupport
import Testing

func generate(_ model: Model, name: String = "model") throws -> GeneratedCode {
    try CodeGenerator.generate(model, options: CodegenOptions(name: name))
}

@Suite("Generated C against the reference, through libtcc")
struct RandomModelVerificationTests {
    /// 520 builder models, int8 and fp32, tiny and medium, each with 3 seeded inputs.
    @Test(arguments: [
        (ModelType.int8, RandomModelBuilder.Size.tiny, 200), (.float32, .tiny, 160), (.int8, .medium, 100),
        (.float32, .medium, 60),
    ])
    func randomModelsAreBitExact(type: ModelType, size: RandomModelBuilder.Size, count: Int) throws {
        let builder = RandomModelBuilder(type: type, size: size)
        var layers = 0
        for seed in 0..<UInt64(count) {
            let model = builder.model(seed: 1000 + seed)
            let report = try Verifier.verify(model, code: try generate(model), cases: VerificationCase.seeded(3, for: model))
            #expect(report.passed, "\(type) \(size) seed \(1000 + seed): \(report.mismatches.first.map { "\($0)" } ?? "")")
            #expect(report.layersCompared == 3 * model.layers.count)
            layers += report.layersCompared
        }
        print("random \(type) \(size): \(count) models, \(layers) layer outputs compared")
    }

    /// The rv32p code through libtcc: its C model of the P instructions stands in for them.
    @Test(arguments: NumericsProfile.allCases)
    func rv32pModelIsBitExact(numerics: NumericsProfile) throws {
        var layers = 0
        for seed in 0..<UInt64(40) {
            let model = RandomModelBuilder(type: .int8, size: seed % 2 == 0 ? .tiny : .medium).model(seed: 7000 + seed)
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "m", arch: .rv32p, numerics: numerics))
            let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(3, for: model))
            #expect(report.passed, "seed \(7000 + seed): \(report.mismatches.first.map { "\($0)" } ?? "")")
            layers += report.layersCompared
        }
        print("rv32p (C model) through libtcc, \(numerics): 40 random int8 models, \(layers) layer outputs compared")
    }

    @Test func armCodeIsRefusedInProcessWithAReason() throws {
        let model = RandomModelBuilder(type: .int8, size: .tiny).model(seed: 1)
        for arch in [Arch.neon, .armdsp] {
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "m", arch: arch))
            let error = #expect(throws: GeneratedCodeError.self) {
                try Verifier.verify(model, code: code, cases: VerificationCase.seeded(1, for: model))
            }
            #expect(error?.description.contains("make cross-test") == true)
        }
    }

    @Test func exampleModelIsBitExact() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        let report = try Verifier.verify(model, code: try generate(model, name: "digits"), cases: VerificationCase.seeded(32, for: model))
        #expect(report.passed && report.cases == 32 && report.layersCompared == 32 * 6)
    }

    /// libtcc's build (no ARCH_AUTO_SIMD: windows unpadded) takes windows of 2160 values in parts too.
    @Test func windowsInPartsAreBitExact() throws {
        let model = TestModels.longWindowInt8()
        let code = try generate(model, name: "long_window")
        #expect(code.source.contains("#define CONV2D_S8_PARTS 1"))
        let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(4, for: model))
        #expect(report.passed && report.cases == 4 && report.layersCompared == 4)
    }

    /// The verifier must be able to fail: a one-constant change in the C is found and located.
    @Test func aTamperedKernelIsReportedAtItsLayer() throws {
        let model = TestModels.smallInt8()
        var code = try generate(model)
        code.source = code.source.replacingOccurrences(of: "e - 0.000001f", with: "e - 0.001f")
        let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(4, for: model))
        #expect(!report.passed)
        #expect(report.mismatches.first?.layer == 3)
        #expect(report.mismatches.first?.layerKind == .softmax)
    }
}

@Suite("Generated C on the shared models", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct SharedModelVerificationTests {
    /// 16 seeded inputs plus every golden input of the model.
    @Test(arguments: GoldenFile.int8AndFloatModels)
    func verifiesBitExact(_ name: String) throws {
        let golden = try GoldenFile.load(name)
        let model = try ModelReader.load(path: try SharedModels.path(name)).model
        var cases = VerificationCase.seeded(16, for: model)
        for goldenCase in golden.cases {
            cases.append(VerificationCase(label: goldenCase.label, input: try goldenCase.modelInput(for: model)))
        }
        let report = try Verifier.verify(model, code: try generate(model), cases: cases)
        #expect(report.passed, "\(report.mismatches)")
        #expect(report.cases == 16 + golden.cases.count)
        print("\(name): \(report.summary)")
    }

    /// The generated C reproduces the TinyMaix golden files directly, not only through the reference.
    @Test(arguments: GoldenFile.int8AndFloatModels)
    func reproducesTheGoldenFiles(_ name: String) throws {
        let golden = try GoldenFile.load(name)
        let model = try ModelReader.load(path: try SharedModels.path(name)).model
        let inputs = try golden.cases.map { try $0.modelInput(for: model) }
        let runs = try GeneratedRunner.run(try generate(model), model: model, inputs: inputs)
        for (goldenCase, run) in zip(golden.cases, runs) {
            #expect(run.layerOutputs.map { FNV1a64.hex(FNV1a64.hash($0)) } == goldenCase.layerFnv1a64, "\(name) \(goldenCase.label)")
            #expect(run.output == goldenCase.expectedOutput, "\(name) \(goldenCase.label)")
            let dequantized = run.dequantizedOutput ?? run.output.float32Values ?? []
            #expect(
                dequantized.map(goldenBits) == goldenCase.outputDequantF32Bits,
                "\(name) \(goldenCase.label)")
        }
    }
}
