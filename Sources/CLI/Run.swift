import ArgumentParser
import TMDLFormat
import TMDLReference

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one inference with the reference interpreter.",
        discussion: """
            The input is a file of raw bytes (--input) or the seeded xorshift32 generator
            the golden files use (--seed). Input formats:
              u8    one byte per element, an image: int8 models get q = u8 - 128,
                    fp32 models get u8 / 255 (the default)
              int8  one signed byte per element, used as it is (int8 models)
              f32   little-endian float32 per element: quantised with the first layer's
                    input scale and zero point for int8 models, as is for fp32 models
            The output is printed raw (int8 codes or float32) and dequantised, with the
            top classes. --json prints one object with "output", "output_dequant",
            "layer_fnv1a64" (FNV-1a-64 of every layer's output bytes) and "top".
            """)

    @Argument(help: "The .tmdl model file.")
    var model: String

    @Option(help: "A file holding one input.")
    var input: String?

    @Option(help: "Use the xorshift32 generator with this seed instead of a file.")
    var seed: UInt32?

    @Option(help: "How to read --input: u8, int8 or f32.")
    var inputFormat: InputEncoding = .u8

    @Option(help: "How many top classes to print.")
    var top = 5

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var profile: NumericsOption

    func validate() throws {
        guard (input == nil) != (seed == nil) else {
            throw ValidationError("give exactly one of --input FILE and --seed N")
        }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let loaded = try loadModel(model)
        let interpreter = try reference(for: loaded.model, path: model, numerics: profile.numerics)
        let tensor: TensorData
        if let input {
            do {
                tensor = try ModelInput.decode(try readFile(input, what: "input"), as: inputFormat, for: loaded.model)
            } catch let error as InputError {
                throw CLIError("\(input): \(error)")
            }
        } else {
            tensor = ModelInput.random(seed: seed ?? 0, for: loaded.model)
        }
        var hashes: [String] = []
        let result = try interpreter.run(tensor) { _, output in hashes.append(FNV1a64.hex(output.fnv1a64)) }
        let best = topIndices(result.dequantizedOutput, k: min(top, result.dequantizedOutput.count))
        let raw: [String]
        switch result.output {
        case .int8(let values): raw = values.map(String.init)
        case .float32(let values): raw = values.map(JSON.number)
        }
        if json {
            print(
                JSON.object([
                    ("output", JSON.array(raw)),
                    ("output_dequant", JSON.array(result.dequantizedOutput.map(JSON.number))),
                    ("layer_fnv1a64", JSON.array(hashes.map(JSON.string))),
                    (
                        "top",
                        JSON.array(
                            best.map { JSON.object([("class", "\($0)"), ("score", JSON.number(result.dequantizedOutput[$0]))]) })
                    ),
                ]))
            return
        }
        // Long outputs (1000 ImageNet classes) would bury the top classes; --json has them all.
        if raw.count <= 32 {
            print("output (\(loaded.model.type)): \(raw.joined(separator: " "))")
            if loaded.model.type.isQuantized {
                print("output (dequantised): \(result.dequantizedOutput.map { "\($0)" }.joined(separator: " "))")
            }
        } else {
            print("output: \(raw.count) values (--json prints them all)")
        }
        if !best.isEmpty {
            print("top \(best.count): " + best.map { "class \($0) (\(result.dequantizedOutput[$0]))" }.joined(separator: ", "))
        }
    }
}
