import EmulationSupport
import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TMDLVerify
import TestSupport
import Testing

func generateInteger(_ model: Model, name: String = "model") throws -> GeneratedCode {
    try CodeGenerator.generate(model, options: CodegenOptions(name: name, numerics: .integer))
}

@Suite("Integer profile: generated C against the reference, through libtcc")
struct IntegerProfileVerificationTests {
    /// Builder models, tiny and medium, each with 3 seeded inputs.
    @Test(arguments: [(RandomModelBuilder.Size.tiny, 200), (.medium, 80)])
    func randomModelsAreBitExact(size: RandomModelBuilder.Size, count: Int) throws {
        let builder = RandomModelBuilder(type: .int8, size: size)
        var layers = 0, refused: [String] = []
        for seed in 0..<UInt64(count) {
            let model = builder.model(seed: 2000 + seed)
            let code: GeneratedCode
            do {
                code = try generateInteger(model)
            } catch {
                refused.append("seed \(2000 + seed): \(error)")
                continue
            }
            let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(3, for: model))
            #expect(report.passed, "\(size) seed \(2000 + seed): \(report.mismatches.first.map { "\($0)" } ?? "")")
            #expect(report.layersCompared == 3 * model.layers.count)
            layers += report.layersCompared
        }
        // The builder makes models TFLite could have made; the profile may refuse only rare extremes.
        #expect(refused.count <= count / 20, "\(refused)")
        print("integer, random \(size): \(count - refused.count) models, \(layers) layer outputs compared, refused \(refused)")
    }

    @Test func exampleModelIsBitExact() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        let code = try generateInteger(model, name: "digits")
        let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(32, for: model))
        #expect(report.passed && report.cases == 32 && report.layersCompared == 32 * 6)
        // Only the banner mentions floating point.
        let lines = code.source.split(separator: "\n").dropFirst(4)
        #expect(!lines.contains { $0.contains("float") || $0.contains("double") }, "no float type in integer C")
        #expect(!code.header.contains("_run_dequant"))
    }

    /// A one-constant change in the fixed-point softmax is found at its layer.
    @Test func aTamperedFixedPointConstantIsReportedAtItsLayer() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        var code = try generateInteger(model, name: "digits")
        // exp(-1/4), one of the exponential's barrel-shifter factors, made 6% smaller.
        #expect(code.source.contains("1672461947"))
        code.source = code.source.replacingOccurrences(of: "1672461947", with: "1572461947")
        let report = try Verifier.verify(model, code: code, cases: VerificationCase.seeded(16, for: model))
        #expect(!report.passed)
        #expect(report.mismatches.first?.layerKind == .softmax)
    }
}

