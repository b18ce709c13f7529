import TMDLFormat
import TMDLPlan
import TMDLReference

/// Where the activation arena lives.
public enum ArenaPlacement: String, CaseIterable, Sendable {
    /// A static, 8-byte-aligned array inside the generated file.
    case staticArena = "static"
    /// The caller passes NAME_ARENA_BYTES of 8-byte-aligned memory to every call.
    case caller
}

public struct CodegenOptions: Hashable, Sendable {
    /// Prefix of the generated API and the file names: NAME.h, NAME.c, NAME_run.
    public var name: String
    public var arch: Arch
    public var numerics: NumericsProfile
    public var arena: ArenaPlacement
    /// Whether the arena has a place for the model input (NAME_input_buffer), so that the caller
    /// needs no input buffer of its own and the first layers can run over it in place.
    public var inputInArena: Bool
    /// Shown in the files' first comment (only if it is a plain file name).
    public var modelFileName: String?

    public init(
        name: String, arch: Arch = .cpu, numerics: NumericsProfile = .tinymaix, arena: ArenaPlacement = .staticArena,
        inputInArena: Bool = true, modelFileName: String? = nil
    ) {
        self.name = name
        self.arch = arch
        self.numerics = numerics
        self.arena = arena
        self.inputInArena = inputInArena
        self.modelFileName = modelFileName
    }
}

/// The generated translation unit and its header.
public struct GeneratedCode: Hashable, Sendable {
    public var name: String
    public var arch: Arch
    /// What the code computes: the reference in this profile gives the same bytes.
    public var numerics: NumericsProfile
    public var header: String
    public var source: String
    public var plan: ArenaPlan
    public var arena: ArenaPlacement
    /// A C expression of the input's place in the arena, where a caller writes the input so that it
    /// needs no buffer of its own (with a caller's arena, in terms of NAME_run's `arena_memory`);
    /// nil when the input has no place in the arena.
    public var inputPlace: String?

    public var headerFileName: String { "\(name).h" }
    public var sourceFileName: String { "\(name).c" }
    /// The macro that compiles the per-layer debugging hook in.
    public var layerHookMacro: String { "\(name.uppercased())_ENABLE_LAYER_HOOK" }
}

/// Model -> one self-contained C99 file plus header: weights as const arrays, one
/// arena at planned offsets, and a run function that calls one kernel per layer
/// with literal parameters. Only numbers from the model reach the C source.
public enum CodeGenerator {
    public static let version = "0.1.0"

    public static func generate(_ model: Model, options: CodegenOptions) throws(CodegenError) -> GeneratedCode {
        if let problem = CIdentifier.problem(with: options.name) {
            throw .invalidName(options.name, reason: problem)
        }
        let dataflow: Dataflow
        do {
            // The C must compute what the reference computes, so it takes exactly the
            // models the reference takes.
            _ = try ReferenceInterpreter(model: model, numerics: options.numerics)
            dataflow = try Dataflow(model: model)
        } catch {
            throw .unsupportedModel("\(error)")
        }
        let plan = ArenaPlanner.plan(model, dataflow: dataflow, inputInArena: options.inputInArena)
        var emitter = FileEmitter(model: model, dataflow: dataflow, plan: plan, options: options)
        try emitter.emitLayers()
        return GeneratedCode(
            name: options.name, arch: options.arch, numerics: options.numerics, header: emitter.header(),
            source: emitter.source(), plan: plan, arena: options.arena, inputPlace: emitter.inputPlace)
    }
}

/// Writes the two files for one model.
private struct FileEmitter {
    let model: Model
    let dataflow: Dataflow
    let plan: ArenaPlan
    let options: CodegenOptions

