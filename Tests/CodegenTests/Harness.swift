import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// Generated models compiled into one test program. Its main reads, for each model in turn, a
/// case count (uint32, little-endian) and that many inputs, back to back, from the file named by
/// its first argument (firmware reads it through semihosting) or from stdin; it runs each input
/// with the layer hook compiled in and prints every layer's FNV-1a-64 hash, then the output's.
/// One program for many models keeps cross builds and emulator starts few. The folder goes with
/// the harness, unless TMDL_KEEP_HARNESS is set (to look at a failing build).
final class Harness {
    struct Entry {
        let model: Model
        let code: GeneratedCode
    }

    let entries: [Entry]
    let folder: URL

    static let strictFlags = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off"]

    /// Generates each model (with its name) for `arch` and `numerics`, and writes every file into a new folder.
    init(
        _ models: [(name: String, model: Model)], arch: Arch = .cpu, numerics: NumericsProfile = .tinymaix,
        arena: ArenaPlacement = .staticArena
    ) throws {
        entries = try models.map { name, model in
            Entry(
                model: model,
                code: try CodeGenerator.generate(
                    model, options: CodegenOptions(name: name, arch: arch, numerics: numerics, arena: arena)))
        }
        folder = try Shell.temporaryFolder("harness-\(models.first?.name ?? "empty")")
        for entry in entries {
            try entry.code.header.write(to: url(entry.code.headerFileName), atomically: true, encoding: .utf8)
            try entry.code.source.write(to: url(entry.code.sourceFileName), atomically: true, encoding: .utf8)
        }
        try mainSource.write(to: url("main.c"), atomically: true, encoding: .utf8)
    }

    deinit {
        if ProcessInfo.processInfo.environment["TMDL_KEEP_HARNESS"] == nil {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func url(_ file: String) -> URL { folder.appendingPathComponent(file) }
    func path(_ file: String) -> String { url(file).path }

    /// Compiler arguments for the whole program, hooks compiled in.
    var buildArguments: [String] {
        entries.map { "-D\($0.code.layerHookMacro)" } + ["-I", folder.path, path("main.c")]
            + entries.map { path($0.code.sourceFileName) }
    }

    var mainSource: String {
        var lines = ["#include <stdio.h>", "#include <string.h>"] + entries.map { "#include \"\($0.code.headerFileName)\"" }
        lines.append("""

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

            static int read_count(FILE *in, uint32_t *count)
            {
                unsigned char b[4];
                if (fread(b, sizeof b, 1, in) != 1) {
                    return 0;
                }
                *count = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
                return 1;
            }

            """)
        for entry in entries {
            let name = entry.code.name, macro = name.uppercased()
            let type = entry.model.type == .int8 ? "int8_t" : "float"
            let caller = entry.code.arena == .caller
            // The input goes where the product's users put it: its place in the arena if it has one.
            let place = entry.code.inputPlace ?? "input"
            lines.append("""
                static int run_\(name)(FILE *in)
                {
                    static \(type) input[\(macro)_INPUT_COUNT];
                    static \(type) output[\(macro)_OUTPUT_COUNT];
                    \(caller ? "static uint64_t arena_memory[(\(macro)_ARENA_BYTES + 7) / 8 + 1];" : "")
                    uint32_t count;
                    if (!read_count(in, &count)) {
                        return 2;
                    }
                    printf("model \(name)\\n");
                    \(name)_set_layer_hook(print_layer, NULL);
                    for (uint32_t i = 0; i < count; i++) {
                        if (fread(input, sizeof input, 1, in) != 1) {
                            return 2;
                        }
                        \(type) *const place = \(place);
                        if (place != input) {
                            memcpy(place, input, sizeof input);
                        }
                        if (\(name)_run(place, output\(caller ? ", arena_memory" : "")) != 0) {
                            return 1;
                        }
                        printf("output %016llx\\n", (unsigned long long)fnv1a64(output, sizeof output));
                    }
                    return 0;
                }

                """)
        }
        lines.append("""
            int main(int argc, char **argv)
            {
                FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
                if (in == NULL) {
                    return 2;
                }
            """)
        for entry in entries {
            lines.append("    if (run_\(entry.code.name)(in) != 0) {\n        return 1;\n    }")
        }
        lines.append("    return 0;\n}\n")
        return lines.joined(separator: "\n")
    }

    /// The program's input: per model, its case count, then its inputs.
    func inputStream(_ inputs: [[TensorData]]) -> Data {
        precondition(inputs.count == entries.count)
        var data = Data()
        for cases in inputs {
            withUnsafeBytes(of: UInt32(cases.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: cases.flatMap(\.bytes))
        }
        return data
    }

    /// What the program must print, from the reference in each code's profile.
    func expectedTranscript(_ inputs: [[TensorData]]) throws -> String {
        var lines: [String] = []
        for (entry, cases) in zip(entries, inputs) {
            lines.append("model \(entry.code.name)")
            let reference = try ReferenceInterpreter(model: entry.model, numerics: entry.code.numerics)
            for input in cases {
                let result = try reference.run(input) { index, output in
                    lines.append("layer \(index) \(FNV1a64.hex(output.fnv1a64))")
                }
                lines.append("output \(FNV1a64.hex(result.output.fnv1a64))")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Seeded inputs (the golden files' generator, seeds 1...count) for every model.
    func seededInputs(count: Int) -> [[TensorData]] {
        entries.map { entry in (1...count).map { ModelInput.random(seed: UInt32($0), for: entry.model) } }
    }

    /// Where a transcript first departs from the expected one, for a readable failure; nil if it does not.
    static func firstDifference(_ actual: String, _ expected: String) -> String? {
        guard actual != expected else { return nil }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        var model = "?"
        for index in 0..<max(a.count, e.count) {
            let got = index < a.count ? String(a[index]) : "<end>"
            let want = index < e.count ? String(e[index]) : "<end>"
            if want.hasPrefix("model ") { model = String(want.dropFirst(6)) }
            if got != want { return "\(model), line \(index + 1): got \"\(got)\", expected \"\(want)\"" }
        }
        return "the same lines, differently joined"
    }
}
