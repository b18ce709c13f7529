import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The arches' code as clang builds it for their own targets: the QEMU suites build it with gcc,
/// and clang warns where gcc does not (an unused `static inline` function is one), and assembles
/// armdsp's inline assembly itself. Objects only, against the cross toolchains' C library headers.
@Suite("Arch code under clang for its targets")
struct CrossClangTests {
    /// A clang target for an arch: its flags and the C library headers it needs.
    struct Target: CustomStringConvertible {
        let arch: Arch
        let flags: [String]
        let headers: String
        let package: String

        var description: String { "\(arch) with \(flags[0])" }
    }

    static let targets = [
        Target(
            arch: .armdsp, flags: ["--target=thumbv7em-none-eabihf", "-mcpu=cortex-m4", "-mfloat-abi=hard"],
            headers: "/usr/lib/arm-none-eabi/include", package: "libnewlib-arm-none-eabi"),
        Target(
            arch: .neon, flags: ["--target=aarch64-linux-gnu"], headers: "/usr/aarch64-linux-gnu/include",
            package: "libc6-dev-arm64-cross"),
        Target(
            arch: .neon, flags: ["--target=armv7a-linux-gnueabihf", "-mfpu=neon", "-mfloat-abi=hard"],
            headers: "/usr/arm-linux-gnueabihf/include", package: "libc6-dev-armhf-cross"),
    ]

    /// The example model, the long-window model (the two-pixel dot in parts) and random models: between
    /// them, layers that take every path and models that leave paths out.
    static func models() throws -> [(name: String, model: Model)] {
        let digits = try ModelReader.load(
            path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path
        ).model
        return [("digits", digits), ("long_window", TestModels.longWindowInt8())]
            + randomModels(.int8, count: 8, seed: 4100) + randomModels(.float32, count: 2, seed: 4200)
    }

    @Test(arguments: targets)
    func generatedCodeIsWarningFree(_ target: Target) throws {
        let clang = try compilerPath("clang")
        try #require(
            FileManager.default.fileExists(atPath: target.headers + "/string.h"),
            "\(target.headers) is missing: make deps installs \(target.package)")
        let folder = try Shell.temporaryFolder("cross-clang")
        defer { try? FileManager.default.removeItem(at: folder) }
        var built = 0
        for (name, model) in try Self.models() {
            for numerics in NumericsProfile.allCases {
                let options = CodegenOptions(name: name, arch: target.arch, numerics: numerics)
                let code: GeneratedCode
                do {
                    code = try CodeGenerator.generate(model, options: options)
                } catch {
                    continue  // a model the integer profile refuses (fp32): nothing to build
                }
                let file = folder.appendingPathComponent(code.sourceFileName)
                try code.source.write(to: file, atomically: true, encoding: .utf8)
                let flags = target.flags + ["-isystem", target.headers] + Harness.strictFlags + ["-Wpedantic"]
                let object = folder.appendingPathComponent("\(name).o").path
                let result = try Shell.run(clang, flags + ["-c", file.path, "-o", object])
                #expect(
                    result.status == 0 && result.stderr.isEmpty,
                    "\(target): \(name), \(numerics) profile:\n\(result.stderr)")
                built += 1
            }
        }
        #expect(built >= 12, "only \(built) models were generated")
    }
}
