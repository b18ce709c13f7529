// Prints benchmark figures; it asserts nothing (speed goals are read off these
// figures, never checked by timed tests).
//   tmdl-bench reference [MODEL...]   wall time per inference of the reference interpreter
//   tmdl-bench codegen [MODEL...]     callgrind instructions of NAME_run, generate and tcc compile times
//   tmdl-bench emulated [MODEL...]    instructions of NAME_run per arch on every QEMU target; code sizes; RAM
//   tmdl-bench memory [MODEL...]      RAM of one inference on the Cortex-M4 (part of emulated)
//   tmdl-bench sizes [MODEL...]       code size of the generated object per arch and target (part of emulated)
//   tmdl-bench layers MODEL TARGET ARCH [NUMERICS]   instructions per layer on one QEMU target
import Foundation
import TMDLEmit
import TMDLReference

let sharedRoot =
    ProcessInfo.processInfo.environment["TMDL_SHARED"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

func fail(_ message: String) -> Never {
    FileHandle.standardError.write("tmdl-bench: \(message)\n".data(using: .utf8)!)
    exit(1)
}

guard FileManager.default.fileExists(atPath: sharedRoot + "/models") else {
    fail("no shared models at \(sharedRoot) (set TMDL_SHARED)")
}
func modelPath(_ name: String) -> String { "\(sharedRoot)/models/\(name).tmdl" }

var arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.isEmpty ? "reference" : arguments.removeFirst()
do {
    switch mode {
    case "reference":
        try ReferenceBenchmark.run(models: arguments.isEmpty ? ["mbnet128_0.25_q", "cifar10_q"] : arguments)
    case "codegen":
        try GeneratedCodeBenchmark.run(models: arguments.isEmpty ? GeneratedCodeBenchmark.defaultModels : arguments)
    case "emulated":
        try EmulatedBenchmark.run(models: arguments.isEmpty ? GeneratedCodeBenchmark.defaultModels : arguments)
    case "memory":
        let models = arguments.isEmpty ? GeneratedCodeBenchmark.defaultModels : arguments
        try EmulatedBenchmark.printMemory(try models.filter { try EmulatedBenchmark.load($0).type == .int8 })
    case "sizes":
        let models = arguments.isEmpty ? GeneratedCodeBenchmark.defaultModels : arguments
        try EmulatedBenchmark.printCodeSizes(try models.filter { try EmulatedBenchmark.load($0).type == .int8 })
    case "layers":
        guard arguments.count >= 3, let arch = Arch(rawValue: arguments[2]) else {
            fail("usage: tmdl-bench layers MODEL TARGET ARCH [tinymaix|integer]")
        }
        let numerics = arguments.count > 3 ? NumericsProfile(rawValue: arguments[3]) ?? .tinymaix : .tinymaix
        try EmulatedBenchmark.profileLayers(arguments[0], target: arguments[1], arch: arch, numerics: numerics)
    default:
        fail("unknown mode \(mode): use reference, codegen, emulated, memory, sizes or layers")
    }
} catch {
    fail("\(error)")
}