    var name: String { options.name }
    var macro: String { options.name.uppercased() }
    var elementType: String { model.type == .int8 ? "int8_t" : "float" }
    var outputIndex: Int { model.outputLayerIndex! }
    /// The integer profile has none: dequantising is float arithmetic, which that profile avoids.
    var hasDequantizedEntry: Bool { model.type == .int8 && model.outputDequantized && options.numerics == .tinymaix }
    var arenaParameter: String { options.arena == .caller ? ", void *arena_memory" : "" }
    var usesArena: Bool { plan.arenaSize > 0 }
    /// A function gives the input's place in a static arena (a caller's arena has the offset macro).
    var hasInputBuffer: Bool { plan.inputOffset != nil && options.arena == .staticArena }
    var inputPlace: String? {
        guard plan.inputOffset != nil else { return nil }
        return hasInputBuffer
            ? "\(name)_input_buffer()"
            : "(\(elementType) *)(void *)((uint8_t *)arena_memory + \(macro)_INPUT_OFFSET)"
    }
    /// Each layer's emitted share, in order (filled once by `emitLayers`).
    var layers: [EmittedLayer] = []

    /// 4-byte words of stack scratch NAME_run needs: the largest any layer asks for.
    var scratchWords: Int { layers.map(\.scratchWords).max() ?? 0 }
    /// int16 values of stack scratch NAME_run needs: the largest any layer asks for.
    var scratchHalves: Int { layers.map(\.scratchHalves).max() ?? 0 }

    mutating func emitLayers() throws(CodegenError) {
        layers = []
        let bounded = options.numerics == .tinymaix ? BoundedOutputStage.form(for: model) : nil
        for (index, layer) in model.layers.enumerated() {
            let context = LayerContext(
                index: index, layer: layer, modelType: model.type, numerics: options.numerics, arch: options.arch,
                boundedOutputStage: bounded,
                inputQuantizations: dataflow.inputs[index].map { Dataflow.quantization(of: $0, in: model) },
                inputs: dataflow.inputs[index].map(pointer(to:)), output: pointer(toOutputOf: index),
                runsInPlace: plan.inPlaceLayers.contains(index))
            layers.append(try LayerEmitters.emit(context))
        }
    }

    /// A declarator of the layer hook's function-pointer type.
    func hookType(_ declarator: String) -> String {
        "void (*\(declarator))(void *context, int32_t layer, const void *output, int32_t bytes)"
    }

    /// The first comment of both files: what made them, from what, with which choices.
    func banner(_ fileName: String) -> String {
        let origin = options.modelFileName.flatMap(Self.printableFileName).map { " from \($0)" } ?? ""
        let fingerprint = FNV1a64.hex(FNV1a64.hash(ModelWriter.bytes(of: model)))
        return """
            /* \(fileName): generated by tmdl-codegen \(CodeGenerator.version)\(origin); do not edit.
             * Model: \(model.type), \(model.layers.count) layers, \(model.multiplyAccumulates) MACs, fingerprint \
            \(fingerprint) (FNV-1a-64 of the model bytes).
             * Arena: \(plan.arenaSize) bytes (\(options.arena.rawValue)); arch \(options.arch.rawValue); \
            numerics \(options.numerics.rawValue).
             * \(buildNote) */
            """
    }

    var buildNote: String {
        options.numerics == .integer
            ? "Integer arithmetic only: no floating-point operation, for cores without an FPU."
            : "Build with -ffp-contract=off: the float steps must not be fused to match the reference bit for bit."
    }

