import EmulationSupport
import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// One arch's generated code on one emulated target.
struct ArchOnTarget: CustomTestStringConvertible, Sendable {
    let target: EmulatedTarget
    let arch: Arch

    var testDescription: String { "\(arch.rawValue) on \(target.key)" }

    /// Every arch on every target that runs it, where the target's tools are present (all of them in CI).
    static let all = EmulatedTarget.all.flatMap { target in target.arches.map { ArchOnTarget(target: target, arch: $0) } }
        .filter { CrossToolchain.shouldRun($0.target.programs) }

    /// Builds `harness` for the target (strict warnings) and runs it on `inputs`; expects `expected`.
    func runAndCompare(_ harness: Harness, inputs: [[TensorData]], expected: String) throws {
        let inputFile = harness.url("inputs-\(target.key).bin")
        try harness.inputStream(inputs).write(to: inputFile)
        let program = harness.path("harness-\(arch.rawValue)-\(target.key).elf")
        try target.build(
            ["-Wall", "-Wextra", "-Werror"] + target.flags(for: arch) + harness.buildArguments, output: program)
        let transcript = try target.run(program, arguments: [inputFile.path])
        let difference = Harness.firstDifference(transcript, expected)
        #expect(difference == nil, "\(testDescription): \(difference ?? "") (\(harness.folder.path))")
    }
}

/// Random builder models reach geometries the shared models do not (dilation, depth multipliers,
/// odd channel counts, ADD, softmax over pixels, fp32 layers).
func randomModels(_ type: ModelType, count: Int, seed: UInt64) -> [(name: String, model: Model)] {
    (0..<UInt64(count)).map { index in
        let size: RandomModelBuilder.Size = index % 2 == 0 ? .tiny : .medium
        return ("random_\(type == .int8 ? "q" : "f")\(index)", RandomModelBuilder(type: type, size: size).model(seed: seed + index))
    }
}

/// The same model with every int8 weight `weight`. With -128 and inputs of -128, every product
/// is 16384, and any pair of them summed in an int16 (32768) would overflow; with -127 a pair is
/// 32512, the most the NEON kernels that sum pairs in an int16 (used only without -128 weights) reach.
func withExtremeWeights(_ model: Model, weight: Int8 = -128) -> Model {
    func extreme(_ weights: NumericArray) -> NumericArray {
        weights.int8Values.map { .int8(Array(repeating: weight, count: $0.count)) } ?? weights
    }
    var model = model
    for index in model.layers.indices {
        switch model.layers[index].operation {
        case .conv2D(var conv):
            conv.weights = extreme(conv.weights)
            model.layers[index].operation = .conv2D(conv)
        case .depthwiseConv2D(var conv, let multiplier):
            conv.weights = extreme(conv.weights)
            model.layers[index].operation = .depthwiseConv2D(conv, depthMultiplier: multiplier)
        case .fullyConnected(var fc):
            fc.weights = extreme(fc.weights)
            model.layers[index].operation = .fullyConnected(fc)
        default:
            break
        }
    }
    return model
}

/// The int8 CONV2D layers in generated source that take the two-pixel dot.
func twoPixelConvolutionLayers(_ source: String) -> Int {
    source.components(separatedBy: ".two_pixels = 1").count - 1
}

/// The models given extreme weights below: four random ones, and the first random model from seed
/// 4500 on whose NEON code takes the two-pixel dot (a CONV2D window of a multiple of 8 values,
/// which few random models have).
func extremeWeightCandidates() throws -> [(name: String, model: Model)] {
    for seed in UInt64(4500)..<4700 {
        let model = RandomModelBuilder(type: .int8, size: .medium).model(seed: seed)
        let neon = try CodeGenerator.generate(model, options: CodegenOptions(name: "candidate", arch: .neon))
        if twoPixelConvolutionLayers(neon.source) > 0 {
            return randomModels(.int8, count: 4, seed: 4300) + [("random_two_pixel", model)]
        }
    }
    Issue.record("no random model from seed 4500 to 4699 reaches the NEON two-pixel dot: widen the search")
    return randomModels(.int8, count: 4, seed: 4300)
}

/// Every arch backend on the instruction set it is written for, under QEMU: NEON on AArch64 (with
/// and without SDOT) and ARMv7-A, the DSP code on a Cortex-M4F, the portable code on all of them
/// and on Cortex-M0 and RV32, and the P-extension code on RV32 through its C model (QEMU has no P
/// instructions; their use is checked in the disassembly below). Every layer of every case must
/// equal the reference bit for bit.
@Suite(
    "Arch backends on their own instruction sets, under QEMU",
    .enabled(if: !ArchOnTarget.all.isEmpty, "needs the cross compilers and QEMU (make deps installs them)"))
