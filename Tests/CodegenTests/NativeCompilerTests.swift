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
    let code: GeneratedCode
    let model: Model
    let folder: URL

    static let strictFlags = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off"]

    init(_ model: Model, name: String, numerics: NumericsProfile = .tinymaix, arena: ArenaPlacement = .staticArena) throws {
        self.model = model
        code = try CodeGenerator.generate(model, options: CodegenOptions(name: name, numerics: numerics, arena: arena))
        folder = try Shell.temporaryFolder("native-\(name)")
        try code.header.write(to: folder.appendingPathComponent(code.headerFileName), atomically: true, encoding: .utf8)
        try code.source.write(to: folder.appendingPathComponent(code.sourceFileName), atomically: true, encoding: .utf8)
        try harness.write(to: folder.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
    }

    var elementType: String { model.type == .int8 ? "int8_t" : "float" }

    var harness: String {
        let macro = code.name.uppercased()
        let caller = code.source.contains("void *arena_memory")
        return """
            #include <stdio.h>
            #include "\(code.headerFileName)"

            static uint64_t fnv1a64(const void *data, int32_t bytes)
            {
                const unsigned char *p = data;
                uint64_t h = 0xcbf29ce484222325ULL;
                for (int32_t i = 0; i < bytes; i++) {
                    h ^= p[i];
                    h *= 0x100000001b3ULL;
                }
                return h;
            }

            static void print_layer(void *context, int32_t layer, const void *output, int32_t bytes)
            {
                (void)context;
                printf("layer %d %016llx\\n", (int)layer, (unsigned long long)fnv1a64(output, bytes));
            }

            /* Inputs back to back, from the file named by the first argument (firmware reads it
               through semihosting) or from stdin. */
            int main(int argc, char **argv)
            {
                static \(elementType) input[\(macro)_INPUT_COUNT];
                static \(elementType) output[\(macro)_OUTPUT_COUNT];
                \(caller ? "static uint64_t arena[(\(macro)_ARENA_BYTES + 7) / 8 + 1];" : "")
                FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
                if (in == NULL) {
                    return 2;
                }
                \(code.name)_set_layer_hook(print_layer, NULL);
                while (fread(input, sizeof input, 1, in) == 1) {
                    if (\(code.name)_run(input, output\(caller ? ", arena" : "")) != 0) {
                        return 1;
                    }
                    printf("output %016llx\\n", (unsigned long long)fnv1a64(output, sizeof output));
                }
                return 0;
            }

            """
    }

    func path(_ file: String) -> String { folder.appendingPathComponent(file).path }

    /// Compiles the harness with the hook compiled in; returns the executable's path.
    func build(with compiler: String, extraFlags: [String] = [], executable: String) throws -> String {
        let flags =
            Self.strictFlags + extraFlags + ["-D\(code.layerHookMacro)", "-I", folder.path, path("main.c"), path(code.sourceFileName), "-lm", "-o", path(executable)]
        let result = try Shell.run(compiler, flags)
        #expect(result.status == 0, "\(compiler) failed on \(code.sourceFileName):\n\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(compiler) warned:\n\(result.stderr)")
        return path(executable)
    }

    /// The hashes the harness must print, from the reference.
    func expectedTranscript(_ inputs: [TensorData]) throws -> String {
        let reference = try ReferenceInterpreter(model: model, numerics: code.numerics)
        var lines: [String] = []
        for input in inputs {
            let result = try reference.run(input) { index, output in
                lines.append("layer \(index) \(FNV1a64.hex(output.fnv1a64))")
            }
            lines.append("output \(FNV1a64.hex(result.output.fnv1a64))")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    func runAndCompare(_ executable: String, _ inputs: [TensorData]) throws {
        let stdin = Data(inputs.flatMap(\.bytes))
        let result = try Shell.run(executable, [], input: stdin)
        #expect(result.status == 0, "\(executable) exited with \(result.status): \(result.stderr)")
        #expect(result.stderr.isEmpty, "\(executable): \(result.stderr)")
        #expect(result.stdout == (try expectedTranscript(inputs)), "\(executable) differs from the reference")
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

    /// Random models reach the kernels and geometries the shared models do not (fp32 ADD,
    /// dilation, multipliers, softmax over pixels, arena-less models).
    @Test func randomModelsBuildCleanAndMatch() throws {
        for seed in 0..<UInt64(16) {
            let type: ModelType = seed % 2 == 0 ? .int8 : .float32
            let model = RandomModelBuilder(type: type, size: seed % 4 < 2 ? .tiny : .medium).model(seed: 300 + seed)
            try check(model, name: "random\(seed)", sanitize: seed < 6)
        }
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

    func check(
        _ model: Model, name: String, numerics: NumericsProfile = .tinymaix, arena: ArenaPlacement = .staticArena,
        sanitize: Bool
    ) throws {
        let build = try NativeBuild(model, name: name, numerics: numerics, arena: arena)
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