    /// Only names of plain characters may appear in a comment (no `*/`, no control characters).
    static func printableFileName(_ path: String) -> String? {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let plain = base.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
        }
        return plain && !base.isEmpty && base.count <= 80 ? base : nil
    }

    // MARK: header

    func header() -> String {
        let scratchBytes = 4 * scratchWords + 2 * scratchHalves
        let input = model.inputShape, output = model.outputShape
        var lines = [banner("\(name).h"), "#ifndef \(macro)_H", "#define \(macro)_H", "", "#include <stdint.h>", ""]
        lines += ["#ifdef __cplusplus", "extern \"C\" {", "#endif", ""]
        lines += [
            "#define \(macro)_INPUT_COUNT \(input.elementCount)",
            "#define \(macro)_INPUT_HEIGHT \(input.height)",
            "#define \(macro)_INPUT_WIDTH \(input.width)",
            "#define \(macro)_INPUT_CHANNELS \(input.channels)",
            "#define \(macro)_OUTPUT_COUNT \(output.elementCount)",
            "#define \(macro)_OUTPUT_HEIGHT \(output.height)",
            "#define \(macro)_OUTPUT_WIDTH \(output.width)",
            "#define \(macro)_OUTPUT_CHANNELS \(output.channels)",
        ]
        if model.type == .int8 {
            let inQ = model.inputQuantization, outQ = model.layers[outputIndex].outputQuantization
            lines += [
                "/* real = scale * (q - zero_point) */",
                "#define \(macro)_INPUT_SCALE \(CFormat.float(inQ.scale)) /* \(inQ.scale) */",
                "#define \(macro)_INPUT_ZERO_POINT (\(inQ.zeroPoint))",
                "#define \(macro)_OUTPUT_SCALE \(CFormat.float(outQ.scale)) /* \(outQ.scale) */",
                "#define \(macro)_OUTPUT_ZERO_POINT (\(outQ.zeroPoint))",
            ]
        }
        lines += [
            "#define \(macro)_ARENA_BYTES \(plan.arenaSize)",
        ]
        if let offset = plan.inputOffset {
            lines += ["/* Where the input may be written in the arena (then it needs no buffer of its own). */",
                      "#define \(macro)_INPUT_OFFSET \(offset)"]
        }
        lines += [
            "#define \(macro)_MACS \(model.multiplyAccumulates)",
            "#define \(macro)_LAYER_COUNT \(model.layers.count)",
            "/* Stack \(name)_run uses for scratch, beyond its own frame. */",
            "#define \(macro)_SCRATCH_BYTES \(scratchBytes)",
            "",
        ]
        let arenaNote =
            options.arena == .caller
            ? "arena_memory: \(macro)_ARENA_BYTES bytes, 8-byte aligned, kept by the caller during the call."
            : "Not reentrant: the arena is one static array."
        let inputNote =
            inputPlace.map {
                [" *   It may be its place in the arena (the run overwrites it),", " *   \($0),",
                 " *   or memory outside the arena."]
            } ?? []
        lines += [
            "/* One inference.",
            " * input: \(macro)_INPUT_COUNT values, HWC (channels fastest).",
        ]
        lines += inputNote
        lines += [
            " * output: \(macro)_OUTPUT_COUNT values.",
            " * Returns 0, or -1 if a pointer is NULL.",
            " * \(arenaNote) */",
            "int \(name)_run(const \(elementType) *input, \(elementType) *output\(arenaParameter));",
            "",
        ]
        if hasInputBuffer {
            lines += [
                "/* The input's place in the static arena: write \(macro)_INPUT_COUNT values here and pass it",
                " * to \(name)_run, and no input buffer is needed beside the arena. */",
                "\(elementType) *\(name)_input_buffer(void);",
                "",
            ]
        }
        if hasDequantizedEntry {
            lines += [
                "/* As \(name)_run, with the output dequantised: (float)(q - zero_point) * scale. */",
                "int \(name)_run_dequant(const int8_t *input, float *output\(arenaParameter));",
                "",
            ]
        }
        lines += [
            "/* Debugging: the hook sees every layer's output as soon as it is computed: its index,",
            " * its bytes (HWC) and their count. Compiled in only when \(name).c is built with",
            " * -D\(macro)_ENABLE_LAYER_HOOK. */",
            "typedef void (*\(name)_layer_hook)(void *context, int32_t layer, const void *output, int32_t bytes);",
            "void \(name)_set_layer_hook(\(name)_layer_hook hook, void *context);",
            "",
            "#ifdef __cplusplus",
            "}",
            "#endif",
            "",
            "#endif",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    // MARK: source

    /// C expression for the tensor a source produced.
    func pointer(to source: TensorSource) -> String {
        switch source {
        case .modelInput: return "input"
        case .layer(let index): return pointer(toOutputOf: index)
        }
    }

    func pointer(toOutputOf index: Int) -> String {
        plan.outputLocations[index] == .modelInput ? "input" : "AT(LAYER\(index)_OUTPUT)"
    }

    func comment(_ index: Int, _ layer: Layer) -> String {
        var text = "\(index) \(layer.kind) \(layer.inputShape) -> \(layer.outputShape)"
        switch layer.operation {
        case .conv2D(let conv), .depthwiseConv2D(let conv, _):
            text += ", \(conv.kernelHeight)x\(conv.kernelWidth) stride \(conv.strideHeight)x\(conv.strideWidth)"
            if conv.dilationHeight > 1 || conv.dilationWidth > 1 {
                text += " dilation \(conv.dilationHeight)x\(conv.dilationWidth)"
            }
            text += " pad \(conv.padding) \(conv.activation)"
            if case .depthwiseConv2D(_, let multiplier) = layer.operation, multiplier > 1 {
                text += " multiplier \(multiplier)"
            }
        case .reshape:
            text += ", same bytes"
        default:
            break
        }
        if layer.multiplyAccumulates > 0 { text += ", \(layer.multiplyAccumulates) MACs" }
        return "/* \(text) */"
    }

    func source() -> String {
        var kernels: Set<Kernel> = []
        var constants: [String] = []
        var body: [String] = []
        let elementSize = model.type.activationElementSize
        if scratchWords > 0 {
            let type = model.type == .int8 ? "int32_t" : "float"
            body.append("    \(type) scratch[\(scratchWords)]; /* a gathered window or a row of accumulators */")
        }
        if scratchHalves > 0 {
            body.append("    int16_t scratch16[\(scratchHalves)]; /* input rows or windows widened to int16 */")
        }
        for (index, (layer, emitted)) in zip(model.layers, layers).enumerated() {
            kernels.formUnion(emitted.kernels)
            constants += emitted.constants
            body.append("    " + comment(index, layer))
            body += emitted.statements.map { "    " + $0 }
            body.append(
                "    LAYER_DONE(\(index), \(pointer(toOutputOf: index)), \(layer.outputShape.elementCount * elementSize));")
        }
        let needed = Kernel.closure(of: kernels)

        var lines = [banner("\(name).c"), "#include <stdint.h>", "#include <string.h>"]
        if needed.contains(where: \.needsMath) { lines.append("#include <math.h>") }
        lines += [
            "",
            "/* After inlining the kernels with this model's constant shapes, gcc's loop analysis may claim that a",
            "   tail loop's far iterations read out of bounds, iterations the shapes never reach (seen with gcc 12",
            "   for ARM, AArch64 and RISC-V). Sanitizer runs find no out-of-bounds access. */",
            "#if defined(__GNUC__) && !defined(__clang__)",
            "#pragma GCC diagnostic ignored \"-Waggressive-loop-optimizations\"",
            "#endif",
            "",
            "/* Marks helpers a model may leave uncalled (the arch's dot products, the output stage's one- and",
            "   four-channel forms): they serve conv2d_s8's one-pixel loop, which models whose layers all take",
            "   another path compile out. gcc and clang drop them without a warning. */",
            "#if defined(__GNUC__) || defined(__clang__) || defined(__TINYC__)",
            "#define TMDL_MAYBE_UNUSED __attribute__((unused))",
            "#else",
            "#define TMDL_MAYBE_UNUSED",
            "#endif",
        ]
        lines += ["", "/* The API, as declared in \(name).h (this file stands alone). */"]
        lines.append("int \(name)_run(const \(elementType) *input, \(elementType) *output\(arenaParameter));")
        if hasDequantizedEntry {
            lines.append("int \(name)_run_dequant(const int8_t *input, float *output\(arenaParameter));")
        }
        if hasInputBuffer { lines.append("\(elementType) *\(name)_input_buffer(void);") }
        // The hook type is spelled out, not typedef'd: C99 forbids repeating the header's typedef
        // in a unit that includes both files.
        lines += ["void \(name)_set_layer_hook(", "    \(hookType("hook")), void *context);", ""]
        lines += needed.map { $0.source(for: options.arch) }
        lines += constants.flatMap { [$0, ""] }
        lines += arenaAndHook()
        lines += runFunction(body)
        if hasDequantizedEntry { lines += dequantizedRunFunction() }
        return lines.joined(separator: "\n") + "\n"
    }

    func arenaAndHook() -> [String] {
        var lines: [String] = []
        let offsets = model.layers.indices.compactMap { index -> String? in
            guard case .arena(let offset) = plan.outputLocations[index] else { return nil }
            return "LAYER\(index)_OUTPUT = \(offset)"
        }
        if !offsets.isEmpty {
            lines.append("/* Byte offsets of every layer's output in the arena (planned from liveness). */")
            lines.append("enum " + CFormat.initializerList(offsets) + ";")
            lines.append("")
        }
        if options.arena == .staticArena && usesArena {
            lines += [
                "/* The activation arena; the union aligns it to 8 bytes in plain C99. */",
                "static union {",
                "    uint64_t align;",
                "    \(elementType) data[\(plan.arenaSize / model.type.activationElementSize)];",
                "} arena_storage;",
                "",
            ]
        }
        if usesArena {
            lines += ["#define AT(offset) ((\(elementType) *)(void *)(arena + (offset)))", ""]
        }
        if hasInputBuffer, let offset = plan.inputOffset {
            lines += [
                "\(elementType) *\(name)_input_buffer(void)",
                "{",
                "    return (\(elementType) *)(void *)((uint8_t *)(void *)arena_storage.data + \(offset));",
                "}",
                "",
            ]
        }
        lines += [
            "#ifdef \(macro)_ENABLE_LAYER_HOOK",
            "static \(hookType("layer_hook"));",
            "static void *layer_hook_context;",
            "",
            "void \(name)_set_layer_hook(",
            "    \(hookType("hook")), void *context)",
            "{",
            "    layer_hook = hook;",
            "    layer_hook_context = context;",
            "}",
            "",
            "#define LAYER_DONE(index, output, bytes) \\",
            "    do { \\",
            "        if (layer_hook) { \\",
            "            layer_hook(layer_hook_context, (index), (output), (bytes)); \\",
            "        } \\",
            "    } while (0)",
            "#else",
            "#define LAYER_DONE(index, output, bytes) ((void)0)",
            "#endif",
            "",
        ]
        return lines
    }

    func runFunction(_ body: [String]) -> [String] {
        let outputCount = model.layers[outputIndex].outputShape.elementCount
        var lines = ["int \(name)_run(const \(elementType) *input, \(elementType) *output\(arenaParameter))", "{"]
        switch (options.arena, usesArena) {
        case (.staticArena, true):
            lines.append("    uint8_t *const arena = (uint8_t *)(void *)arena_storage.data;")
            lines += ["    if (input == NULL || output == NULL) {", "        return -1;", "    }"]
        case (.caller, true):
            lines.append("    uint8_t *const arena = (uint8_t *)arena_memory;")
            lines += ["    if (input == NULL || output == NULL || arena == NULL) {", "        return -1;", "    }"]
        case (_, false):
            // Every layer is a RESHAPE of the input: nothing is computed, nothing needs an arena.
            if options.arena == .caller { lines.append("    (void)arena_memory;") }
            lines += ["    if (input == NULL || output == NULL) {", "        return -1;", "    }"]
        }
        lines += body
        lines.append("    memcpy(output, \(pointer(toOutputOf: outputIndex)), \(outputCount) * sizeof(\(elementType)));")
        lines += ["    return 0;", "}", ""]
        return lines
    }

    func dequantizedRunFunction() -> [String] {
        let passArena = options.arena == .caller ? ", arena_memory" : ""
        return [
            "int \(name)_run_dequant(const int8_t *input, float *output\(arenaParameter))",
            "{",
            "    int8_t raw[\(model.outputShape.elementCount)];",
            "    const int status = \(name)_run(input, raw\(passArena));",
            "    if (status != 0 || output == NULL) {",
            "        return status != 0 ? status : -1;",
            "    }",
            "    for (int32_t i = 0; i < \(model.outputShape.elementCount); i++) {",
            "        output[i] = (float)(raw[i] - (\(model.layers[outputIndex].outputQuantization.zeroPoint))) * "
                + "\(CFormat.float(model.layers[outputIndex].outputQuantization.scale));",
            "    }",
            "    return 0;",
            "}",
            "",
        ]
    }
}