struct ArchBackendTests {
    @Test(arguments: ArchOnTarget.all)
    func randomModelsMatchTheReference(_ build: ArchOnTarget) throws {
        let tinymaix = try Harness(
            randomModels(.int8, count: 8, seed: 4100) + randomModels(.float32, count: 4, seed: 4200)
                + [("long_window", TestModels.longWindowInt8())],
            arch: build.arch)
        let inputs = tinymaix.seededInputs(count: 3)
        try build.runAndCompare(tinymaix, inputs: inputs, expected: try tinymaix.expectedTranscript(inputs))

        let extremes = try extremeWeightCandidates().flatMap { entry in
            [Int8(-128), -127].map { ("extreme\(-Int($0))_\(entry.name)", withExtremeWeights(entry.model, weight: $0)) }
        }
        let integer = try Harness(randomModels(.int8, count: 8, seed: 4400) + extremes, arch: build.arch, numerics: .integer)
        var integerInputs = integer.seededInputs(count: 2)
        for index in integer.entries.indices where integer.entries[index].code.name.hasPrefix("extreme") {
            integerInputs[index].append(.int8(Array(repeating: -128, count: integer.entries[index].model.inputShape.elementCount)))
        }
        try build.runAndCompare(integer, inputs: integerInputs, expected: try integer.expectedTranscript(integerInputs))
    }
}

/// The first `count` random int8 models from `seeds` whose armdsp code has a layer on the path
/// `takesPath` recognises in it, each followed by itself with every weight -128 (named `name` and
/// the seed). Sizes alternate over `sizes` by seed. Records an issue if the seeds hold too few.
func armdspModels(
    taking path: String, named name: String, seeds: Range<UInt64>, count: Int,
    sizes: [RandomModelBuilder.Size] = [.tiny, .medium], takesPath: (String) -> Bool
) throws -> [(name: String, model: Model)] {
    var models: [(name: String, model: Model)] = []
    for seed in seeds where models.count < 2 * count {
        let model = RandomModelBuilder(type: .int8, size: sizes[Int(seed % UInt64(sizes.count))]).model(seed: seed)
        let code = try CodeGenerator.generate(model, options: CodegenOptions(name: name, arch: .armdsp))
        guard takesPath(code.source) else { continue }
        models += [("\(name)\(seed)", model), ("\(name)\(seed)_extreme", withExtremeWeights(model))]
    }
    let range = "\(seeds.lowerBound)..<\(seeds.upperBound)"
    #expect(models.count == 2 * count, "seeds \(range) give \(models.count / 2) models with \(path), not \(count): widen them")
    return models
}

/// `models` on the Cortex-M4F under QEMU in each of `profiles`, every layer against the reference.
func runOnCortexM4(_ models: [(name: String, model: Model)], profiles: [NumericsProfile]) throws {
    let build = try #require(ArchOnTarget.all.first { $0.arch == .armdsp })
    for numerics in profiles {
        let harness = try Harness(models, arch: .armdsp, numerics: numerics)
        let inputs = harness.seededInputs(count: 3)
        try build.runAndCompare(harness, inputs: inputs, expected: try harness.expectedTranscript(inputs))
    }
}

/// armdsp's tap pairs for CONV2D layers of one input channel (conv2d_s8_tap_pairs) on the
/// Cortex-M4F: random models with such a layer (strides, padding, dilated rows, any kernel size),
/// and each of them with every weight -128, match the reference.
@Suite(
    "armdsp tap pairs for layers of one input channel, under QEMU",
    .enabled(if: ArchOnTarget.all.contains { $0.arch == .armdsp }, "needs arm-none-eabi-gcc and qemu-system-arm"))
struct TapPairTests {
    @Test func oneChannelLayersMatchOnCortexM4() throws {
        let models = try armdspModels(taking: "tap pairs", named: "taps", seeds: 7000..<7600, count: 6) {
            $0.contains(".one_channel = 1") || $0.contains(".one_channel = 2")
        }
        try runOnCortexM4(models, profiles: [.tinymaix])
    }
}

/// armdsp's channel-by-channel depthwise kernel (dwconv2d_hwc_s8_planes) on the Cortex-M4F: random
/// models with a 3x3 stride-1 DWCONV2D layer that takes it (any padding and channel count), each
/// also with every weight -128, match the reference in both numerics profiles.
@Suite(
    "armdsp depthwise planes, under QEMU",
    .enabled(if: ArchOnTarget.all.contains { $0.arch == .armdsp }, "needs arm-none-eabi-gcc and qemu-system-arm"))
struct DepthwisePlaneTests {
    @Test func depthwisePlanesMatchOnCortexM4() throws {
        let models = try armdspModels(taking: "planes", named: "planes", seeds: 7600..<12000, count: 6) {
            $0.contains("dwconv2d_hwc_s8_planes(&")
        }
        try runOnCortexM4(models, profiles: [.tinymaix, .integer])
    }
}

/// The two-pixel dot over windows longer than armdsp lays out at once (conv2d_s8_pair_parts) on the
/// Cortex-M4F: random models with a CONV2D window of more than 256 values, each also with every
/// weight -128, match the reference in both numerics profiles. cifar10_q's 5x5x32 windows take it too
/// (SharedModelArchBackendTests).
@Suite(
    "armdsp two-pixel dot in parts, under QEMU",
    .enabled(if: ArchOnTarget.all.contains { $0.arch == .armdsp }, "needs arm-none-eabi-gcc and qemu-system-arm"))
