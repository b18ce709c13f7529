import EmulationSupport
import Foundation

/// Running programs from tests: EmulationSupport's `Program`, plus temporary folders.
public enum Shell {
    public typealias Result = Program.Outcome

    /// Runs a program to completion, feeding `input` on stdin.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Result {
        try Program.execute(executable, arguments, input: input)
    }

    /// The full path of a program on PATH, or nil.
    public static func which(_ program: String) -> String? { Program.find(program) }

    /// A fresh temporary folder.
    public static func temporaryFolder(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
