import ArgumentParser
import TMDLFormat
import TMDLReference

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure top-1 accuracy of the reference over a labelled set of inputs.",
        discussion: """
            --inputs holds the inputs back to back (each exactly one model input, in
            --input-format); --labels holds one byte per input, its class index.
            --predictions prints every input's line first, "input N: label L, predicted P"
            (the top class; ties go to the lowest index), for comparing with a device's log.
            """)

    @Argument(help: "The .tmdl model file.")
    var model: String

    @Option(help: "A file of inputs, back to back.")
    var inputs: String

    @Option(help: "A file of one class byte per input.")
    var labels: String

    @Option(help: "How to read --inputs: u8, int8 or f32.")
    var inputFormat: InputEncoding = .u8

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Print each input's label and predicted class before the accuracy (text output).")
    var predictions = false

    func validate() throws {
        if json && predictions { throw ValidationError("--predictions prints text: leave out --json") }
    }

    @OptionGroup var profile: NumericsOption

    func run() throws {
        let loaded = try loadModel(model)
        let interpreter = try reference(for: loaded.model, path: model, numerics: profile.numerics)
        let data = try readFile(inputs, what: "inputs")
        let classes = try readFile(labels, what: "labels")
        let size = loaded.model.inputShape.elementCount * (inputFormat == .f32 ? 4 : 1)
        guard !classes.isEmpty, data.count == classes.count * size else {
            throw CLIError(
                "\(inputs): \(data.count) bytes do not hold \(classes.count) inputs of \(size) bytes (one per label)")
        }
        var correct = 0
        for (index, label) in classes.enumerated() {
            let bytes = Array(data[index * size..<(index + 1) * size])
            let tensor = try ModelInput.decode(bytes, as: inputFormat, for: loaded.model)
            let result = try interpreter.run(tensor)
            let predicted = topIndices(result.dequantizedOutput, k: 1).first ?? -1
            if predicted == Int(label) { correct += 1 }
            if predictions { print("input \(index): label \(label), predicted \(predicted)") }
        }
        let accuracy = Double(correct) / Double(classes.count)
        if json {
            print(
                JSON.object([
                    ("cases", "\(classes.count)"), ("correct", "\(correct)"), ("accuracy", "\(accuracy)"),
                ]))
        } else {
            let percent = (accuracy * 1000).rounded() / 10
            print("accuracy: \(percent)% (\(correct) of \(classes.count) correct)")
        }
    }
}
