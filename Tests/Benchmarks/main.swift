// Prints benchmark figures; it asserts nothing (speed goals are read off these
// figures, never checked by timed tests). Run with `make bench-reference`.
import Foundation
import TMDLFormat
import TMDLReference

let sharedRoot = ProcessInfo.processInfo.environment["TMDL_SHARED"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
}

/// Median wall time of one inference, after one warm-up run.
func benchmarkReference(model path: String, runs: Int) throws {
    let model = try ModelReader.load(path: path).model
    let reference = try ReferenceInterpreter(model: model)
    let input = ModelInput.random(seed: 1, for: model)
    _ = try reference.run(input)
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        _ = try reference.run(input)
        times.append(milliseconds(clock.now - start))
    }
    times.sort()
    let median = times[times.count / 2]
    let name = (path as NSString).lastPathComponent
    let macs = model.multiplyAccumulates
    print(
        name.padding(toLength: 22, withPad: " ", startingAt: 0)
            + String(
                format: "%10d MACs  median %8.2f ms/inference  (min %.2f, max %.2f, %d runs)  %.2f ns/MAC",
                macs, median, times.first!, times.last!, runs, median * 1e6 / Double(macs)))
}

let arguments = CommandLine.arguments.dropFirst()
let models = arguments.isEmpty ? ["mbnet128_0.25_q", "cifar10_q"] : Array(arguments)
guard FileManager.default.fileExists(atPath: sharedRoot + "/models") else {
    FileHandle.standardError.write("tmdl-bench: no shared models at \(sharedRoot) (set TMDL_SHARED)\n".data(using: .utf8)!)
    exit(1)
}
print("reference interpreter, release build, wall time per inference:")
for name in models {
    try benchmarkReference(model: "\(sharedRoot)/models/\(name).tmdl", runs: 20)
}
