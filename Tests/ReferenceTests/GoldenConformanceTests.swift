import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The reference must reproduce the TinyMaix interpreter's golden outputs bit for
/// bit: every case, the final output, the dequantised output and every layer hash.
@Suite(
    "Reference interpreter against the golden files",
    .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason))
struct GoldenConformanceTests {
    @Test(arguments: GoldenFile.int8AndFloatModels)
    func everyCaseAndLayerMatches(_ name: String) throws {
        let golden = try GoldenFile.load(name)
        let model = try ModelReader.load(path: try SharedFixtures.path("models/\(golden.model)")).model
        let reference = try ReferenceInterpreter(model: model)
        #expect(!golden.cases.isEmpty)
        for goldenCase in golden.cases {
            let input = try goldenCase.modelInput(for: model)
            var hashes: [String] = []
            let result = try reference.run(input) { _, output in hashes.append(FNV1a64.hex(output.fnv1a64)) }
            #expect(hashes.count == goldenCase.layerFnv1a64.count)
            if let firstDifference = hashes.indices.first(where: { hashes[$0] != goldenCase.layerFnv1a64[$0] }) {
                Issue.record("\(name) \(goldenCase.label): layer \(firstDifference) is the first that differs")
            }
            #expect(result.output == goldenCase.expectedOutput, "\(name) \(goldenCase.label)")
            #expect(result.dequantizedOutput.map(goldenBits) == goldenCase.outputDequantF32Bits, "\(name) \(goldenCase.label)")
        }
    }
}
