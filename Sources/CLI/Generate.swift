import ArgumentParser
import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference

extension Arch: ExpressibleByArgument {
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// One indented line per arch, for a command's discussion.
    static var helpList: String {
        allCases.map { "  " + $0.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
    }
}
extension ArenaPlacement: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the model as one self-contained C file and its header.",
        discussion: """
            Writes DIR/NAME.h and DIR/NAME.c. NAME.c includes only <stdint.h>,
            <string.h>, <math.h> (for SOFTMAX in the tinymaix profile) and the arch's
            intrinsics header (<arm_neon.h>, <arm_acle.h>); add it to your build with
            -ffp-contract=off. The API (T: int8_t or float):
              int NAME_run(const T *input, T *output);
              int NAME_run_dequant(const int8_t *input, float *output);  (int8, tinymaix)
              T *NAME_input_buffer(void);  (static arena)
            The arena has a place for the input: write it at NAME_input_buffer() (or,
            with --arena caller, at arena + NAME_INPUT_OFFSET) and pass that pointer,
            and no input buffer is needed beside the arena; the run overwrites it, as
            the first layers may run in place. Any input outside the arena works too;
            --input-outside-arena leaves the place out when the input always lives
            elsewhere (a DMA buffer, flash), which can make the arena smaller.
            With --numerics integer the C performs no floating-point operation at all
            (no NAME_run_dequant: dequantise with NAME_OUTPUT_SCALE and
            NAME_OUTPUT_ZERO_POINT).
            NAME defaults to the model's file name, with every character that cannot
            appear in a C identifier replaced by '_'. A --name you give must already
            be a valid C identifier.

            Arches (every one computes the same bytes):
            \(Arch.helpList)
            Arena:
              static  one static, 8-byte-aligned array in NAME.c (the default)
              caller  NAME_run takes a third argument: NAME_ARENA_BYTES, 8-byte aligned
            """)

    @Argument(help: "The .tmdl model file.")
    var model: String

    @Option(name: .shortAndLong, help: "The folder to write NAME.h and NAME.c into (created if missing).")
    var output: String

    @Option(help: "Prefix of the generated files and API (default: from the model's file name).")
    var name: String?

    @Option(help: "Instruction set of the inner loops: \(Arch.names) (see Arches below).")
    var arch: Arch = .cpu

    @Option(help: "Where the activation arena lives: static or caller.")
    var arena: ArenaPlacement = .staticArena

    @Flag(help: "Leave the input's place out of the arena (see above).")
    var inputOutsideArena = false

    @OptionGroup var profile: NumericsOption

    func run() throws {
        let loaded = try loadModel(model)
        let code = try generateCode(
            loaded.model, modelPath: model, name: name, arch: arch, numerics: profile.numerics, arena: arena,
            inputInArena: !inputOutsideArena)
        let folder = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Atomic writes: a failure never leaves a half-written file behind.
            try Data(code.header.utf8).write(to: folder.appendingPathComponent(code.headerFileName), options: .atomic)
            try Data(code.source.utf8).write(to: folder.appendingPathComponent(code.sourceFileName), options: .atomic)
        } catch {
            throw CLIError("\(output): cannot write the generated files: \((error as NSError).localizedDescription)")
        }
        print(
            "wrote \(folder.appendingPathComponent(code.headerFileName).path) and \(code.sourceFileName): "
                + "\(loaded.model.layers.count) layers, arena \(code.plan.arenaSize) bytes "
                + "(the file's plan: \(loaded.model.bufferSize))"
                + inPlaceNotes(code.plan).map { ", " + $0 }.joined())
    }
}

func generateCode(
    _ model: Model, modelPath: String, name: String?, arch: Arch, numerics: NumericsProfile, arena: ArenaPlacement,
    inputInArena: Bool = true
) throws -> GeneratedCode {
    let options = CodegenOptions(
        name: name ?? CIdentifier.sanitized(fileName: modelPath), arch: arch, numerics: numerics, arena: arena,
        inputInArena: inputInArena, modelFileName: modelPath)
    do {
        return try CodeGenerator.generate(model, options: options)
    } catch {
        throw CLIError("\(modelPath): \(error)")
    }
}
