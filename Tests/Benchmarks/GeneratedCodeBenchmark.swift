import Foundation
import TMDLEmit
import TMDLFormat
import TMDLJIT

/// Instructions of one NAME_run, counted by callgrind (exact and repeatable, unlike
/// wall time), for the generated C built with gcc -O2 -ffp-contract=off and called
/// through a noipa function so gcc cannot fold it into the caller.
enum GeneratedCodeBenchmark {
    static let defaultModels = ["mnist_valid_q", "mnist_valid_f", "mnist_dw_f", "mnist_resnet_q", "cifar10_q", "mbnet128_0.25_q"]

    /// The TinyMaix interpreter built the same way (figures from the code generator issue).
    static let tinymaixInstructions: [String: Double] = [
        "mbnet128_0.25_q": 86.1e6, "cifar10_q": 14.7e6, "mnist_resnet_q": 2.67e6, "mnist_valid_q": 192e3,
        "mnist_valid_f": 154e3,
    ]

    static func run(models: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/valgrind") else { fail("valgrind is needed (make deps)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tmdl-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        print("generated C (arch cpu), x86-64 gcc -O2 -ffp-contract=off, callgrind instructions of one NAME_run:")
        print(row(["model", "MACs", "instructions", "per MAC", "TinyMaix", "ratio"]))
        for name in models {
            let model = try ModelReader.load(path: modelPath(name)).model
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: CIdentifier.sanitized(fileName: name)))
            let instructions = try countInstructions(code, model: model, folder: folder)
            let macs = model.multiplyAccumulates
            let tinymaix = tinymaixInstructions[name]
            print(
                row([
                    name, "\(macs)", format(instructions), String(format: "%.2f", instructions / Double(macs)),
                    tinymaix.map(format) ?? "-", tinymaix.map { String(format: "%.2fx fewer", $0 / instructions) } ?? "-",
                ]))
        }

        let model = try ModelReader.load(path: modelPath("mbnet128_0.25_q")).model
        let options = CodegenOptions(name: "mbnet")
        var code: GeneratedCode?
        let generate = try medianMilliseconds(runs: 5) { code = try CodeGenerator.generate(model, options: options) }
        let compile = try medianMilliseconds(runs: 5) { try TinyCC.compile(code!.source, fileName: "mbnet.c") { _ in } }
        print(
            String(
                format: "mbnet128_0.25_q: generate %.1f ms (%d KB of C), tcc compile in memory %.1f ms (median of 5)",
                generate.median, code!.source.utf8.count / 1024, compile.median))
    }

    static func row(_ cells: [String]) -> String {
        zip(cells, [18, 10, 14, 9, 12, 12]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " ")
    }

    static func format(_ count: Double) -> String {
        count >= 1e6 ? String(format: "%.2f M", count / 1e6) : String(format: "%.1f k", count / 1e3)
    }

    static func countInstructions(_ code: GeneratedCode, model: Model, folder: URL) throws -> Double {
        let type = model.type == .int8 ? "int8_t" : "float"
        let macro = code.name.uppercased()
        let driver = """
            #include "\(code.headerFileName)"

            __attribute__((noipa)) static int measured_run(const \(type) *input, \(type) *output)
            {
                return \(code.name)_run(input, output);
            }

            int main(void)
            {
                static \(type) input[\(macro)_INPUT_COUNT];
                static \(type) output[\(macro)_OUTPUT_COUNT];
                uint32_t x = 1;
                for (int i = 0; i < \(macro)_INPUT_COUNT; i++) {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    input[i] = (\(type))\(model.type == .int8 ? "(int8_t)(x >> 24)" : "(x >> 8) / 16777216.0f");
                }
                return measured_run(input, output) + (int)output[0] * 0;
            }

            """
        try code.header.write(to: folder.appendingPathComponent(code.headerFileName), atomically: true, encoding: .utf8)
        try code.source.write(to: folder.appendingPathComponent(code.sourceFileName), atomically: true, encoding: .utf8)
        try driver.write(to: folder.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        let executable = folder.appendingPathComponent("bench-\(code.name)").path
        try shell(
            "/usr/bin/gcc",
            ["-std=c99", "-O2", "-ffp-contract=off", "-I", folder.path, folder.appendingPathComponent("driver.c").path,
             folder.appendingPathComponent(code.sourceFileName).path, "-lm", "-o", executable])
        let profile = folder.appendingPathComponent("callgrind.\(code.name)").path
        try shell(
            "/usr/bin/valgrind",
            ["--tool=callgrind", "--toggle-collect=measured_run", "--callgrind-out-file=\(profile)", executable])
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("summary:") || $0.hasPrefix("totals:") }),
            let count = Double(line.split(separator: " ").last ?? "")
        else { throw BenchmarkError(description: "no instruction total in \(profile)") }
        return count
    }

    @discardableResult
    static func shell(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError(description: "\(executable) failed: \(message)")
        }
        return message
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
}
