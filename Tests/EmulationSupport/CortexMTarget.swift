import Foundation

/// A Cortex-M core as QEMU emulates it, with the compiler flags for it: used by the tests that
/// run generated C as firmware and by the benchmarks that count its instructions. Programs get
/// Examples/boards/startup.c and mps2.ld, newlib with semihosting (stdio, files and main's
/// return value reach the host), and -ffp-contract=off.
public struct CortexMTarget: Sendable {
    public var name: String
    public var machine: String
    public var flags: [String]
    /// The TinyMaix interpreter measured the same way, where the issues give a figure.
    public var tinymaixInstructions: [String: Double] = [:]

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Cortex-M4F with its FPU (QEMU mps2-an386).
    public static let cortexM4 = CortexMTarget(
        name: "Cortex-M4F (mps2-an386), arm-none-eabi-gcc -O2, hard float", machine: "mps2-an386",
        flags: ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
        tinymaixInstructions: ["mbnet128_0.25_q": 75.2e6, "cifar10_q": 12.0e6, "mnist_valid_q": 192e3])
    /// ARMv6-M code for an FPU-less Cortex-M0, soft float, run on QEMU's mps2-an385: a Cortex-M3
    /// executes ARMv6-M code as it is, and has the RAM mbnet128 needs (the micro:bit has 16 KB).
    public static let cortexM0 = CortexMTarget(
        name: "Cortex-M0 code (armv6-m, on mps2-an385), arm-none-eabi-gcc -O2, soft float", machine: "mps2-an385",
        flags: ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"])

    public static let compiler = "arm-none-eabi-gcc"
    public static let emulator = "qemu-system-arm"

    /// Compiles `sources` (C files and -I flags) into a firmware image at `output`.
    public func buildFirmware(_ sources: [String], output: String, extraFlags: [String] = []) throws {
        let boards = Self.packageRoot.appendingPathComponent("Examples/boards")
        try Program.run(
            try Program.path(Self.compiler),
            flags + ["-std=c99", "-O2", "-ffp-contract=off", "--specs=rdimon.specs"] + extraFlags
                + ["-T", boards.appendingPathComponent("mps2.ld").path, boards.appendingPathComponent("startup.c").path]
                + sources + ["-lm", "-o", output])
    }

    /// Runs a firmware image to its end (main's arguments through semihosting); returns what it printed.
    @discardableResult
    public func run(_ firmware: String, arguments: [String] = [], plugin: String? = nil) throws -> String {
        var qemu = [
            "600", try Program.path(Self.emulator), "-M", machine, "-nographic", "-kernel", firmware,
            "-semihosting-config", (["enable=on", "target=native", "arg=firmware"] + arguments.map { "arg=\($0)" })
                .joined(separator: ","),
        ]
        if let plugin { qemu += ["-plugin", plugin] }
        return try Program.run(try Program.path("timeout"), qemu)
    }

    /// Instructions from the entry of `begin` to the entry of `end` (functions of the firmware),
    /// counted by the project's QEMU plugin (Tests/Emulation/icount.c, built by `buildPlugin`).
    public func countInstructions(_ firmware: String, from begin: String, to end: String, plugin: String) throws -> Double {
        let symbols = try Program.run(try Program.path("arm-none-eabi-nm"), [firmware])
        func address(_ symbol: String) throws -> String {
            guard let line = symbols.split(separator: "\n").first(where: { $0.hasSuffix(" \(symbol)") }),
                let value = UInt64(line.prefix(while: { $0 != " " }), radix: 16)
            else { throw ProgramError(description: "\(symbol) not found in \(firmware)") }
            return String(value & ~1, radix: 16)  // a Thumb symbol's low bit is not part of the address
        }
        let counts = firmware + ".icount"
        try run(firmware, plugin: "\(plugin),begin=0x\(try address(begin)),end=0x\(try address(end)),out=\(counts)")
        let fields = try String(contentsOfFile: counts, encoding: .utf8).split(whereSeparator: \.isWhitespace)
        guard fields.count == 4, fields[3] == "1", let count = Double(fields[1]) else {
            throw ProgramError(description: "\(counts): expected one measured window, found \(fields)")
        }
        return count
    }

    /// Builds the instruction-count plugin into `folder`; returns the shared object's path.
    public static func buildPlugin(into folder: URL) throws -> String {
        let plugin = folder.appendingPathComponent("icount.so").path
        try Program.run(
            try Program.path("gcc"),
            ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden",
             packageRoot.appendingPathComponent("Tests/Emulation/icount.c").path, "-o", plugin])
        return plugin
    }
}

/// Running programs: the toolchain, QEMU, the code under test. The one process runner of the tests
/// and the benchmarks (TestSupport's `Shell` is this, for tests).
public enum Program {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a program to completion, feeding `input` on stdin. stdin and stderr go through files,
    /// stdout through a pipe read to its end: no pipe can fill up and block.
    public static func execute(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("program-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("stdin"), errorFile = folder.appendingPathComponent("stderr")
        try (input ?? Data()).write(to: inputFile)
        try Data().write(to: errorFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
    }

    /// Runs a program to completion; throws with its error output if it fails. Returns its output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outcome = try execute(executable, arguments)
        guard outcome.status == 0 else {
            throw ProgramError(
                description: "\(executable) \(arguments.joined(separator: " ")) exited with \(outcome.status): "
                    + "\(outcome.stderr)\(outcome.stdout.suffix(2000))")
        }
        return outcome.stdout
    }

    /// The full path of a program on PATH, or nil.
    public static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The full path of a program on PATH, or an error that says how to get it.
    public static func path(_ program: String) throws -> String {
        guard let found = find(program) else {
            throw ProgramError(description: "\(program) is not on PATH (make deps installs it)")
        }
        return found
    }
}

public struct ProgramError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}
