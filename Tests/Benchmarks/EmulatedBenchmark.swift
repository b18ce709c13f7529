import EmulationSupport
import Foundation
import TMDLEmit
import TMDLFormat
import TMDLReference

/// Instructions of one NAME_run on every emulated target, for each arch the target runs and both
/// numerics profiles, counted by the project's QEMU plugin (Tests/Emulation/icount.c) from the
/// entry of `measured_run` to the entry of `measured_end`; then the generated object's code size
/// per arch. rv32p is sized but not counted: QEMU does not execute the P extension, and its C
/// model's count would measure the model, not the instructions.
enum EmulatedBenchmark {
    static let profiles: [NumericsProfile] = [.tinymaix, .integer]

    static func run(models: [String]) throws {
        let folder = try GeneratedCodeBenchmark.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = try EmulatedTarget.buildPlugin(into: folder)
        let int8Models = try models.filter { try load($0).type == .int8 }
        for target in EmulatedTarget.all {
            let arches = target.arches.filter { $0 != .rv32p }
            print("\n\(target.name): instructions of one NAME_run (QEMU plugin), and per MAC")
            if !target.tinymaixInstructions.isEmpty {
                print("TinyMaix: its interpreter's best build on this target, as the arch-backend issue measured it")
            }
            var header = ["model", "MACs"]
            for arch in arches { for numerics in profiles { header += ["\(arch.rawValue) \(numerics.rawValue)", "/MAC"] } }
            header += ["TinyMaix", "vs \(arches.last!.rawValue) tinymaix", "goal (3x)"]
            var table = [header]
            for name in int8Models {
                let model = try load(name)
                var cells = [name, "\(model.multiplyAccumulates)"]
                var last = 0.0
                for arch in arches {
                    for numerics in profiles {
                        let count = try measure(model, name: name, arch: arch, numerics: numerics, on: target, plugin: plugin)
                        cells += [GeneratedCodeBenchmark.format(count), String(format: "%.2f", count / Double(model.multiplyAccumulates))]
                        if numerics == .tinymaix { last = count }
                    }
                }
                cells += GeneratedCodeBenchmark.comparison(last, tinymaix: target.tinymaixInstructions[name])
                table.append(cells)
            }
            printTable(table)
        }
        try printCodeSizes(int8Models)
        try printMemory(int8Models)
    }

    /// Instructions per layer of one NAME_run: the layer hook compiled in, its entries marked.
    static func profileLayers(_ name: String, target key: String, arch: Arch, numerics: NumericsProfile) throws {
        guard let target = EmulatedTarget.all.first(where: { $0.key == key }) else {
            fail("unknown target \(key): \(EmulatedTarget.all.map(\.key).joined(separator: ", "))")
        }
        let folder = try GeneratedCodeBenchmark.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = try EmulatedTarget.buildPlugin(into: folder)
        let model = try load(name)
        let options = CodegenOptions(name: CIdentifier.sanitized(fileName: name), arch: arch, numerics: numerics)
        let run = try MeasuredRun(try CodeGenerator.generate(model, options: options), model: model, folder: folder)
        let program = run.file("profile-\(target.key).elf").path
        try target.build(run.sources, output: program, extraFlags: target.flags(for: arch) + ["-D\(run.code.layerHookMacro)"])
        let counts = try target.countInstructions(
            program, from: "measured_run", to: "measured_end", marking: "measured_layer", plugin: plugin)
        guard counts.marks.count == model.layers.count else { fail("expected one mark per layer, got \(counts.marks.count)") }
        print("\(name), \(arch.rawValue), \(numerics.rawValue), on \(target.name): instructions per layer (hook compiled in)")
        var table = [["layer", "kind", "in -> out", "MACs", "instructions", "/MAC", "share"]]
        var previous = 0.0
        for (index, layer) in model.layers.enumerated() {
            let instructions = counts.marks[index] - previous
            previous = counts.marks[index]
            let macs = layer.multiplyAccumulates
            table.append([
                "\(index)", "\(layer.kind)", "\(layer.inputShape) -> \(layer.outputShape)", "\(macs)",
                GeneratedCodeBenchmark.format(instructions), macs > 0 ? String(format: "%.2f", instructions / Double(macs)) : "-",
                String(format: "%.1f%%", 100 * instructions / counts.total),
            ])
        }
        table.append(["", "total", "", "\(model.multiplyAccumulates)", GeneratedCodeBenchmark.format(counts.total), "", ""])
        printTable(table)
    }

    static func load(_ name: String) throws -> Model { try ModelReader.load(path: modelPath(name)).model }

    static func measure(
        _ model: Model, name: String, arch: Arch, numerics: NumericsProfile, on target: EmulatedTarget, plugin: String
    ) throws -> Double {
        let folder = try GeneratedCodeBenchmark.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = CodegenOptions(name: CIdentifier.sanitized(fileName: name), arch: arch, numerics: numerics)
        let run = try MeasuredRun(try CodeGenerator.generate(model, options: options), model: model, folder: folder)
        let program = run.file("measured-\(target.key).elf").path
        try target.build(run.sources, output: program, extraFlags: target.flags(for: arch))
        return try target.countInstructions(program, from: "measured_run", to: "measured_end", plugin: plugin)
    }

