import EmulationSupport
import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The integer profile's C as firmware on emulated Cortex-M cores: ARMv6-M code without an FPU
/// (soft float) and a Cortex-M4F. Every golden-tflite case runs through the layer hook, and every
/// layer's hash and the final output must equal TFLite's reference kernels'.
@Suite(
    "Integer profile on emulated Cortex-M cores, against TFLite's reference kernels",
    .enabled(
        if: SharedFixtures.shouldRun
            && CrossToolchain.shouldRun(CortexMTarget.compiler, CortexMTarget.emulator),
        "needs ../shared and \(CortexMTarget.compiler), \(CortexMTarget.emulator) (make deps installs them)"))
struct EmulatedIntegerConformanceTests {
    @Test(arguments: TFLiteGoldenFile.withTMDLModels)
    func goldenCasesMatchOnCortexM0AndM4(_ name: String) throws {
        let golden = try TFLiteGoldenFile.load(name)
        let model = try golden.loadModel()
        let build = try NativeBuild(model, name: CIdentifier.sanitized(fileName: name), numerics: .integer)
        let inputs = try golden.cases.map { try $0.input.modelInput(for: model) }
        let inputFile = build.folder.appendingPathComponent("inputs.bin")
        try Data(inputs.flatMap(\.bytes)).write(to: inputFile)
        let expected = golden.cases.map { goldenCase in
            goldenCase.hashes(layerCount: model.layers.count).enumerated().map { "layer \($0) \($1 ?? "missing")\n" }
                .joined() + "output \(FNV1a64.hex(goldenCase.expectedOutput.fnv1a64))\n"
        }.joined()
        for target in [CortexMTarget.cortexM0, .cortexM4] {
            let firmware = build.path("harness-\(target.machine).elf")
            try target.buildFirmware(
                ["-Wall", "-Wextra", "-Werror", "-D\(build.code.layerHookMacro)", "-I", build.folder.path, build.path("main.c"),
                 build.path(build.code.sourceFileName)],
                output: firmware)
            let transcript = try target.run(firmware, arguments: [inputFile.path])
            #expect(transcript == expected, "\(name) on \(target.name)")
            print("integer, \(name) on \(target.machine): \(golden.cases.count) cases, "
                + "\(golden.cases.count * model.layers.count) layer hashes compared")
        }
    }
}