@Suite(
    "Integer profile: generated C against TFLite's reference kernels",
    .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct IntegerProfileSharedModelTests {
    /// Every golden-tflite case: every tmdl layer's hash and the final output, straight from the C.
    @Test(arguments: TFLiteGoldenFile.withTMDLModels)
    func reproducesTFLitesReferenceKernels(_ name: String) throws {
        let golden = try TFLiteGoldenFile.load(name)
        let model = try golden.loadModel()
        let inputs = try golden.cases.map { try $0.input.modelInput(for: model) }
        let runs = try GeneratedRunner.run(try generateInteger(model), model: model, inputs: inputs)
        var layers = 0
        for (goldenCase, run) in zip(golden.cases, runs) {
            let hashes = run.layerOutputs.map { FNV1a64.hex(FNV1a64.hash($0)) }
            #expect(hashes == goldenCase.hashes(layerCount: model.layers.count), "\(name) \(goldenCase.label)")
            #expect(run.output == goldenCase.expectedOutput, "\(name) \(goldenCase.label)")
            layers += hashes.count
        }
        print("integer, \(name): \(golden.cases.count) golden-tflite cases, \(layers) layer hashes equal")
    }

    /// 16 seeded inputs more, against the reference in the integer profile.
    @Test(arguments: TFLiteGoldenFile.withTMDLModels)
    func verifiesBitExactOnSeededInputs(_ name: String) throws {
        let model = try TFLiteGoldenFile.load(name).loadModel()
        let report = try Verifier.verify(model, code: try generateInteger(model), cases: VerificationCase.seeded(16, for: model))
        #expect(report.passed, "\(report.mismatches)")
        #expect(report.layersCompared == 16 * model.layers.count)
    }
}

/// The integer profile's promise to FPU-less cores: compiled for Cortex-M0 with the soft-float
/// ABI, the object calls no float or double helper of the ARM EABI and no libm function. Any
/// float operation would have to call one. The tinymaix profile is the control: it does.
@Suite(
    "Integer profile: no floating point on Cortex-M0",
    .enabled(
        if: CrossToolchain.shouldRun(CrossToolchain.armNoneEabi),
        CrossToolchain.skipReason(CrossToolchain.armNoneEabi)))
struct NoFloatProofTests {
    static let flags = [
        "-std=c99", "-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft", "-O2", "-Wall", "-Wextra", "-Werror", "-c",
    ]
    /// What integer code may call: string functions and the EABI's integer helpers.
    static let allowed: Set<String> = [
        "memcpy", "memset", "__aeabi_memcpy", "__aeabi_memcpy4", "__aeabi_memset", "__aeabi_memset4", "__aeabi_memclr",
        "__aeabi_memclr4", "__aeabi_lmul", "__aeabi_llsl", "__aeabi_llsr", "__aeabi_lasr", "__aeabi_idiv",
        "__aeabi_uidiv", "__aeabi_idivmod", "__aeabi_uidivmod", "__aeabi_ldivmod", "__aeabi_uldivmod", "__aeabi_lcmp",
        "__aeabi_ulcmp",
    ]

    /// The undefined symbols of `code` compiled for Cortex-M0.
    static func undefinedSymbols(_ code: GeneratedCode) throws -> Set<String> {
        let folder = try Shell.temporaryFolder("cortex-m0")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent(code.sourceFileName), object = folder.appendingPathComponent("model.o")
        try code.source.write(to: source, atomically: true, encoding: .utf8)
        let gcc = try Program.path(CrossToolchain.armNoneEabi)
        let compiled = try Shell.run(gcc, flags + [source.path, "-o", object.path])
        #expect(compiled.status == 0 && compiled.stderr.isEmpty, "\(compiled.stderr)")
        let nm = try Shell.run(try Program.path("arm-none-eabi-nm"), ["-u", object.path])
        #expect(nm.status == 0, "\(nm.stderr)")
        return Set(nm.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) })
    }

    static func models() throws -> [(String, Model)] {
        var models = [
            ("digits", try ModelReader.load(
                path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path).model)
        ]
        if SharedFixtures.shouldRun {
            for name in TFLiteGoldenFile.withTMDLModels {
                models.append((name, try ModelReader.load(path: try SharedModels.path(name)).model))
            }
        }
        return models
    }

    @Test func integerCodeCallsNoFloatHelperAndNoLibm() throws {
        for (name, model) in try Self.models() {
            let symbols = try Self.undefinedSymbols(try generateInteger(model, name: CIdentifier.sanitized(fileName: name)))
            #expect(symbols.isSubset(of: Self.allowed), "\(name): calls \(symbols.subtracting(Self.allowed).sorted())")
            print("cortex-m0, integer, \(name): undefined symbols \(symbols.sorted())")
        }
    }

    @Test func theTinymaixProfileIsTheControl() throws {
        let model = TestModels.smallInt8()
        let symbols = try Self.undefinedSymbols(try generate(model))
        #expect(symbols.contains("__aeabi_fmul") && symbols.contains("__aeabi_i2f"), "\(symbols.sorted())")
        #expect(!symbols.isSubset(of: Self.allowed))
    }
}