    /// .text and .rodata of the generated object alone (no harness, no C library), per arch, as
    /// each arch's compiler builds it: -O2 (what the counts above ran) and -Os.
    static func printCodeSizes(_ models: [String]) throws {
        let builds: [(Arch, EmulatedTarget)] = [
            (.cpu, .cortexM4), (.armdsp, .cortexM4), (.cpu, .cortexM0), (.neon, .aarch64), (.neon, .armv7),
            (.cpu, .rv32), (.rv32p, .rv32),
        ]
        print("\ncode size of the generated object, tinymaix profile: .text at -O2 and -Os, .rodata (bytes)")
        print("flash: .text -Os + .rodata; TinyMaix's: its code (\(tinymaixCodeBytes) B on Cortex-M4, the speed issue's figure) + the model file")
        var table = [["model", "arch", "target", ".text -O2", ".text -Os", ".rodata", "flash", "TinyMaix", "goal (<=)"]]
        for name in models {
            let model = try load(name)
            let fileSize = (try? FileManager.default.attributesOfItem(atPath: modelPath(name))[.size] as? Int) ?? 0
            for (arch, target) in builds {
                let folder = try GeneratedCodeBenchmark.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let code = try CodeGenerator.generate(
                    model, options: CodegenOptions(name: CIdentifier.sanitized(fileName: name), arch: arch))
                let source = folder.appendingPathComponent(code.sourceFileName).path
                try code.source.write(toFile: source, atomically: true, encoding: .utf8)
                var sizes: [(text: Int, rodata: Int, data: Int)] = []
                for optimization in ["-O2", "-Os"] {
                    let object = folder.appendingPathComponent("object\(optimization).o").path
                    try target.compileObject(source, output: object, flags: ["-std=c99", optimization, "-ffp-contract=off"])
                    sizes.append(try target.sectionSizes(ofObject: object))
                }
                let flash = sizes[1].text + sizes[1].rodata, tinymaix = tinymaixCodeBytes + fileSize
                table.append([
                    name, arch.rawValue, target.key, "\(sizes[0].text)", "\(sizes[1].text)", "\(sizes[0].rodata)", "\(flash)",
                    "\(tinymaix)", flash <= tinymaix ? "met" : "not yet",
                ])
            }
        }
        printTable(table)
    }

    /// TinyMaix's interpreter code on Cortex-M4 -Os, and the RAM it needs beside its activation
    /// buffer (buf_size): scratch and stack; both as the speed issue measured them.
    static let tinymaixCodeBytes = 3_606
    static let tinymaixRAMBesideBuffer = 6_404

    /// RAM of one inference on the Cortex-M4 (armdsp, tinymaix, -O2): the generated object's
    /// .data + .bss (the static arena), the caller's output buffer (and its input buffer when the
    /// input has no place in the arena), and the deepest stack of NAME_run, found by painting.
    static func printMemory(_ models: [String]) throws {
        let target = EmulatedTarget.cortexM4, arch = Arch.armdsp
        print("\nRAM of one inference on \(target.name), \(arch.rawValue), tinymaix (bytes)")
        print("TinyMaix: buf_size + \(tinymaixRAMBesideBuffer) (its scratch and stack, as the speed issue measured them)")
        var table = [[
            "model", "arena", "liveness bound", ".data+.bss", "input buf", "output buf", "stack", "RAM", "TinyMaix", "ratio",
            "goal (<=0.75x)",
        ]]
        for name in models {
            let model = try load(name)
            let folder = try GeneratedCodeBenchmark.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let code = try CodeGenerator.generate(model, options: CodegenOptions(name: CIdentifier.sanitized(fileName: name), arch: arch))
            let run = try MeasuredRun(code, model: model, folder: folder)
            let object = run.file("object.o").path
            try target.compileObject(run.file(code.sourceFileName).path, output: object, flags: ["-std=c99", "-O2", "-ffp-contract=off"])
            let data = try target.sectionSizes(ofObject: object).data
            let program = run.file("stack-\(target.key).elf").path
            try target.build(run.sources, output: program, extraFlags: target.flags(for: arch) + ["-DMEASURE_STACK=32768"])
            let printed = try target.run(program)
            guard let line = printed.split(separator: "\n").first(where: { $0.hasPrefix("stack ") }),
                let painted = Int(line.dropFirst(6))
            else { fail("\(name): no stack depth in \(printed)") }
            // The painting starts 256 bytes below main's frame: those count as used.
            let stack = painted + 256
            let elementSize = model.type.activationElementSize
            let input = code.plan.inputOffset == nil ? model.inputShape.elementCount * elementSize : 0
            let output = model.outputShape.elementCount * elementSize
            let ram = data + input + output + stack
            let tinymaix = model.bufferSize + tinymaixRAMBesideBuffer
            let ratio = Double(ram) / Double(tinymaix)
            table.append([
                name, "\(code.plan.arenaSize)", "\(code.plan.livenessLowerBound)", "\(data)", "\(input)", "\(output)",
                "\(stack)", "\(ram)", "\(tinymaix)", String(format: "%.2fx", ratio), ratio <= 0.75 ? "met" : "not yet",
            ])
        }
        printTable(table)
    }

    /// Columns as wide as their widest cell.
    static func printTable(_ rows: [[String]]) {
        var widths: [Int] = []
        for cells in rows {
            for (column, cell) in cells.enumerated() {
                if column == widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count + 2)
            }
        }
        for cells in rows {
            print(zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined())
        }
    }
}
