import ArgumentParser
import Foundation
import TMDLFormat
import TMDLPlan
import TMDLReference

/// A refusal the user has to act on: printed as one line, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension InputEncoding: ExpressibleByArgument {}

func loadModel(_ path: String) throws -> LoadedModel {
    do {
        return try ModelReader.load(path: path)
    } catch {
        throw CLIError(error.description)
    }
}

func readFile(_ path: String, what: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("\(path): cannot read the \(what) file")
    }
    return [UInt8](data)
}

func reference(for model: Model, path: String, numerics: NumericsProfile) throws -> ReferenceInterpreter {
    do {
        return try ReferenceInterpreter(model: model, numerics: numerics)
    } catch {
        throw CLIError("\(path): \(error)")
    }
}

extension NumericsProfile: ExpressibleByArgument {}

/// `--numerics`, shared by run, evaluate, generate and verify.
struct NumericsOption: ParsableArguments {
    static let help = """
        Arithmetic of int8 models: tinymaix (the default) computes what the TinyMaix interpreter \
        computes (float requantisation, needs an FPU); integer computes what TFLite's reference kernels \
        compute, in fixed point only: choose it to match the .tflite model's outputs or for cores \
        without an FPU (Cortex-M0/M3, RV32IMC).
        """

    @Option(help: ArgumentHelp(Self.help, valueName: "tinymaix|integer"))
    var numerics: NumericsProfile = .tinymaix
}

/// Numbers in JSON: floats in Swift's shortest round-tripping form (so that parsing
/// them gives back the same float32); non-finite values, which JSON lacks, as strings.
enum JSON {
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "\"\(value)\""
    }

    static func string(_ value: String) -> String {
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}

/// Left-aligned text columns for terminal tables.
func table(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// Indices of the `k` largest values, largest first; ties keep the lower index first.
func topIndices(_ values: [Float], k: Int) -> [Int] {
    Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(k))
}

/// What a plan does beyond placing tensors side by side: where the input sits, which layers run
/// over their input (for `generate` and `inspect`).
func inPlaceNotes(_ plan: ArenaPlan) -> [String] {
    var notes = plan.inputOffset.map { ["input at arena offset \($0)"] } ?? []
    if !plan.inPlaceLayers.isEmpty {
        notes.append("layers run in place: " + plan.inPlaceLayers.map(String.init).joined(separator: " "))
    }
    return notes
}
