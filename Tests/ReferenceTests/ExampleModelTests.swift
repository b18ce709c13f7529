import Foundation
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The project's own example model (Examples/digits, trained by train.py): it ships
/// with the repository, so these run on a fresh clone too.
@Suite("Example digits model")
struct ExampleModelTests {
    let folder = SharedFixtures.packageRoot.appendingPathComponent("Examples/digits")

    @Test func loadsCleanlyAndRoundTrips() throws {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("digits.tmdl")))
        let loaded = try ModelReader.read(bytes)
        #expect(loaded.warnings.isEmpty)
        #expect(ModelWriter.bytes(of: loaded.model) == bytes)
        let kinds = loaded.model.layers.map(\.kind)
        #expect(kinds == [.conv2D, .depthwiseConv2D, .conv2D, .globalAveragePool, .fullyConnected, .softmax])
    }

    @Test func classifiesTheHeldOutDigitsWithAtLeast95PercentAccuracy() throws {
        let model = try ModelReader.load(path: folder.appendingPathComponent("digits.tmdl").path).model
        let reference = try ReferenceInterpreter(model: model)
        let images = [UInt8](try Data(contentsOf: folder.appendingPathComponent("test-images.u8")))
        let labels = [UInt8](try Data(contentsOf: folder.appendingPathComponent("test-labels.u8")))
        #expect(labels.count >= 300 && images.count == labels.count * 64)
        var correct = 0
        for (index, label) in labels.enumerated() {
            let input = try ModelInput.decode(Array(images[index * 64..<(index + 1) * 64]), as: .u8, for: model)
            let scores = try reference.run(input).dequantizedOutput
            if scores.indices.max(by: { scores[$0] < scores[$1] }) == Int(label) { correct += 1 }
        }
        #expect(Double(correct) / Double(labels.count) >= 0.95, "\(correct) of \(labels.count)")
    }
}
