import TMDLEmit
import TMDLFormat
import TMDLReference

/// One input to verify with, and how to name it in a report.
public struct VerificationCase: Sendable {
    public var label: String
    public var input: TensorData

    public init(label: String, input: TensorData) {
        self.label = label
        self.input = input
    }

    /// `count` inputs from the golden files' xorshift32 generator, seeds 1...count.
    public static func seeded(_ count: Int, for model: Model) -> [VerificationCase] {
        (0..<count).map { VerificationCase(label: "seed \($0 + 1)", input: ModelInput.random(seed: UInt32($0 + 1), for: model)) }
    }
}

/// The first place where the generated C and the reference disagree.
public struct Mismatch: Hashable, Sendable, CustomStringConvertible {
    public var caseLabel: String
    /// nil: the final output (or its dequantised copy) differs although every layer matched.
    public var layer: Int?
    public var layerKind: LayerKind?
    public var element: Int
    public var expected: String
    public var actual: String

    public var description: String {
        let place = layer.map { "layer \($0) (\(layerKind.map { "\($0)" } ?? "?"))" } ?? "the final output"
        return "\(caseLabel): \(place) differs first at element \(element): reference \(expected), generated C \(actual)"
    }
}

public struct VerificationReport: Sendable {
    public var cases = 0
    public var layersCompared = 0
    /// The first mismatch of each failing case.
    public var mismatches: [Mismatch] = []

    public var passed: Bool { mismatches.isEmpty }

    public var summary: String {
        "\(cases) cases, \(layersCompared) layer outputs compared, \(mismatches.count) cases with mismatches"
    }
}

/// Generated C against the reference in the code's numerics profile: every case, every
/// layer, the final and the dequantised output, all bit for bit.
public enum Verifier {
    public static func verify(_ model: Model, code: GeneratedCode, cases: [VerificationCase]) throws -> VerificationReport {
        let reference = try ReferenceInterpreter(model: model, numerics: code.numerics)
        let runs = try GeneratedRunner.run(code, model: model, inputs: cases.map(\.input))
        var report = VerificationReport()
        for (verificationCase, run) in zip(cases, runs) {
            report.cases += 1
            var trace: [TensorData] = []
            let expected = try reference.run(verificationCase.input) { _, output in trace.append(output) }
            if let mismatch = firstMismatch(trace, run, expected, model: model, label: verificationCase.label, report: &report) {
                report.mismatches.append(mismatch)
            }
        }
        return report
    }

    private static func firstMismatch(
        _ trace: [TensorData], _ run: GeneratedRun, _ expected: InferenceResult, model: Model, label: String,
        report: inout VerificationReport
    ) -> Mismatch? {
        guard run.layerOutputs.count == trace.count else {
            return Mismatch(
                caseLabel: label, layer: nil, layerKind: nil, element: 0, expected: "\(trace.count) layers",
                actual: "\(run.layerOutputs.count) layers")
        }
        for (index, (reference, generated)) in zip(trace, run.layerOutputs).enumerated() {
            report.layersCompared += 1
            if let element = firstDifference(reference, generated) {
                return Mismatch(
                    caseLabel: label, layer: index, layerKind: model.layers[index].kind, element: element,
                    expected: value(reference, element), actual: value(bytes: generated, like: reference, element))
            }
        }
        if let element = firstDifference(expected.output, run.output.bytes) {
            return Mismatch(
                caseLabel: label, layer: nil, layerKind: nil, element: element, expected: value(expected.output, element),
                actual: value(run.output, element))
        }
        if let floats = run.dequantizedOutput,
            let element = floats.indices.first(where: { floats[$0].bitPattern != expected.dequantizedOutput[$0].bitPattern })
        {
            return Mismatch(
                caseLabel: label + " (dequantised)", layer: nil, layerKind: nil, element: element,
                expected: "\(expected.dequantizedOutput[element])", actual: "\(floats[element])")
        }
        return nil
    }

    /// Index of the first differing element, comparing bytes.
    static func firstDifference(_ reference: TensorData, _ generated: [UInt8]) -> Int? {
        let bytes = reference.bytes
        guard bytes.count == generated.count else { return 0 }
        guard let byte = bytes.indices.first(where: { bytes[$0] != generated[$0] }) else { return nil }
        return byte / (reference.int8Values != nil ? 1 : 4)
    }

    static func value(_ tensor: TensorData, _ element: Int) -> String {
        switch tensor {
        case .int8(let values): return "\(values[element])"
        case .float32(let values): return "\(values[element]) (0x\(String(values[element].bitPattern, radix: 16)))"
        }
    }

    static func value(bytes: [UInt8], like reference: TensorData, _ element: Int) -> String {
        switch reference {
        case .int8: return element < bytes.count ? "\(Int8(bitPattern: bytes[element]))" : "missing"
        case .float32:
            guard 4 * element + 3 < bytes.count else { return "missing" }
            let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * element + $1]) << (8 * $1) }
            return value(.float32([Float(bitPattern: bits)]), 0)
        }
    }
}
