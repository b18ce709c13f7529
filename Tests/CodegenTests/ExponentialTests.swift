import Foundation
import TestSupport
import Testing

/// armdsp's exp_f32 (Templates/kernels/exp_f32_integer.c) computes the reference's
/// (float)exp((double)d) in integers. Built for the host, it must return the C library's float
/// for every value it is given; the whole range [-87, 0] (1.1e9 floats) was checked once that
/// way, and this test walks a stride of it under UBSan.
@Suite("Exponential in integer arithmetic")
struct ExponentialTests {
    static let harness = #"""
        #include <stdint.h>
        #include <stdio.h>
        #include <string.h>
        #include <math.h>
        static long library_calls;
        #define exp(x) (library_calls++, exp(x))
        #include TEMPLATE
        #undef exp

        static long values, mismatches;

        static void check(uint32_t bits)
        {
            float d, want, got;
            memcpy(&d, &bits, sizeof d);
            want = (float)exp((double)d);
            got = exp_f32(d);
            values++;
            if (memcmp(&want, &got, sizeof want) != 0 && mismatches++ < 5) {
                printf("mismatch: d = %a, exp gives %a, exp_f32 %a\n", d, want, got);
            }
        }

        int main(void)
        {
            /* -0 to -87 (0xC2AE0000) by a stride prime to the float layout, then the floats beside
               the bounds of the integer path (-87, -2^-30, -0) and beyond them (NaN, infinity). */
            for (uint64_t bits = 0x80000000u; bits <= 0xC2AE0000u; bits += 61) {
                check((uint32_t)bits);
            }
            const long near_midpoints = library_calls;
            const uint32_t edges[] = {0xC2AE0000u, 0xB0800000u, 0x80000000u, 0x00000000u, 0xFF800000u, 0x7FC00000u};
            for (int e = 0; e < 6; e++) {
                for (int32_t k = -2000; k <= 2000; k++) {
                    check(edges[e] + (uint32_t)k);
                }
            }
            printf("%ld %ld %ld\n", values, mismatches, near_midpoints);
            return 0;
        }
        """#

    @Test func integerExpMatchesTheCLibraryEverywhere() throws {
        let compiler = try #require(Shell.which("cc") ?? Shell.which("gcc"), "a host C compiler is needed (make deps)")
        let folder = try Shell.temporaryFolder("exp-f32")
        defer { try? FileManager.default.removeItem(at: folder) }
        let template = SharedFixtures.packageRoot.appendingPathComponent("Templates/kernels/exp_f32_integer.c").path
        let source = folder.appendingPathComponent("check.c")
        try Self.harness.write(to: source, atomically: true, encoding: .utf8)
        let program = folder.appendingPathComponent("check").path
        let build = try Shell.run(compiler, [
            "-std=c99", "-O1", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror",
            "-fsanitize=undefined", "-fno-sanitize-recover=all", "-DTEMPLATE=\"\(template)\"",
            source.path, "-o", program, "-lm",
        ])
        try #require(build.status == 0, "the harness does not build: \(build.stderr)")
        let run = try Shell.run(program, [])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        let counts = try #require(lines.last, "no output").split(separator: " ").compactMap { Int($0) }
        try #require(counts.count == 3, "unexpected output: \(run.stdout)")
        #expect(counts[1] == 0, "exp_f32 differs from the C library: \(run.stdout)")
        #expect(counts[0] > 18_000_000)
        // The stride meets values near a midpoint, which take the library's path: both are checked.
        #expect(counts[2] > 0)
        print("exp_f32: \(counts[0]) floats, \(counts[1]) differ from (float)exp((double)d); \(counts[2]) near a midpoint")
    }
}
