import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The generated C as firmware engineers build it: gcc and clang with
/// `-std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off`, a small harness that
/// prints every layer's hash and the output's, compared with the reference; and
/// once under AddressSanitizer and UndefinedBehaviorSanitizer.
struct NativeBuild {
    let harness: Harness

    var code: GeneratedCode { harness.entries[0].code }
    var folder: URL { harness.folder }

    static let strictFlags = Harness.strictFlags

    init(
        _ model: Model, name: String, arch: Arch = .cpu, numerics: NumericsProfile = .tinymaix,
        arena: ArenaPlacement = .staticArena
    ) throws {
        harness = try Harness([(name, model)], arch: arch, numerics: numerics, arena: arena)
    }

    func path(_ file: String) -> String { harness.path(file) }

    /// Compiles the harness with the hook compiled in; returns the executable's path.
    func build(with compiler: String, extraFlags: [String] = [], executable: String) throws -> String {
        let flags = Self.strictFlags + extraFlags + harness.buildArguments + ["-lm", "-o", path(executable)]
        let result = try Shell.run(compiler, flags)
        #expect(result.status == 0, "\(compiler) failed on \(code.sourceFileName):\n\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(compiler) warned:\n\(result.stderr)")
        return path(executable)
    }

    func runAndCompare(_ executable: String, _ inputs: [TensorData]) throws {
        let result = try Shell.run(executable, [], input: harness.inputStream([inputs]))
        #expect(result.status == 0, "\(executable) exited with \(result.status): \(result.stderr)")
        #expect(result.stderr.isEmpty, "\(executable): \(result.stderr)")
        let expected = try harness.expectedTranscript([inputs])
        let difference = Harness.firstDifference(result.stdout, expected)
        #expect(difference == nil, "\(executable) differs from the reference: \(difference ?? "")")
    }

    /// The file alone, without the hook, with -Wpedantic; and with its header in one translation
    /// unit, so that any disagreement between the two declarations is a compile error.
    func checkStandaloneAndHeaderAgreement(with compiler: String) throws {
        let alone = try Shell.run(compiler, Self.strictFlags + ["-Wpedantic", "-c", path(code.sourceFileName), "-o", path("alone.o")])
        #expect(alone.status == 0 && alone.stderr.isEmpty, "\(compiler): \(alone.stderr)")
        let both = "#include \"\(code.headerFileName)\"\n#include \"\(code.sourceFileName)\"\n"
        try both.write(to: folder.appendingPathComponent("both.c"), atomically: true, encoding: .utf8)
        let together = try Shell.run(compiler, Self.strictFlags + ["-I", folder.path, "-fsyntax-only", path("both.c")])
        #expect(together.status == 0 && together.stderr.isEmpty, "\(compiler): \(together.stderr)")
    }
}

func compilerPath(_ name: String) throws -> String {
    try #require(Shell.which(name), "\(name) is needed to check the generated C (make deps installs gcc; clang comes with Swift)")
}

func inputs(for model: Model, count: Int) -> [TensorData] {
    (1...count).map { ModelInput.random(seed: UInt32($0), for: model) }
}

