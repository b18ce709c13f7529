import Testing

/// Cross compilers and emulators that `make deps` installs (Debian packages). Tests that need
/// one skip with a clear reason where it is missing, except in CI, where its absence fails.
public enum CrossToolchain {
    public static let armNoneEabi = "arm-none-eabi-gcc"

    /// For `.enabled(if:)`: run where the program is, and in CI even where it is not (to fail).
    public static func shouldRun(_ programs: String...) -> Bool { shouldRun(programs) }

    public static func shouldRun(_ programs: [String]) -> Bool {
        SharedFixtures.isCI || programs.allSatisfy { Shell.which($0) != nil }
    }

    public static func skipReason(_ programs: String...) -> Comment {
        "needs \(programs.joined(separator: ", ")) on PATH (make deps installs them)"
    }
}
