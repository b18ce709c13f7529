import Foundation
import TMDLEmit
import TMDLFormat
import TMDLJIT
import EmulationSupport
import TMDLReference

/// Instructions of one NAME_run, counted by callgrind (exact and repeatable, unlike
/// wall time), for the generated C built with gcc -O2 -ffp-contract=off and called
/// through a noipa function so gcc cannot fold it into the caller.
enum GeneratedCodeBenchmark {
    static let defaultModels = ["mnist_valid_q", "mnist_valid_f", "mnist_dw_f", "mnist_resnet_q", "cifar10_q", "mbnet128_0.25_q"]

    /// The TinyMaix interpreter on this host: its best build for mbnet128 and cifar10_q (the speed
    /// issue's figures), the -O2 build of the code generator issue for the others.
    static let tinymaixInstructions: [String: Double] = [
        "mbnet128_0.25_q": 74.2e6, "cifar10_q": 12.8e6, "mnist_resnet_q": 2.67e6, "mnist_valid_q": 192e3,
        "mnist_valid_f": 154e3,
    ]

    /// TinyMaix's count, how many times fewer ours takes, and the speed issue's goal (a third
    /// of TinyMaix's count) with whether it holds; dashes where TinyMaix was not measured.
    static func comparison(_ ours: Double, tinymaix: Double?) -> [String] {
        guard let tinymaix else { return ["-", "-", "-"] }
        let goal = tinymaix / 3
        return [
            format(tinymaix), String(format: "%.2fx fewer", tinymaix / ours),
            "\(format(goal)) \(ours <= goal ? "met" : "not yet")",
        ]
    }

    static func run(models: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/valgrind") else { fail("valgrind is needed (make deps)") }
        print("generated C (arch cpu), x86-64 gcc -O2 -ffp-contract=off, callgrind instructions of one NAME_run:")
        try table(models: models, tinymaix: tinymaixInstructions) { run in try countWithCallgrind(run) }
        try printGenerateAndCompileTimes()
    }

    /// One row per model: both numerics profiles side by side (the integer profile runs int8 models only).
    static func table(models: [String], tinymaix: [String: Double], count: (MeasuredRun) throws -> Double) throws {
        print(row(["model", "MACs", "tinymaix", "per MAC", "integer", "per MAC", "TinyMaix", "ratio", "goal (3x)"]))
        for name in models {
            let model = try ModelReader.load(path: modelPath(name)).model
            let profiles: [NumericsProfile] = model.type == .int8 ? [.tinymaix, .integer] : [.tinymaix]
            var cells = [name, "\(model.multiplyAccumulates)"]
            var tinymaixProfile: Double?
            for numerics in profiles {
                let folder = try temporaryFolder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let options = CodegenOptions(name: CIdentifier.sanitized(fileName: name), numerics: numerics)
                let run = try MeasuredRun(try CodeGenerator.generate(model, options: options), model: model, folder: folder)
                let instructions = try count(run)
                if numerics == .tinymaix { tinymaixProfile = instructions }
                cells += [format(instructions), String(format: "%.2f", instructions / Double(model.multiplyAccumulates))]
            }
            if profiles.count == 1 { cells += ["-", "-"] }
            cells += tinymaixProfile.map { comparison($0, tinymaix: tinymaix[name]) } ?? ["-", "-", "-"]
            print(row(cells))
        }
    }

    static func printGenerateAndCompileTimes() throws {
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

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tmdl-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func row(_ cells: [String]) -> String {
        zip(cells, [18, 10, 11, 8, 11, 8, 11, 12, 18]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            .joined(separator: " ")
    }

    static func format(_ count: Double) -> String {
        count >= 1e6 ? String(format: "%.2f M", count / 1e6) : String(format: "%.1f k", count / 1e3)
    }

    static func countWithCallgrind(_ run: MeasuredRun) throws -> Double {
        let executable = run.file("bench-host").path
        try Program.run(try Program.path("gcc"), ["-std=c99", "-O2", "-ffp-contract=off"] + run.sources + ["-lm", "-o", executable])
        let profile = run.file("callgrind.out").path
        try Program.run(
            try Program.path("valgrind"),
            ["--tool=callgrind", "--toggle-collect=measured_run", "--callgrind-out-file=\(profile)", executable])
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("summary:") || $0.hasPrefix("totals:") }),
            let count = Double(line.split(separator: " ").last ?? "")
        else { throw ProgramError(description: "no instruction total in \(profile)") }
        return count
    }
}
