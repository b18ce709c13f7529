import ArgumentParser
import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TMDLVerify

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate C, compile it in process with libtcc, and compare it with the reference.",
        discussion: """
            Runs --cases seeded random inputs (the golden files' xorshift32 generator,
            seeds 1...N) plus every --input file through the generated C and through the
            reference interpreter in the same --numerics profile, and compares every
            layer's output, the final output and the dequantised output bit for bit. On a
            mismatch it names the case, the first layer that differs, the element and both
            values, and exits with status 1.

            Arches:
            \(Arch.helpList)
            libtcc compiles for this host, so cpu and rv32p (through its C model of the P
            instructions) run here; neon and armdsp code needs an ARM compiler and core:
            `make cross-test` builds it for AArch64, ARMv7-A and Cortex-M4 and runs it
            under QEMU.
            """)

    @Argument(help: "The .tmdl model file.")
    var model: String

    @Option(help: "How many seeded random inputs to run.")
    var cases = 16

    @Option(parsing: .upToNextOption, help: "Input files to run as well (see 'run --help' for formats).")
    var input: [String] = []

    @Option(help: "How to read --input: u8, int8 or f32.")
    var inputFormat: InputEncoding = .u8

    @Option(help: "Instruction set of the inner loops: \(Arch.names) (see Arches below).")
    var arch: Arch = .cpu

    @OptionGroup var profile: NumericsOption

    func validate() throws {
        guard cases >= 0 else { throw ValidationError("--cases must be 0 or more") }
        guard cases > 0 || !input.isEmpty else { throw ValidationError("nothing to verify: give --cases N or --input FILE") }
    }

    func run() throws {
        do {
            try GeneratedRunner.requireInProcess(arch)  // before any work
        } catch {
            throw CLIError(error.description)
        }
        let loaded = try loadModel(model)
        let code = try generateCode(
            loaded.model, modelPath: model, name: nil, arch: arch, numerics: profile.numerics, arena: .staticArena)
        var verificationCases = VerificationCase.seeded(cases, for: loaded.model)
        for path in input {
            do {
                let tensor = try ModelInput.decode(try readFile(path, what: "input"), as: inputFormat, for: loaded.model)
                verificationCases.append(VerificationCase(label: path, input: tensor))
            } catch let error as InputError {
                throw CLIError("\(path): \(error)")
            }
        }
        let report: VerificationReport
        do {
            report = try Verifier.verify(loaded.model, code: code, cases: verificationCases)
        } catch {
            throw CLIError("\(model): \(error)")
        }
        for mismatch in report.mismatches { print("MISMATCH \(mismatch)") }
        print("\(report.passed ? "verified" : "FAILED") \(model) (arch \(arch.rawValue), numerics \(profile.numerics.rawValue)): \(report.summary)")
        if !report.passed { throw ExitCode.failure }
    }
}
