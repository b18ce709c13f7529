import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// The generated files are a product: deterministic, within 120 columns, self-contained.
@Suite("Generated source")
struct GeneratedSourceTests {
    static let snapshotFolder = SharedFixtures.packageRoot.appendingPathComponent("Tests/Snapshots/digits")

    func exampleModel() throws -> Model {
        try ModelReader.load(path: SharedFixtures.packageRoot.appendingPathComponent("Examples/digits/digits.tmdl").path).model
    }

    @Test func matchesTheCommittedSnapshot() throws {
        let code = try CodeGenerator.generate(
            try exampleModel(), options: CodegenOptions(name: "digits", modelFileName: "digits.tmdl"))
        for (file, text) in [("digits.h", code.header), ("digits.c", code.source)] {
            let path = Self.snapshotFolder.appendingPathComponent(file).path
            let snapshot = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if snapshot != text {
                let fresh = try Shell.temporaryFolder("snapshot").appendingPathComponent(file).path
                try text.write(toFile: fresh, atomically: true, encoding: .utf8)
                let diff = try Shell.run("/usr/bin/diff", ["-u", path, fresh]).stdout
                Issue.record("\(file) differs from Tests/Snapshots/digits (run make snapshots if intended):\n\(diff)")
            }
        }
    }

    @Test(arguments: NumericsProfile.allCases, Arch.allCases)
    func isDeterministic(numerics: NumericsProfile, arch: Arch) throws {
        let model = RandomModelBuilder(type: .int8, size: .medium).model(seed: 5)
        let options = CodegenOptions(name: "m", arch: arch, numerics: numerics)
        let first = try CodeGenerator.generate(model, options: options)
        let second = try CodeGenerator.generate(model, options: options)
        #expect(first == second)
    }

    @Test(arguments: [(ModelType.int8, NumericsProfile.tinymaix), (.float32, .tinymaix), (.int8, .integer)], Arch.allCases)
    func linesFitIn120ColumnsAndOnlyStandardHeadersAreIncluded(_ kind: (ModelType, NumericsProfile), arch: Arch) throws {
        let (type, numerics) = kind
        for seed in 0..<UInt64(60) {
            let model = RandomModelBuilder(type: type, size: seed % 2 == 0 ? .tiny : .medium).model(seed: seed)
            let options = CodegenOptions(name: "a_rather_long_model_name_x", arch: arch, numerics: numerics)
            let code = try CodeGenerator.generate(model, options: options)
            for text in [code.header, code.source] {
                let long: [String] = text.split(separator: "\n").map(String.init).filter { $0.count > 120 }
                #expect(long.isEmpty, "seed \(seed): \(long.first ?? "")")
            }
            let includes = code.source.split(separator: "\n").filter { $0.hasPrefix("#include") }
            var allowed: Set<String> = ["#include <stdint.h>", "#include <string.h>"]
            if numerics == .tinymaix { allowed.insert("#include <math.h>") }
            switch arch {
            case .neon: allowed.insert("#include <arm_neon.h>")
            case .armdsp: allowed.insert("#include <arm_acle.h>")
            case .cpu, .rv32p: break
            }
            #expect(Set(includes.map(String.init)).isSubset(of: allowed))
            #expect(!code.source.contains("\t"))
        }
    }

    @Test func onlyTheKernelsAModelUsesAreEmitted() throws {
        let code = try CodeGenerator.generate(TestModels.smallInt8(), options: CodegenOptions(name: "small"))
        #expect(code.source.contains("static void conv2d_s8("))
        #expect(!code.source.contains("dwconv2d_s8"))
        #expect(!code.source.contains("add_s8"))
        #expect(!code.source.contains("_f32_layer"))  // no fp32 layer kernel (exp_f32 serves int8 softmax)
    }