struct PairPartsTests {
    @Test func longWindowsMatchOnCortexM4() throws {
        let models = try armdspModels(
            taking: "windows in parts", named: "parts", seeds: 12000..<16000, count: 4, sizes: [.medium]
        ) { $0.contains("#define CONV2D_S8_PARTS 1") }
        try runOnCortexM4(models, profiles: [.tinymaix, .integer])
    }
}

/// The planes kernel writes channel by channel, not in raster order: the generator must keep it off
/// layers whose output the arena plan puts over their input, and off other arches; and off planes too
/// small to repay its setup per channel.
@Suite("Depthwise planes are chosen only where the arena plan allows them and the planes repay them")
struct DepthwisePlaneChoiceTests {
    @Test func planesOnlyForLayersOutsideTheirInput() throws {
        var planes = 0, inPlace = 0, small = 0
        for seed in UInt64(7600)..<12000 where planes < 8 || inPlace < 1 || small < 2 {
            let model = RandomModelBuilder(type: .int8, size: seed % 2 == 0 ? .tiny : .medium).model(seed: seed)
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "m", arch: .armdsp))
            if seed % 16 == 0 {
                let cpu = try CodeGenerator.generate(model, options: CodegenOptions(name: "m", arch: .cpu))
                #expect(!cpu.source.contains("_planes("))
            }
            for (index, layer) in model.layers.enumerated() {
                guard case .depthwiseConv2D(let conv, depthMultiplier: 1) = layer.operation else { continue }
                let output = model.layers[index].outputShape
                let shaped = conv.kernelHeight == 3 && conv.kernelWidth == 3 && conv.strideHeight == 1
                    && conv.strideWidth == 1 && conv.dilationHeight == 1 && conv.dilationWidth == 1
                let eligible = shaped && output.height * output.width >= Arch.depthwisePlaneMinimumPixels
                let runsInPlace = code.plan.inPlaceLayers.contains(index)
                let takesPlanes = code.source.contains("dwconv2d_hwc_s8_planes(&layer\(index),")
                #expect(takesPlanes == (eligible && !runsInPlace), "seed \(seed), layer \(index)")
                planes += takesPlanes ? 1 : 0
                inPlace += eligible && runsInPlace ? 1 : 0
                small += shaped && !eligible && !runsInPlace ? 1 : 0
            }
        }
        #expect(
            planes >= 8 && inPlace >= 1 && small >= 2,
            "the seeds give \(planes) layers in planes, \(inPlace) eligible in place and \(small) too small")
    }
}

@Suite(
    "Arch backends on their own instruction sets, under QEMU: the shared models",
    .enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason),
    .enabled(if: !ArchOnTarget.all.isEmpty, "needs the cross compilers and QEMU (make deps installs them)"))
struct SharedModelArchBackendTests {
    @Test(arguments: ArchOnTarget.all)
    func sharedModelsMatchTheReference(_ build: ArchOnTarget) throws {
        let names = GoldenFile.int8AndFloatModels
        let models = try names.map { (CIdentifier.sanitized(fileName: $0), try ModelReader.load(path: try SharedModels.path($0)).model) }
        let tinymaix = try Harness(models, arch: build.arch)
        let inputs = tinymaix.seededInputs(count: 2)
        try build.runAndCompare(tinymaix, inputs: inputs, expected: try tinymaix.expectedTranscript(inputs))
        print("\(build.testDescription): \(names.count) shared models, tinymaix profile, 2 cases each, every layer equal")
    }

    /// The integer profile against TFLite's reference kernels directly: every golden-tflite case.
    @Test(arguments: ArchOnTarget.all)
    func integerProfileMatchesTFLite(_ build: ArchOnTarget) throws {
        let goldens = try TFLiteGoldenFile.withTMDLModels.map { try TFLiteGoldenFile.load($0) }
        let models = try goldens.map { try $0.loadModel() }
        let harness = try Harness(
            zip(TFLiteGoldenFile.withTMDLModels, models).map { (CIdentifier.sanitized(fileName: $0 + "_integer"), $1) },
            arch: build.arch, numerics: .integer)
        let inputs = try zip(goldens, models).map { golden, model in try golden.cases.map { try $0.input.modelInput(for: model) } }
        var expected = ""
        for (entry, golden) in zip(harness.entries, goldens) {
            expected += "model \(entry.code.name)\n"
            for goldenCase in golden.cases {
                expected += goldenCase.hashes(layerCount: entry.model.layers.count)
                    .enumerated().map { "layer \($0) \($1 ?? "missing")\n" }.joined()
                expected += "output \(FNV1a64.hex(goldenCase.expectedOutput.fnv1a64))\n"
            }
        }
        try build.runAndCompare(harness, inputs: inputs, expected: expected)
        let cases = goldens.map(\.cases.count).reduce(0, +)
        print("\(build.testDescription): integer profile, \(cases) golden-tflite cases equal to TFLite, every layer")
    }
}
