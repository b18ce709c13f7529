import Foundation
import TMDLEmit
import TMDLFormat
import EmulationSupport

/// One generated model built into a small program that runs one inference on the golden
/// files' first seeded input, through `measured_run` (noipa, so no compiler folds it into
/// its caller), then calls `measured_end`: counters measure from one entry to the other.
struct MeasuredRun {
    let code: GeneratedCode
    let model: Model
    let folder: URL

    /// Writes NAME.h, NAME.c and driver.c into `folder`.
    init(_ code: GeneratedCode, model: Model, folder: URL) throws {
        self.code = code
        self.model = model
        self.folder = folder
        try code.header.write(to: file(code.headerFileName), atomically: true, encoding: .utf8)
        try code.source.write(to: file(code.sourceFileName), atomically: true, encoding: .utf8)
        try driver.write(to: file("driver.c"), atomically: true, encoding: .utf8)
    }

    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// The C files to compile, and the include flag they need.
    var sources: [String] { ["-I", folder.path, file("driver.c").path, file(code.sourceFileName).path] }

    var driver: String {
        let type = model.type == .int8 ? "int8_t" : "float"
        let macro = code.name.uppercased()
        let place = code.inputPlace ?? "input"  // the benchmark builds use the static arena
        return """
            #include <stddef.h>
            #include <stdio.h>
            #include <string.h>
            #include "\(code.headerFileName)"

            __attribute__((noipa)) int measured_run(const \(type) *input, \(type) *output)
            {
                return \(code.name)_run(input, output);
            }

            __attribute__((noipa)) void measured_end(void)
            {
            }

            #ifdef \(code.layerHookMacro)
            /* The per-layer profile marks each entry of this hook. */
            __attribute__((noipa)) static void measured_layer(void *context, int32_t layer, const void *output, int32_t bytes)
            {
                (void)context;
                (void)layer;
                (void)output;
                (void)bytes;
            }
            #endif

            #ifdef MEASURE_STACK
            /* Stack painting: MEASURE_STACK bytes below the caller's frame are filled with a pattern
               before the run; the lowest byte the run changed gives its stack depth. */
            static unsigned char *painted_top;

            __attribute__((noipa)) static void paint_stack(unsigned char *top)
            {
                painted_top = top;
                for (volatile unsigned char *p = top - MEASURE_STACK; p < top; p++) {
                    *p = 0xA5;
                }
            }

            __attribute__((noipa)) static long stack_depth(void)
            {
                volatile unsigned char *p = painted_top - MEASURE_STACK;
                while (p < painted_top && *p == 0xA5) {
                    p++;
                }
                return (long)(painted_top - (unsigned char *)p);
            }
            #endif

            int main(void)
            {
                static \(type) input[\(macro)_INPUT_COUNT];
                static \(type) output[\(macro)_OUTPUT_COUNT];
                uint32_t x = 1;
                for (int i = 0; i < \(macro)_INPUT_COUNT; i++) {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    input[i] = (\(type))\(model.type == .int8 ? "(int8_t)(x >> 24)" : "(x >> 8) / 16777216.0f");
                }
                /* The input where the product's users put it: its place in the arena, if it has one. */
                \(type) *const place = \(place);
                if (place != input) {
                    memcpy(place, input, sizeof input);
                }
            #ifdef \(code.layerHookMacro)
                \(code.name)_set_layer_hook(measured_layer, NULL);
            #endif
            #ifdef MEASURE_STACK
                /* 256 bytes of headroom below main's frame for paint_stack's own frame. */
                paint_stack((unsigned char *)__builtin_frame_address(0) - 256);
            #endif
                const int status = measured_run(place, output);
                measured_end();
            #ifdef MEASURE_STACK
                printf("stack %ld\\n", stack_depth());
            #endif
                return status + (int)output[0] * 0;
            }

            """
    }
}
