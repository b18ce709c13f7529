import Foundation
import TMDLFormat
import TestSupport
import Testing

/// Runs the built `tmdl-codegen` binary the way users and scripts do: its output,
/// its exit status and its one-line errors.
struct CLI {
    /// The binary sits beside the test bundle in the build products folder.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("tmdl-codegen")

    static func run(_ arguments: [String]) throws -> Shell.Result {
        try Shell.run(binary.path, arguments)
    }
}

/// A folder of input files for one test, removed with it. Suites hold one as a stored
/// property: Swift Testing makes a suite instance per test, so the folder lives exactly as long.
final class ScratchFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tmdl-cli-tests-\(UUID().uuidString)")
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to a file called `name` in the folder and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

let digits = SharedFixtures.packageRoot.appendingPathComponent("Examples/digits")

@Suite("tmdl-codegen command line")
struct CLITests {
    let scratch = ScratchFolder()

    @Test func inspectPrintsLayersTotalsAndBufferSize() throws {
        let result = try CLI.run(["inspect", digits.appendingPathComponent("digits.tmdl").path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("int8, little-endian, 6 layers"))
        #expect(result.stdout.contains("DWCONV2D  8x8x12 -> 4x4x24  3x3     2x2     [0,1,0,1]  relu dm2  3456"))
        #expect(result.stdout.contains("totals: 22976 MACs, 2036 parameter bytes"))
        #expect(
            result.stdout.contains(
                "activation memory: arena 896 bytes (tmdl-codegen's plan), liveness lower bound 1152, the file's buf_size 1216"))
    }

    @Test func inspectJSONIsOneObject() throws {
        let result = try CLI.run(["inspect", "--json", digits.appendingPathComponent("digits.tmdl").path])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((object?["layers"] as? [Any])?.count == 6)
        #expect(object?["macs"] as? Int == 22976)
        #expect(object?["arena_bytes"] as? Int == 896 && object?["buffer_size"] as? Int == 1216)
    }

    @Test func runJSONMatchesTheSeededInputAndHashesEveryLayer() throws {
        let path = try scratch.file("small.tmdl", ModelWriter.bytes(of: TestModels.smallInt8()))
        let result = try CLI.run(["run", path, "--seed", "3", "--json", "--top", "2"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["output"] as? [Int])?.count == 4)
        #expect((object["layer_fnv1a64"] as? [String])?.allSatisfy { $0.count == 16 } == true)
        #expect((object["layer_fnv1a64"] as? [String])?.count == 4)
        #expect((object["top"] as? [Any])?.count == 2)
    }

