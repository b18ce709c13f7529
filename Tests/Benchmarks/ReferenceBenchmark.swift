import Foundation
import TMDLFormat
import TMDLReference

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
}

/// Median wall time of `body` over `runs` runs, after one warm-up run.
func medianMilliseconds(runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, min: Double, max: Double) {
    try body()
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        try body()
        times.append(milliseconds(clock.now - start))
    }
    times.sort()
    return (times[times.count / 2], times.first!, times.last!)
}

enum ReferenceBenchmark {
    static func run(models: [String]) throws {
        print("reference interpreter, release build, wall time per inference (median of 20):")
        for name in models {
            let model = try ModelReader.load(path: modelPath(name)).model
            let reference = try ReferenceInterpreter(model: model)
            let input = ModelInput.random(seed: 1, for: model)
            let time = try medianMilliseconds(runs: 20) { _ = try reference.run(input) }
            let macs = model.multiplyAccumulates
            print(
                name.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(
                        format: "%10d MACs  %8.2f ms (min %.2f, max %.2f)  %.2f ns/MAC", macs, time.median, time.min,
                        time.max, time.median * 1e6 / Double(macs)))
        }
    }
}
