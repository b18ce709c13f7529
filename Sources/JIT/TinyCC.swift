import CTCC
import Foundation

/// A compile error from libtcc, with its "file:line: error: ..." messages.
public struct JITError: Error, Hashable, Sendable, CustomStringConvertible {
    public var stage: String
    public var messages: [String]

    public var description: String {
        "libtcc could not \(stage): " + (messages.isEmpty ? "no message" : messages.joined(separator: "; "))
    }
}

/// C compiled into this process's memory by libtcc. Symbols are valid only inside
/// the closure given to `TinyCC.compile`, which holds the process-wide lock for the
/// state's whole life (libtcc's relocation is not thread-safe; see docs/targets.md).
public struct CompiledModule {
    fileprivate let state: OpaquePointer

    /// The address of a global symbol, or nil.
    public func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        tcc_get_symbol(state, name)
    }

    /// A C function, typed (the type must be a `@convention(c)` function type).
    public func function<F>(_ name: String, as type: F.Type) -> F? {
        symbol(name).map { unsafeBitCast($0, to: type) }
    }
}

/// In-process C compilation with libtcc.
public enum TinyCC {
    private static let lock = NSLock()

    /// Compiles `source` in memory and runs `body` with the result; everything
    /// libtcc allocated is freed when `body` returns. `fileName` names the source
    /// in error messages; `defines` are `-D` macros; `options` are tcc flags.
    public static func compile<Result>(
        _ source: String, fileName: String = "generated.c", defines: [String: String] = [:],
        options: String = "-Wall -Werror", _ body: (CompiledModule) throws -> Result
    ) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        guard let state = tcc_new() else { throw JITError(stage: "start", messages: ["tcc_new failed"]) }
        defer { tcc_delete(state) }

        let messages = CompilerMessages()
        let opaque = Unmanaged.passUnretained(messages).toOpaque()
        tcc_set_error_func(state, opaque) { opaque, message in
            guard let opaque, let message else { return }
            Unmanaged<CompilerMessages>.fromOpaque(opaque).takeUnretainedValue().lines.append(String(cString: message))
        }
        tcc_set_options(state, options)
        for (name, value) in defines.sorted(by: { $0.key < $1.key }) { tcc_define_symbol(state, name, value) }
        tcc_set_output_type(state, TCC_OUTPUT_MEMORY)
        // The #line directive makes libtcc's messages name the file instead of "<string>".
        guard tcc_compile_string(state, "#line 1 \"\(fileName)\"\n" + source) == 0 else {
            throw JITError(stage: "compile \(fileName)", messages: messages.lines)
        }
        // TCC_RELOCATE_AUTO is the macro (void *)1, which does not import into Swift.
        guard tcc_relocate(state, UnsafeMutableRawPointer(bitPattern: 1)) >= 0 else {
            throw JITError(stage: "link \(fileName)", messages: messages.lines)
        }
        return try body(CompiledModule(state: state))
    }
}

/// Collects libtcc's error callback messages.
private final class CompilerMessages {
    var lines: [String] = []
}
