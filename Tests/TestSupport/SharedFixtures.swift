import Foundation
import Testing

/// The reference material in `../shared` (beside the project checkout, or where
/// `TMDL_SHARED` points). A fresh clone has none: tests that need it skip with a
/// clear reason, except in CI (`CI=true`), where it is always present and its
/// absence fails the run.
public enum SharedFixtures {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["TMDL_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("golden").path)
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// For `.enabled(if:)`: run where the data is, and in CI even where it is not (to fail).
    public static var shouldRun: Bool { isAvailable || isCI }

    public static let skipReason: Comment =
        "needs ../shared (the project's reference data, absent from a fresh clone); set TMDL_SHARED to point elsewhere"

    /// The shared folder, or an error saying it is missing.
    public static func require() throws -> URL {
        guard isAvailable else { throw MissingSharedData(path: root.path) }
        return root
    }

    public static func path(_ relative: String) throws -> String {
        try require().appendingPathComponent(relative).path
    }
}

public struct MissingSharedData: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "the shared reference data is missing at \(path) (required when CI=true)" }
}

/// The model files in `../shared/models`.
public enum SharedModels {
    public static let all = [
        "mnist_valid_q", "mnist_valid_f", "mnist_dw_f", "mnist_resnet_q", "cifar10_q", "mbnet128_0.25_q",
        "mnist_fp8_143", "mnist_fp8_152",
    ]

    public static func path(_ name: String) throws -> String { try SharedFixtures.path("models/\(name).tmdl") }

    public static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }
}