    /// The depthwise tap list is compiled in only for models with a layer (depth multiplier 1)
    /// that is not 3x3 undilated with whole blocks of 8 channels; the random models have both kinds.
    @Test func depthwiseTapListOnlyWhereALayerNeedsIt() throws {
        var seen: Set<Bool> = []
        for seed in UInt64(5000)..<5200 {
            let model = RandomModelBuilder(type: .int8, size: .medium).model(seed: seed)
            let layers = model.layers.compactMap { layer -> (Convolution, Int)? in
                guard case .depthwiseConv2D(let conv, depthMultiplier: 1) = layer.operation else { return nil }
                return (conv, layer.outputShape.channels)
            }
            guard !layers.isEmpty else { continue }
            let needed = layers.contains { conv, channels in
                conv.kernelHeight != 3 || conv.kernelWidth != 3 || conv.dilationHeight != 1 || conv.dilationWidth != 1
                    || channels % 8 != 0
            }
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: "taps", arch: .neon))
            #expect(code.source.contains("#define DWCONV2D_HWC_S8_TAP_LIST 1") == needed, "seed \(seed)")
            seen.insert(needed)
        }
        #expect(seen == [false, true], "seeds 5000..<5200 no longer give both kinds of model: widen the search")
    }

    /// The fp32 convolution's paths: windows read in place, windows gathered where a pixel pair
    /// reaches the padding (the call passes `windows`), and outputs staged where the layer runs over
    /// its input with more than one block of channels (it passes `stage`). The random fp32 models RandomModelVerificationTests checks bit for bit
    /// (seeds 1000 on, tiny and medium) reach all three.
    @Test func randomFloatModelsReachEveryConvolutionPath() throws {
        var sources: [String] = []
        for (size, count) in [(RandomModelBuilder.Size.tiny, 160), (.medium, 60)] {
            for seed in 1000..<UInt64(1000 + count) {
                let model = RandomModelBuilder(type: .float32, size: size).model(seed: seed)
                sources.append(try CodeGenerator.generate(model, options: CodegenOptions(name: "m")).source)
            }
        }
        let calls = sources.flatMap { $0.split(separator: "\n").filter { $0.hasPrefix("    conv2d_f32(&") } }
        let gathering = calls.filter { !$0.contains("(float *)0, (float *)") }
        let staging = calls.filter { !$0.hasSuffix("(float *)0);") }
        #expect(calls.count > gathering.count && !gathering.isEmpty && !staging.isEmpty)
    }

    /// conv2d_s8's one-pixel loop is compiled in only for models with an int8 CONV2D layer that takes
    /// neither the two-pixel dot (`two_pixels = 0`) nor the one-channel path, on the arches
    /// whose dot the generator decides (cpu's decides per build, so it keeps the loop). The random
    /// models have both kinds.
    @Test func onePixelLoopOnlyWhereALayerNeedsIt() throws {
        var seen: Set<Bool> = []
        for seed in UInt64(5000)..<5100 {
            let model = RandomModelBuilder(type: .int8, size: .medium).model(seed: seed)
            for arch in [Arch.armdsp, .neon] {
                let options = CodegenOptions(name: "pixels", arch: arch)
                let source = try CodeGenerator.generate(model, options: options).source
                let needed = source.components(separatedBy: "struct conv2d_s8_layer ").dropFirst().contains { text in
                    let fields = text.prefix { $0 != ";" }
                    return fields.contains(".two_pixels = 0") && fields.contains(".one_channel = 0")
                }
                #expect(source.contains("#define CONV2D_S8_ONE_PIXEL 1") == needed, "seed \(seed), \(arch)")
                seen.insert(needed)
            }
        }
        #expect(seen == [false, true], "seeds 5000..<5100 no longer give both kinds of model: widen the search")
    }

    /// NEON sums two products in an int16 in two kernels: the two-pixel dot (CONV2D) and the
    /// depthwise taps taken in pairs. A pair is at most 128 * 127 * 2 = 32,512 only without a -128
    /// weight, so each is chosen only for layers without one. The extreme models ArchBackendTests
    /// runs under QEMU (every weight -127, inputs of -128) reach both.
    @Test func int16PairSumsOnlyWhereTwoProductsFit() throws {
        func neon(_ model: Model) throws -> String {
            try CodeGenerator.generate(model, options: CodegenOptions(name: "pairs", arch: .neon)).source
        }
        let models = try extremeWeightCandidates().map(\.model)
        let reaching = try models.map { try neon(withExtremeWeights($0, weight: -127)) }.joined()
        #expect(reaching.contains(".paired = 1"))
        #expect(twoPixelConvolutionLayers(reaching) > 0)
        let refused = try models.map { try neon(withExtremeWeights($0, weight: -128)) }.joined()
        #expect(refused.contains(".paired = 0") && !refused.contains(".paired = 1"))
        #expect(twoPixelConvolutionLayers(refused) == 0)
        // armdsp's two-pixel dot keeps its sums in int32: -128 weights do not stop it.
        let armdsp = try models.map {
            let options = CodegenOptions(name: "pairs", arch: .armdsp)
            return try CodeGenerator.generate(withExtremeWeights($0, weight: -128), options: options).source
        }.joined()
        #expect(twoPixelConvolutionLayers(armdsp) > 0 && !armdsp.contains(".paired ="))
    }

    /// cpu's two-pixel dot takes every undilated window up to 2,048 values (its scratch limit).
    /// Where it pads windows with zeros (SSE2, NEON), a channel's padded values read the next
    /// channel's weights: so the weights are not padded, only followed by the zeros the last
    /// channel reads (ASan checks the reads).
    @Test func cpuTwoPixelDotPadsWindowsNotWeights() throws {
        var tails = 0
        for seed in UInt64(5000)..<5100 {
            let model = RandomModelBuilder(type: .int8, size: .medium).model(seed: seed)
            let source = try CodeGenerator.generate(model, options: CodegenOptions(name: "pairs")).source
            for (index, layer) in model.layers.enumerated() {
                guard case .conv2D(let conv) = layer.operation, conv.dilationWidth == 1,
                    layer.outputShape.channels % 4 == 0, layer.outputShape.width >= 2
                else { continue }
                let window = conv.kernelHeight * conv.kernelWidth * layer.inputShape.channels
                guard window <= 2048 else { continue }
                let tail = (window + 15) / 16 * 16 - window
                let count = layer.outputShape.channels * window + tail
                #expect(source.contains("layer\(index)_weights[\(count)]"), "seed \(seed), layer \(index)")
                if tail > 0 { tails += 1 }
            }
        }
        #expect(tails > 0, "seeds 5000..<5100 no longer give a window of other than whole blocks of 16")
    }

    @Test func nothingButNumbersComesFromTheModelFile() throws {
        let code = try CodeGenerator.generate(
            TestModels.smallInt8(), options: CodegenOptions(name: "small", modelFileName: "evil */ #include <x>.tmdl"))
        #expect(!code.source.contains("evil") && !code.header.contains("evil"))
        let plain = try CodeGenerator.generate(
            TestModels.smallInt8(), options: CodegenOptions(name: "small", modelFileName: "/some/dir/plain-name_1.tmdl"))
        #expect(plain.source.hasPrefix("/* small.c: generated by tmdl-codegen \(CodeGenerator.version) from plain-name_1.tmdl;"))
    }
}

