import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference

/// Instructions of one NAME_run on emulated microcontrollers, counted by the project's QEMU
/// TCG plugin (Tests/Emulation/icount.c) from the entry of measured_run to the entry of
/// measured_end: exact and repeatable.
struct EmulatedTarget {
    var name: String
    var machine: String
    var flags: [String]
    /// The TinyMaix interpreter measured the same way, where the issues give a figure.
    var tinymaix: [String: Double] = [:]

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Cortex-M4F with its FPU (QEMU mps2-an386).
    static let cortexM4 = EmulatedTarget(
        name: "Cortex-M4F (mps2-an386), arm-none-eabi-gcc -O2, hard float", machine: "mps2-an386",
        flags: ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
        tinymaix: ["mbnet128_0.25_q": 75.2e6, "cifar10_q": 12.0e6, "mnist_valid_q": 192e3])
    /// ARMv6-M code for an FPU-less Cortex-M0, soft float, run on QEMU's mps2-an385 (a Cortex-M3
    /// executes ARMv6-M code as is, and has the RAM mbnet128 needs; the microbit has 16 KB).
    static let cortexM0 = EmulatedTarget(
        name: "Cortex-M0 code (armv6-m, mps2-an385), arm-none-eabi-gcc -O2, soft float", machine: "mps2-an385",
        flags: ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"])

    /// Builds the plugin once per benchmark run.
    static func buildPlugin(into folder: URL) throws -> String {
        let plugin = folder.appendingPathComponent("icount.so").path
        try shell(
            try which("gcc"),
            ["-std=c99", "-O2", "-shared", "-fPIC", "-fvisibility=hidden",
             packageRoot.appendingPathComponent("Tests/Emulation/icount.c").path, "-o", plugin])
        return plugin
    }

    func countInstructions(_ run: MeasuredRun, plugin: String) throws -> Double {
        let boards = Self.packageRoot.appendingPathComponent("Examples/boards")
        let firmware = run.file("firmware-\(machine).elf").path
        try shell(
            try which("arm-none-eabi-gcc"),
            flags + ["-std=c99", "-O2", "-ffp-contract=off", "--specs=nano.specs", "--specs=rdimon.specs",
                     "-T", boards.appendingPathComponent("mps2.ld").path, boards.appendingPathComponent("startup.c").path]
                + run.sources + ["-lm", "-o", firmware])
        let symbols = try shell(try which("arm-none-eabi-nm"), [firmware])
        func address(_ symbol: String) throws -> String {
            guard let line = symbols.split(separator: "\n").first(where: { $0.hasSuffix(" \(symbol)") }),
                let value = UInt64(line.prefix(while: { $0 != " " }), radix: 16)
            else { throw BenchmarkError(description: "\(symbol) not found in \(firmware)") }
            return String(value & ~1, radix: 16)  // a Thumb symbol's low bit is not part of the address
        }
        let counts = run.file("icount-\(machine).txt").path
        try shell(
            try which("timeout"),
            ["600", try which("qemu-system-arm"), "-M", machine, "-nographic",
             "-semihosting-config", "enable=on,target=native", "-kernel", firmware,
             "-plugin", "\(plugin),begin=0x\(try address("measured_run")),end=0x\(try address("measured_end")),out=\(counts)"])
        let fields = try String(contentsOfFile: counts, encoding: .utf8).split(separator: " ")
        guard fields.count == 4, fields[3].trimmingCharacters(in: .whitespacesAndNewlines) == "1",
            let count = Double(fields[1])
        else { throw BenchmarkError(description: "\(counts): expected one measured window") }
        return count
    }
}