@Suite("Generated C under gcc and clang")
struct NativeCompilerTests {
    @Test func exampleModelBuildsCleanAndMatchesWithBothCompilersAndSanitizers() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        try check(model, name: "digits", sanitize: true)
        try check(model, name: "digits_caller", arena: .caller, sanitize: true)
    }

    /// 300 codes in a row of 256 possible ones repeat, so exponentials are looked up again.
    @Test func softmaxOverMoreThan256ChannelsMatches() throws {
        let model = TestModels.wideSoftmax()
        let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "wide_softmax"))
        #expect(code.source.contains(".by_code = 1"))
        try check(model, name: "wide_softmax", sanitize: true)
    }

    /// Windows longer than the two-pixel dot lays out at once go in parts, every channel's sums kept
    /// between them.
    @Test func windowsInPartsMatch() throws {
        let model = TestModels.longWindowInt8()
        let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "long_window"))
        #expect(code.source.contains("#define CONV2D_S8_PARTS 1"))
        try check(model, name: "long_window", sanitize: true)
    }

    /// Random models reach the kernels and geometries the shared models do not (fp32 ADD,
    /// dilation, multipliers, softmax over pixels, arena-less models).
    @Test func randomModelsBuildCleanAndMatch() throws {
        for seed in 0..<UInt64(16) {
            let type: ModelType = seed % 2 == 0 ? .int8 : .float32
            let model = RandomModelBuilder(type: type, size: seed % 4 < 2 ? .tiny : .medium).model(seed: 300 + seed)
            try check(model, name: "random\(seed)", sanitize: seed < 6)
        }
    }

    /// A CONV2D layer of one input channel runs in pixel lanes where gcc vectorises (SSE2 here;
    /// libtcc takes the band): random models with such a layer match the reference under gcc,
    /// clang and the sanitizers, with two taps summed in int16 (one_channel = 2) and, with -128
    /// weights, without (one_channel = 1).
    @Test func oneChannelLayersInLanesMatch() throws {
        func source(_ model: Model) throws -> String {
            try CodeGenerator.generate(model, options: CodegenOptions(name: "lanes")).source
        }
        var found = 0
        for seed in UInt64(7000)..<7600 where found < 6 {
            let model = RandomModelBuilder(type: .int8, size: seed % 2 == 0 ? .tiny : .medium).model(seed: seed)
            guard try source(model).contains(".one_channel = 2") else { continue }
            found += 1
            try check(model, name: "lanes\(seed)", sanitize: found <= 3)
            let extreme = withExtremeWeights(model)
            #expect(try source(extreme).contains(".one_channel = 1"), "seed \(seed)")
            try check(extreme, name: "lanes\(seed)_extreme", sanitize: found <= 3)
        }
        #expect(found == 6, "seeds 7000..<7600 give \(found) models with a layer in lanes, not 6: widen the search")
    }

    @Test func integerProfileBuildsCleanAndMatchesWithBothCompilersAndSanitizers() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        try check(model, name: "digits_integer", numerics: .integer, sanitize: true)
        for seed in 0..<UInt64(8) {
            let model = RandomModelBuilder(type: .int8, size: seed % 2 == 0 ? .tiny : .medium).model(seed: 400 + seed)
            try check(model, name: "random_integer\(seed)", numerics: .integer, sanitize: seed < 4)
        }
    }

    /// The rv32p code on the host: its C model of the P instructions, as gcc and clang build it.
    @Test func rv32pModelBuildsCleanAndMatchesWithBothCompilersAndSanitizers() throws {
        let model = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        for numerics in NumericsProfile.allCases {
            try check(model, name: "digits_rv32p", arch: .rv32p, numerics: numerics, sanitize: true)
        }
        for seed in 0..<UInt64(6) {
            let model = RandomModelBuilder(type: .int8, size: seed % 2 == 0 ? .tiny : .medium).model(seed: 600 + seed)
            try check(model, name: "random_rv32p\(seed)", arch: .rv32p, sanitize: seed < 3)
        }
    }

    func check(
        _ model: Model, name: String, arch: Arch = .cpu, numerics: NumericsProfile = .tinymaix,
        arena: ArenaPlacement = .staticArena, sanitize: Bool
    ) throws {
        let build = try NativeBuild(model, name: name, arch: arch, numerics: numerics, arena: arena)
        let cases = inputs(for: model, count: 3)
        for compiler in ["gcc", "clang"] {
            let path = try compilerPath(compiler)
            try build.checkStandaloneAndHeaderAgreement(with: path)
            try build.runAndCompare(try build.build(with: path, executable: "run-\(compiler)"), cases)
        }
        if sanitize {
            let executable = try build.build(
                with: try compilerPath("gcc"), extraFlags: ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
                executable: "run-sanitized")
            try build.runAndCompare(executable, Array(cases.prefix(1)))
        }
    }
}

@Suite("Shared models under gcc and clang", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct SharedNativeCompilerTests {
    @Test(arguments: GoldenFile.int8AndFloatModels)
    func buildsCleanMatchesAndRunsCleanUnderSanitizers(_ name: String) throws {
        let model = try ModelReader.load(path: try SharedModels.path(name)).model
        try NativeCompilerTests().check(model, name: CIdentifier.sanitized(fileName: name), sanitize: true)
    }

    @Test(arguments: TFLiteGoldenFile.withTMDLModels)
    func integerProfileBuildsCleanMatchesAndRunsCleanUnderSanitizers(_ name: String) throws {
        let model = try ModelReader.load(path: try SharedModels.path(name)).model
        try NativeCompilerTests().check(
            model, name: CIdentifier.sanitized(fileName: name + "_integer"), numerics: .integer, sanitize: true)
    }
}
