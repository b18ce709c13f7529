import EmulationSupport
import Foundation
import TMDLEmit
import TMDLFormat
import TestSupport
import Testing

/// Each arch's object code uses the instructions it is written for: the conformance tests show
/// the results are right, this shows they come from SMLAD, SDOT, SMAQA and friends. It matters
/// most for rv32p, whose real instructions no emulator here executes.
@Suite("Arch backends use their instruction sets")
struct ArchInstructionTests {
    /// The example model (conv, dwconv with multiplier 2, 1x1 conv, FC) and a random model with a
    /// depthwise layer of multiplier 1 (channel-wise multiply-accumulates).
    static func models() throws -> [(name: String, model: Model)] {
        let digits = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        let depthwise = (UInt64(0)..<200).lazy.map { RandomModelBuilder(type: .int8, size: .medium).model(seed: 5000 + $0) }
            .first { model in
                model.layers.contains {
                    if case .depthwiseConv2D(_, depthMultiplier: 1) = $0.operation { return true } else { return false }
                }
            }
        return [("digits", digits), ("depthwise", try #require(depthwise))]
    }

    /// Disassembles `arch`'s code for the models, built for `target` with `flags`.
    func disassembly(_ arch: Arch, on target: EmulatedTarget, flags: [String] = []) throws -> String {
        let harness = try Harness(try Self.models(), arch: arch)
        var text = ""
        for entry in harness.entries {
            let object = harness.path("\(entry.code.name)-\(target.key).o")
            try target.compileObject(harness.path(entry.code.sourceFileName), output: object, flags: Harness.strictFlags + flags)
            text += try Program.run(try Program.path(target.binutil("objdump")), ["-d", object])
        }
        return text
    }

    func mnemonics(_ disassembly: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in disassembly.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count >= 3 { counts[String(fields[2].split(separator: " ").first ?? ""), default: 0] += 1 }
        }
        return counts
    }

    @Test(.enabled(if: CrossToolchain.shouldRun(EmulatedTarget.rv32.compiler), CrossToolchain.skipReason("riscv64-unknown-elf-gcc")))
    func rv32pUsesSMAQA() throws {
        // GNU as has no P mnemonics: objdump shows the raw words. SMAQA is funct7 1100100, funct3 000, opcode 1110111.
        func smaqaCount(_ text: String) -> Int {
            text.split(separator: "\n").filter { line in
                let fields = line.split(separator: "\t")
                guard fields.count >= 2, let word = UInt32(fields[1].trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
                return word & 0xFE00_707F == 0xC800_0077
            }.count
        }
        let hardware = smaqaCount(try disassembly(.rv32p, on: .rv32))
        #expect(hardware >= 5, "SMAQA words in the rv32p build: \(hardware)")
        // Control: with the C model selected, none.
        #expect(smaqaCount(try disassembly(.rv32p, on: .rv32, flags: ["-DTMDL_RV32P_MODEL"])) == 0)
        print("rv32p: \(hardware) SMAQA instructions in the rv32imac build (none with -DTMDL_RV32P_MODEL)")
    }

    @Test(.enabled(if: CrossToolchain.shouldRun(EmulatedTarget.cortexM4.compiler), CrossToolchain.skipReason("arm-none-eabi-gcc")))
    func armdspUsesSMLADAndSXTB16() throws {
        let counts = mnemonics(try disassembly(.armdsp, on: .cortexM4))
        for instruction in ["smlad", "sxtb16", "smlabb", "smlatt"] {
            #expect(counts[instruction, default: 0] > 0, "\(instruction) in the armdsp build: \(counts)")
        }
    }

    @Test(.enabled(if: CrossToolchain.shouldRun(EmulatedTarget.aarch64.compiler, EmulatedTarget.armv7.compiler),
                   CrossToolchain.skipReason("aarch64-linux-gnu-gcc", "arm-linux-gnueabihf-gcc")))
    func neonUsesWideningProductsAndSDOTWhereAvailable() throws {
        let aarch64 = mnemonics(try disassembly(.neon, on: .aarch64))
        for instruction in ["smull", "sadalp"] {
            #expect(aarch64[instruction, default: 0] > 0, "\(instruction) in the AArch64 neon build")
        }
        #expect(aarch64["sdot", default: 0] == 0)
        let dotProduct = mnemonics(try disassembly(.neon, on: .aarch64DotProduct))
        #expect(dotProduct["sdot", default: 0] > 0, "sdot in the +dotprod build")
        let armv7 = mnemonics(try disassembly(.neon, on: .armv7))
        for instruction in ["vmull.s8", "vpadal.s16"] {
            #expect(armv7[instruction, default: 0] > 0, "\(instruction) in the ARMv7 neon build: \(armv7.keys.sorted())")
        }
    }
}
