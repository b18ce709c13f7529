import TMDLEmit
import TMDLFormat
import TMDLJIT
import TMDLReference

/// What one run of the generated C produced.
public struct GeneratedRun: Sendable {
    /// Every layer's output bytes, as the layer hook saw them.
    public var layerOutputs: [[UInt8]]
    public var output: TensorData
    /// NAME_run_dequant's output (int8 models with out_deq), else nil.
    public var dequantizedOutput: [Float]?
}

private typealias LayerHook = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeRawPointer?, Int32) -> Void
private typealias SetLayerHook = @convention(c) (LayerHook?, UnsafeMutableRawPointer?) -> Void
private typealias RunFunction = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32
private typealias InputBufferFunction = @convention(c) () -> UnsafeMutableRawPointer?

/// Collects the hook's calls during one run.
private final class LayerRecorder {
    var outputs: [[UInt8]] = []
}

public struct GeneratedCodeError: Error, CustomStringConvertible {
    public var description: String
}

/// Compiles generated code in process with libtcc (layer hook compiled in) and runs inputs through it.
public enum GeneratedRunner {
    /// Refuses an arch that libtcc cannot compile for this host (ARM intrinsics), saying where it runs.
    public static func requireInProcess(_ arch: Arch) throws(GeneratedCodeError) {
        guard !arch.runsOnHost else { return }
        throw GeneratedCodeError(
            description: "--arch \(arch.rawValue) cannot run in process: libtcc compiles for this host, and "
                + "\(arch.rawValue) code needs an ARM compiler and core. `make cross-test` verifies it under QEMU; "
                + "here, use " + Arch.allCases.filter(\.runsOnHost).map { "--arch \($0.rawValue)" }.joined(separator: " or ")
                + ".")
    }

    /// Runs every input through one compilation of `code`.
    public static func run(_ code: GeneratedCode, model: Model, inputs: [TensorData]) throws -> [GeneratedRun] {
        precondition(code.plan.outputLocations.count == model.layers.count)
        try requireInProcess(code.arch)
        return try TinyCC.compile(
            code.source, fileName: code.sourceFileName, defines: [code.layerHookMacro: "1"]
        ) { module in
            guard let run = module.function("\(code.name)_run", as: RunFunction.self),
                let setHook = module.function("\(code.name)_set_layer_hook", as: SetLayerHook.self)
            else { throw GeneratedCodeError(description: "\(code.sourceFileName) lacks \(code.name)_run or its hook") }
            let dequantized = module.function("\(code.name)_run_dequant", as: RunFunction.self)
            // The product's way in: the input written into its place in the arena, which the first
            // layers may overwrite in place; a fresh copy for every call.
            let inputBuffer = module.function("\(code.name)_input_buffer", as: InputBufferFunction.self)?()
            let recorder = LayerRecorder()
            let hook: LayerHook = { context, _, bytes, count in
                guard let context, let bytes else { return }
                let buffer = UnsafeRawBufferPointer(start: bytes, count: Int(count))
                Unmanaged<LayerRecorder>.fromOpaque(context).takeUnretainedValue().outputs.append(Array(buffer))
            }
            setHook(hook, Unmanaged.passUnretained(recorder).toOpaque())
            defer { setHook(nil, nil) }
            return try inputs.map { input in
                recorder.outputs = []
                let count = model.outputShape.elementCount
                let output: TensorData =
                    model.type == .int8
                    ? .int8(try invoke(run, "\(code.name)_run", input: input, through: inputBuffer, count: count, zero: Int8(0)))
                    : .float32(try invoke(run, "\(code.name)_run", input: input, through: inputBuffer, count: count, zero: Float(0)))
                let floats = try dequantized.map {
                    try invoke($0, "\(code.name)_run_dequant", input: input, through: inputBuffer, count: count, zero: Float(0))
                }
                // run_dequant runs the layers again; keep the first run's trace.
                let layers = Array(recorder.outputs.prefix(model.layers.count))
                return GeneratedRun(layerOutputs: layers, output: output, dequantizedOutput: floats)
            }
        }
    }

    /// Calls a `NAME_run`-shaped C function on `input` (copied to `inputBuffer` first, if given)
    /// and returns its `count` outputs.
    private static func invoke<Element>(
        _ function: RunFunction, _ name: String, input: TensorData, through inputBuffer: UnsafeMutableRawPointer?,
        count: Int, zero: Element
    ) throws -> [Element] {
        var values = [Element](repeating: zero, count: count)
        let status = input.withUnsafeRawBytes { inBytes in
            var source = inBytes.baseAddress
            if let inputBuffer, let bytes = inBytes.baseAddress {
                inputBuffer.copyMemory(from: bytes, byteCount: inBytes.count)
                source = UnsafeRawPointer(inputBuffer)
            }
            return values.withUnsafeMutableBytes { function(source, $0.baseAddress) }
        }
        guard status == 0 else { throw GeneratedCodeError(description: "\(name) returned \(status)") }
        return values
    }
}

extension TensorData {
    func withUnsafeRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .int8(let values): return try values.withUnsafeBytes(body)
        case .float32(let values): return try values.withUnsafeBytes(body)
        }
    }
}