@Suite("Names and literals")
struct NameAndLiteralTests {
    @Test(arguments: ["digits", "mbnet128", "x", "Model_2"])
    func validNamesAreAccepted(_ name: String) {
        #expect(CIdentifier.problem(with: name) == nil)
    }

    @Test(arguments: ["", "2digits", "my-model", "int", "_hidden", "naïve", "a b", String(repeating: "a", count: 41)])
    func invalidNamesAreRefusedWithAReason(_ name: String) throws {
        #expect(CIdentifier.problem(with: name) != nil)
        #expect(throws: CodegenError.self) { try CodeGenerator.generate(TestModels.smallInt8(), options: CodegenOptions(name: name)) }
    }

    @Test func fileNamesAreSanitisedPredictably() {
        #expect(CIdentifier.sanitized(fileName: "../shared/models/mbnet128_0.25_q.tmdl") == "mbnet128_0_25_q")
        #expect(CIdentifier.sanitized(fileName: "2-layer net.tmdl") == "model_2_layer_net")
        #expect(CIdentifier.sanitized(fileName: "int.tmdl") == "model_int")
        #expect(CIdentifier.problem(with: CIdentifier.sanitized(fileName: "évian...tmdl")) == nil)
    }
}

@Suite("Embedded templates")
struct EmbeddedTemplatesTests {
    /// The tool carries Templates/ compiled in; `make templates` refreshes the copy.
    @Test func embeddedCopyMatchesTemplatesFolder() throws {
        let python = try #require(Shell.which("python3"), "python3 is needed (make deps installs it)")
        let script = SharedFixtures.packageRoot.appendingPathComponent("Templates/embed.py").path
        let result = try Shell.run(python, [script, "--check"])
        #expect(result.status == 0, "Sources/Emit/EmbeddedTemplates.swift is stale: run make templates. \(result.stderr)")
    }

