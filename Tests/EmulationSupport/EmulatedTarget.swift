import Foundation
import TMDLEmit

/// A machine the generated C is cross-compiled for and run on under QEMU, with the compiler flags
/// for it: used by the tests that run generated C on other instruction sets and by the benchmarks
/// that count its instructions (`docs/targets.md` has the commands). Every build uses
/// -ffp-contract=off (fused multiply-adds would change float results).
public struct EmulatedTarget: Sendable {
    public enum System: Sendable {
        /// A static Linux executable under QEMU user mode (arguments and files as usual).
        case linuxUser
        /// Bare-metal Cortex-M firmware: Examples/boards/startup.c and mps2.ld, newlib with
        /// semihosting (stdio, files and main's return value reach the host).
        case cortexM(machine: String)
        /// Bare-metal RV32 on QEMU's virt board: picolibc with semihosting.
        case riscvVirt
    }

    /// Short, file-name safe: aarch64, armv7, cortex-m4, ...
    public var key: String
    public var name: String
    public var system: System
    public var compiler: String
    public var flags: [String]
    public var emulator: String
    /// The arches whose generated code this target runs.
    public var arches: [Arch]
    /// The TinyMaix interpreter measured the same way, where the issues give a figure.
    public var tinymaixInstructions: [String: Double] = [:]

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Cortex-M4F with its FPU and DSP instructions (QEMU mps2-an386).
    public static let cortexM4 = EmulatedTarget(
        key: "cortex-m4", name: "Cortex-M4F (mps2-an386), arm-none-eabi-gcc -O2, hard float",
        system: .cortexM(machine: "mps2-an386"), compiler: "arm-none-eabi-gcc",
        flags: ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"], emulator: "qemu-system-arm",
        arches: [.cpu, .armdsp],
        tinymaixInstructions: ["mbnet128_0.25_q": 50.7e6, "cifar10_q": 8.15e6, "mnist_valid_q": 144e3])
    /// ARMv6-M code for an FPU-less Cortex-M0, soft float, run on QEMU's mps2-an385: a Cortex-M3
    /// executes ARMv6-M code as it is, and has the RAM mbnet128 needs (the micro:bit has 16 KB).
    public static let cortexM0 = EmulatedTarget(
        key: "cortex-m0", name: "Cortex-M0 code (armv6-m, on mps2-an385), arm-none-eabi-gcc -O2, soft float",
        system: .cortexM(machine: "mps2-an385"), compiler: "arm-none-eabi-gcc",
        flags: ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"], emulator: "qemu-system-arm", arches: [.cpu])
    /// AArch64 Linux (Advanced SIMD is part of the base architecture).
    public static let aarch64 = EmulatedTarget(
        key: "aarch64", name: "AArch64 (qemu-aarch64), aarch64-linux-gnu-gcc -O2", system: .linuxUser,
        compiler: "aarch64-linux-gnu-gcc", flags: ["-static"], emulator: "qemu-aarch64", arches: [.cpu, .neon],
        tinymaixInstructions: ["mbnet128_0.25_q": 25.6e6, "cifar10_q": 2.27e6])
    /// AArch64 with the ARMv8.2 dot-product extension: the neon code uses SDOT.
    public static let aarch64DotProduct = EmulatedTarget(
        key: "aarch64-dotprod", name: "AArch64 +dotprod (qemu-aarch64), aarch64-linux-gnu-gcc -O2 -march=armv8.2-a+dotprod",
        system: .linuxUser, compiler: "aarch64-linux-gnu-gcc", flags: ["-static", "-march=armv8.2-a+dotprod"],
        emulator: "qemu-aarch64", arches: [.neon])
    /// ARMv7-A Linux, hard float, NEON.
    public static let armv7 = EmulatedTarget(
        key: "armv7", name: "ARMv7-A NEON (qemu-arm), arm-linux-gnueabihf-gcc -O2", system: .linuxUser,
        compiler: "arm-linux-gnueabihf-gcc", flags: ["-static", "-mfpu=neon", "-mfloat-abi=hard"], emulator: "qemu-arm",
        arches: [.cpu, .neon])
    /// RV32IMAC bare metal. QEMU has no P extension: rv32p code runs here through its C model
    /// (-DTMDL_RV32P_MODEL); the real instructions are checked in its disassembly.
    public static let rv32 = EmulatedTarget(
        key: "rv32", name: "RV32IMAC (qemu-system-riscv32 virt), riscv64-unknown-elf-gcc -O2", system: .riscvVirt,
        compiler: "riscv64-unknown-elf-gcc", flags: ["-march=rv32imac", "-mabi=ilp32"], emulator: "qemu-system-riscv32",
        arches: [.cpu, .rv32p])

    public static let all: [EmulatedTarget] = [.aarch64, .aarch64DotProduct, .armv7, .cortexM4, .cortexM0, .rv32]

    /// The programs a target needs on PATH.
    public var programs: [String] { [compiler, emulator] }

    /// binutils of the target's toolchain: nm, objdump, size.
    public func binutil(_ tool: String) -> String {
        compiler.replacingOccurrences(of: "-gcc", with: "-\(tool)")
    }

    /// Flags a build of `arch`'s code needs on this target (the P model: QEMU lacks the instructions).
    public func flags(for arch: Arch) -> [String] {
        arch == .rv32p ? ["-DTMDL_RV32P_MODEL"] : []
    }

    /// Compiles `sources` (C files and -I flags) into an executable or firmware image at `output`.
    public func build(_ sources: [String], output: String, extraFlags: [String] = []) throws {
        let common = flags + ["-std=c99", "-O2", "-ffp-contract=off"] + extraFlags
        let system: [String]
        switch self.system {
        case .linuxUser:
            system = []
        case .cortexM:
            let boards = Self.packageRoot.appendingPathComponent("Examples/boards")
            system = ["--specs=rdimon.specs", "-T", boards.appendingPathComponent("mps2.ld").path,
                      boards.appendingPathComponent("startup.c").path]
        case .riscvVirt:
            system = ["--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost",
                      "-Wl,--defsym=__flash=0x80000000", "-Wl,--defsym=__flash_size=0x400000",
                      "-Wl,--defsym=__ram=0x80400000", "-Wl,--defsym=__ram_size=0x400000"]
        }
        try Program.run(try Program.path(compiler), common + system + sources + ["-lm", "-o", output])
    }

    /// Compiles one C file into an object (no start-up code, no link), for code sizes and disassembly.
    public func compileObject(_ source: String, output: String, flags extraFlags: [String]) throws {
        // picolibc supplies the RV32 build's C headers.
        let headers: [String]
        if case .riscvVirt = system { headers = ["--specs=picolibc.specs"] } else { headers = [] }
        try Program.run(try Program.path(compiler), flags + headers + extraFlags + ["-c", source, "-o", output])
    }

    /// Runs a program to its end with `arguments` (for firmware: through semihosting); returns
    /// what it printed. At most 10 minutes.
    @discardableResult
    public func run(_ executable: String, arguments: [String] = [], plugin: String? = nil) throws -> String {
        var qemu = [try Program.path(emulator)]
        if let plugin { qemu += ["-plugin", plugin] }
        switch system {
        case .linuxUser:
            qemu += [executable] + arguments
        case .cortexM(let machine):
            // newlib takes the first semihosting argument as argv[0].
            qemu += ["-M", machine, "-nographic", "-kernel", executable]
            qemu += ["-semihosting-config", semihostingConfig(["firmware"] + arguments)]
        case .riscvVirt:
            // picolibc names argv[0] itself: the arguments follow it. Its console output would go to
            // QEMU's stderr; a stdio chardev for semihosting puts it on stdout.
            qemu += ["-M", "virt", "-display", "none", "-serial", "none", "-monitor", "none", "-bios", "none"]
            qemu += ["-chardev", "stdio,id=console", "-kernel", executable]
            qemu += ["-semihosting-config", semihostingConfig(arguments, options: ["chardev=console"])]
        }
        return try Program.run(try Program.path("timeout"), ["600"] + qemu)
    }

    private func semihostingConfig(_ arguments: [String], options: [String] = []) -> String {
        (["enable=on", "target=native"] + options + arguments.map { "arg=\($0)" }).joined(separator: ",")
    }

    /// Instructions from the entry of `begin` to the entry of `end` (functions of the program),
    /// counted by the project's QEMU plugin (Tests/Emulation/icount.c, built by `buildPlugin`).
    public func countInstructions(_ executable: String, from begin: String, to end: String, plugin: String) throws -> Double {
        try countInstructions(executable, from: begin, to: end, marking: nil, plugin: plugin).total
    }

    /// As above; with `mark`, also the count so far at each entry of that function.
    public func countInstructions(
        _ executable: String, from begin: String, to end: String, marking mark: String?, plugin: String
    ) throws -> (total: Double, marks: [Double]) {
        let symbols = try Program.run(try Program.path(binutil("nm")), [executable])
        func address(_ symbol: String) throws -> String {
            guard let line = symbols.split(separator: "\n").first(where: { $0.hasSuffix(" \(symbol)") }),
                let value = UInt64(line.prefix(while: { $0 != " " }), radix: 16)
            else { throw ProgramError(description: "\(symbol) not found in \(executable)") }
            return String(value & ~1, radix: 16)  // a Thumb symbol's low bit is not part of the address
        }
        let counts = executable + ".icount"
        var options = "\(plugin),begin=0x\(try address(begin)),end=0x\(try address(end)),out=\(counts)"
        if let mark { options += ",mark=0x\(try address(mark))" }
        try run(executable, plugin: options)
        let lines = try String(contentsOfFile: counts, encoding: .utf8).split(separator: "\n")
        let fields = lines.first?.split(separator: " ") ?? []
        guard fields.count == 4, fields[3] == "1", let count = Double(fields[1]) else {
            throw ProgramError(description: "\(counts): expected one measured window, found \(lines)")
        }
        let marks = lines.count > 1 ? lines[1].split(separator: " ").dropFirst().compactMap { Double($0) } : []
        return (count, marks)
    }

    /// Bytes of .text, .rodata and RAM data (.data and .bss) in an object file (`size -A`).
    public func sectionSizes(ofObject object: String) throws -> (text: Int, rodata: Int, data: Int) {
        let table = try Program.run(try Program.path(binutil("size")), ["-A", object])
        let rows: [[Substring]] = table.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }
        func size(_ prefix: String) -> Int {
            var total = 0
            for row in rows where row.count >= 2 && (row[0] == prefix || row[0].hasPrefix(prefix + ".")) {
                total += Int(row[1]) ?? 0
            }
            return total
        }
        return (size(".text"), size(".rodata") + size(".srodata"), size(".data") + size(".bss") + size(".sdata") + size(".sbss"))
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