    @Test func runPrintsTopClassesOfAnInputFile() throws {
        let images = try Data(contentsOf: digits.appendingPathComponent("test-images.u8"))
        let first = try scratch.file("digit.u8", [UInt8](images.prefix(64)))
        let result = try CLI.run(["run", digits.appendingPathComponent("digits.tmdl").path, "--input", first, "--top", "1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("top 1: class "))
    }

    @Test func evaluateReportsAccuracy() throws {
        let result = try CLI.run([
            "evaluate", digits.appendingPathComponent("digits.tmdl").path,
            "--inputs", digits.appendingPathComponent("test-images.u8").path,
            "--labels", digits.appendingPathComponent("test-labels.u8").path,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("accuracy: "))
    }

    @Test func badModelIsOneLineOnStderrWithExitStatus1() throws {
        var bytes = ModelWriter.bytes(of: TestModels.smallInt8())
        bytes[64 + 4] = 0  // layer 0 size: 0
        bytes[64 + 5] = 0
        let path = try scratch.file("bad.tmdl", bytes)
        let result = try CLI.run(["inspect", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains("layer 0 (CONV2D), field size at byte 68"))
    }

    @Test func wrongSizedInputAndMissingFilesAreRefused() throws {
        let model = try scratch.file("small2.tmdl", ModelWriter.bytes(of: TestModels.smallInt8()))
        let input = try scratch.file("short.u8", [1, 2, 3])
        let wrongSize = try CLI.run(["run", model, "--input", input])
        #expect(wrongSize.status == 1)
        #expect(wrongSize.stderr.contains("the input has 3 bytes; as u8 this model needs 72"))
        let missing = try CLI.run(["run", "/nonexistent/model.tmdl", "--seed", "1"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/model.tmdl: cannot read the file"))
        #expect(!missing.stderr.contains("Fatal") && missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func usageMistakesExitWith64() throws {
        let result = try CLI.run(["run", "model.tmdl"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("give exactly one of --input FILE and --seed N"))
    }
}

@Suite("tmdl-codegen generate and verify")
struct GenerateVerifyCLITests {
    let scratch = ScratchFolder()
    let model = digits.appendingPathComponent("digits.tmdl").path

    @Test func generateWritesHeaderAndSourceNamedAfterTheModel() throws {
        let folder = try Shell.temporaryFolder("generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["generate", model, "-o", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let header = try String(contentsOf: folder.appendingPathComponent("digits.h"), encoding: .utf8)
        let source = try String(contentsOf: folder.appendingPathComponent("digits.c"), encoding: .utf8)
        #expect(header.contains("int digits_run(const int8_t *input, int8_t *output);"))
        #expect(source.contains("int digits_run_dequant(const int8_t *input, float *output)"))
        #expect(result.stdout.contains("arena 896 bytes (the file's plan: 1216), input at arena offset 0, layers run in place: 1"))
    }

    @Test func generateHonoursNameAndCallerArena() throws {
        let folder = try Shell.temporaryFolder("generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["generate", model, "-o", folder.path, "--name", "kws", "--arena", "caller"])
        #expect(result.status == 0)
        let header = try String(contentsOf: folder.appendingPathComponent("kws.h"), encoding: .utf8)
        #expect(header.contains("int kws_run(const int8_t *input, int8_t *output, void *arena_memory);"))
        #expect(header.contains("#define KWS_ARENA_BYTES 896"))
        #expect(header.contains("#define KWS_INPUT_OFFSET 0") && header.contains("arena_memory + KWS_INPUT_OFFSET"))
    }

    @Test func generateCanLeaveTheInputOutOfTheArena() throws {
        let folder = try Shell.temporaryFolder("generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["generate", model, "-o", folder.path, "--input-outside-arena"])
        #expect(result.status == 0)
        let header = try String(contentsOf: folder.appendingPathComponent("digits.h"), encoding: .utf8)
        #expect(!header.contains("INPUT_OFFSET") && !header.contains("digits_input_buffer"))
        #expect(!result.stdout.contains("input at arena offset"))
    }

    @Test func generateRefusesABadNameAndWritesNothing() throws {
        let folder = try Shell.temporaryFolder("generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["generate", model, "-o", folder.path, "--name", "my-model"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("'my-model' cannot name the generated code"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func verifyPrintsASummaryAndExitsZero() throws {
        let images = try Data(contentsOf: digits.appendingPathComponent("test-images.u8"))
        let first = try scratch.file("verify-digit.u8", [UInt8](images.prefix(64)))
        let result = try CLI.run(["verify", model, "--cases", "5", "--input", first])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("verified"))
        #expect(result.stdout.contains("6 cases, 36 layer outputs compared, 0 cases with mismatches"))
    }

    @Test func integerProfileGeneratesFloatFreeCodeAndVerifies() throws {
        let folder = try Shell.temporaryFolder("generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = try CLI.run(["generate", model, "-o", folder.path, "--numerics", "integer"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let source = try String(contentsOf: folder.appendingPathComponent("digits.c"), encoding: .utf8)
        #expect(source.contains("numerics integer."))
        #expect(!source.contains("_run_dequant") && !source.contains("(float)"))
        let verified = try CLI.run(["verify", model, "--cases", "4", "--numerics", "integer"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("numerics integer): 4 cases, 24 layer outputs compared, 0 cases with mismatches"))
    }

    @Test func integerProfileRefusesFloatModelsAndUnknownProfiles() throws {
        let float = try scratch.file("float.tmdl", ModelWriter.bytes(of: RandomModelBuilder(type: .float32, size: .tiny).model(seed: 1)))
        let refused = try CLI.run(["run", float, "--seed", "1", "--numerics", "integer"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the integer profile computes int8 models only; this model is fp32"), "\(refused.stderr)")
        let unknown = try CLI.run(["generate", model, "-o", "/tmp", "--numerics", "fixed"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("tinymaix") && unknown.stderr.contains("integer"), "\(unknown.stderr)")
        let help = try CLI.run(["generate", "--help"])
        #expect(help.stdout.contains("--numerics <tinymaix|integer>"))
    }

    @Test func archesGenerateTheirIntrinsicsAndVerifyWhereTheyCanRun() throws {
        let folder = try Shell.temporaryFolder("generate-arch")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arch, header) in [("neon", "<arm_neon.h>"), ("armdsp", "<arm_acle.h>"), ("rv32p", "TMDL_RV32P_MODEL")] {
            let generated = try CLI.run(["generate", model, "-o", folder.path, "--arch", arch, "--name", "digits_\(arch)"])
            #expect(generated.status == 0, "\(generated.stderr)")
            let source = try String(contentsOf: folder.appendingPathComponent("digits_\(arch).c"), encoding: .utf8)
            #expect(source.contains("arch \(arch);") && source.contains(header), "\(arch)")
        }
        let rv32p = try CLI.run(["verify", model, "--cases", "3", "--arch", "rv32p"])
        #expect(rv32p.status == 0, "\(rv32p.stderr)")
        #expect(rv32p.stdout.contains("(arch rv32p, numerics tinymaix): 3 cases, 18 layer outputs compared, 0 cases"))
        let neon = try CLI.run(["verify", model, "--arch", "neon"])
        #expect(neon.status == 1)
        #expect(neon.stderr.contains("--arch neon cannot run in process") && neon.stderr.contains("make cross-test"), "\(neon.stderr)")
        let unknown = try CLI.run(["generate", model, "-o", folder.path, "--arch", "avx512"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("armdsp"), "\(unknown.stderr)")
        let help = try CLI.run(["generate", "--help"])
        for arch in ["cpu", "neon", "armdsp", "rv32p"] { #expect(help.stdout.contains("  \(arch) "), "\(arch) in --help") }
    }

    @Test func evaluatePrintsEveryPredictionOnRequest() throws {
        let result = try CLI.run([
            "evaluate", model, "--predictions", "--inputs", digits.appendingPathComponent("test-images.u8").path,
            "--labels", digits.appendingPathComponent("test-labels.u8").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 361 && lines.first == "input 0: label 9, predicted 9", "\(lines.prefix(2))")
        #expect(lines.filter { $0.hasPrefix("input ") }.filter { line in
            let numbers = line.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }
            return numbers.count == 3 && numbers[1] == numbers[2]
        }.count == 350)
    }

    @Test func verifyRefusesAWrongSizedInput() throws {
        let short = try scratch.file("verify-short.u8", [1, 2])
        let result = try CLI.run(["verify", model, "--input", short])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the input has 2 bytes"))
    }
}

@Suite("CLI against the golden files", .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct CLIGoldenTests {
    @Test func runJSONReproducesTheGoldenFloatOutputExactly() throws {
        let golden = try GoldenFile.load("mnist_valid_f")
        let goldenCase = try #require(golden.cases.first { $0.input.xorshift32Seed == 1 })
        let result = try CLI.run(["run", try SharedModels.path("mnist_valid_f"), "--seed", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Parse the printed numbers back as float32: they must give the golden bit patterns.
        let printed = result.stdout.components(separatedBy: "\"output\": [")[1].components(separatedBy: "]")[0]
        let values = printed.split(separator: ",").map { Float(String($0).trimmingCharacters(in: .whitespaces))! }
        #expect(values.map(goldenBits) == goldenCase.outputF32Bits)
        #expect(object["layer_fnv1a64"] as? [String] == goldenCase.layerFnv1a64)
    }

    @Test func runWithIntegerNumericsReproducesTFLite() throws {
        let golden = try TFLiteGoldenFile.load("mnist_resnet_q")
        let goldenCase = try #require(golden.cases.first { $0.input.xorshift32Seed != nil })
        let seed = try #require(goldenCase.input.xorshift32Seed)
        let result = try CLI.run(["run", try SharedModels.path("mnist_resnet_q"), "--seed", "\(seed)", "--json", "--numerics", "integer"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["output"] as? [Int] == goldenCase.outputInt8)
        #expect((object["layer_fnv1a64"] as? [String]).map { $0.map(Optional.some) } == goldenCase.hashes(layerCount: 8))
    }
}