    /// No kernel converts a pointer to one of a wider type: an int16 or int32 view of memory declared
    /// as another type is undefined under C99's aliasing rules (gcc -O2 may reorder such accesses).
    /// Kernels take their scratch typed as they use it, and read other memory through memcpy.
    @Test func templatesConvertNoPointerToAWiderType() throws {
        let folder = SharedFixtures.packageRoot.appendingPathComponent("Templates")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".c") }
        #expect(files.count > 20)
        let cast = /\((const )?(u?int(16|32|64)_t|float|double) \*( ?const)?\)\s*[^0\s]/
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains(cast) {
                Issue.record("Templates/\(file) converts a pointer to a wider type: \(line)")
            }
        }
    }
}

@Suite("Limits of the generated kernels")
struct KernelLimitTests {
    /// One int8 CONV2D of one channel over `shape`, padded to keep its size.
    static func oneConvolution(_ shape: Shape, kernelHeight: Int, kernelWidth: Int, inputZeroPoint: Int32 = 0) -> Model {
        let conv = Convolution(
            kernelWidth: kernelWidth, kernelHeight: kernelHeight, strideWidth: 1, strideHeight: 1, activation: .none,
            padding: Padding(
                top: kernelHeight / 2, bottom: kernelHeight / 2, left: kernelWidth / 2, right: kernelWidth / 2),
            weightScales: [0.01], weights: .int8(Array(repeating: 1, count: kernelHeight * kernelWidth)),
            bias: .int32([0]))
        let offset = (shape.height * shape.width * shape.channels + 7) / 8 * 8
        let layer = Layer(
            isOutput: true, inputOffset: 0, outputOffset: offset, inputShape: shape, outputShape: shape,
            inputQuantization: Quantization(scale: 0.1, zeroPoint: inputZeroPoint),
            outputQuantization: Quantization(scale: 0.1, zeroPoint: 0), operation: .conv2D(conv))
        return Model(
            type: .int8, outputDequantized: false, bufferSize: 2 * offset, inputShape: shape, outputShape: shape,
            layers: [layer])
    }

    /// Generation's error for `model`, or nil if it generated.
    static func refusal(_ model: Model) -> String? {
        do {
            _ = try CodeGenerator.generate(model, options: CodegenOptions(name: "limit"))
            return nil
        } catch {
            return error.description
        }
    }

    /// A 1x3 convolution over 65,535 columns padded on both sides reads a band of 65,537
    /// columns: more than the kernels' 16-bit fields hold, so generation refuses it by name.
    @Test func aBandWiderThan16BitsIsRefusedNamingTheLayer() throws {
        let wide = Self.oneConvolution(Shape(height: 1, width: 65535, channels: 1), kernelHeight: 1, kernelWidth: 3)
        let message = Self.refusal(wide)
        #expect(message?.contains("layer 0 (CONV2D): band_w = 65537") == true, "\(message ?? "accepted")")
    }

    /// The kernels hold an input zero point in int16_t: a file with one outside int8 is refused
    /// by name, not truncated into padding of the wrong value.
    @Test func aZeroPointOutsideInt8IsRefusedNamingTheLayer() throws {
        let shape = Shape(height: 3, width: 3, channels: 1)
        let message = Self.refusal(Self.oneConvolution(shape, kernelHeight: 3, kernelWidth: 3, inputZeroPoint: 40000))
        #expect(
            message?.contains("layer 0 (CONV2D): in_zp 40000 is outside the int8 range") == true,
            "\(message ?? "accepted")")
    }
}
