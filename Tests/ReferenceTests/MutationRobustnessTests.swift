import TMDLFormat
import TMDLReference
import TestSupport
import Testing

/// Thousands of damaged models: each must load or be refused with a typed error
/// (the reader's `throws(FormatError)` makes any other outcome a crash, which
/// fails the run). What still loads must also run through the reference or be
/// refused by it, without a crash.
struct MutationRobustnessTests {
    struct Outcome {
        var loaded = 0
        var rejected = 0
        var ran = 0
    }

    /// Offsets of the fixed-layout fields (header, layer heads and bodies), where
    /// damage is most interesting; weights elsewhere mostly stay valid.
    static func structuralOffsets(_ bytes: [UInt8], layerOffsets: [Int]) -> [Int] {
        var offsets = Array(4..<36)
        for start in layerOffsets { offsets += (start..<start + 80).filter { $0 < bytes.count } }
        return offsets
    }

    static func mutate(_ bytes: [UInt8], structural: [Int], random: inout SplitMix64) -> [UInt8] {
        var copy = bytes
        switch random.int(0...5) {
        case 0:  // truncate
            return Array(copy.prefix(random.int(0...copy.count - 1)))
        case 1, 2:  // flip bits
            for _ in 0..<random.int(1...3) {
                let offset = random.chance(0.7) ? random.pick(structural) : random.int(0...copy.count - 1)
                copy[offset] ^= UInt8(1) << random.int(0...7)
            }
        default:  // overwrite a 1-, 2- or 4-byte field with 0, 1 or all ones
            let width = random.pick([1, 2, 4])
            let offset = min(random.pick(structural), copy.count - width)
            let value: UInt32 = random.pick([0, 1, 0xffff_ffff])
            for i in 0..<width { copy[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        }
        return copy
    }

    static func exercise(_ base: [UInt8], mutations: Int, seed: UInt64, outcome: inout Outcome) throws {
        let layerOffsets = try ModelReader.read(base).layerOffsets
        let structural = structuralOffsets(base, layerOffsets: layerOffsets)
        var random = SplitMix64(seed: seed)
        for _ in 0..<mutations {
            let damaged = mutate(base, structural: structural, random: &random)
            let model: Model
            do {
                model = try ModelReader.read(damaged).model
            } catch {
                #expect(!error.description.isEmpty)
                outcome.rejected += 1
                continue
            }
            outcome.loaded += 1
            // Running is what could crash on a hostile-but-valid model; keep it cheap.
            guard model.multiplyAccumulates < 3_000_000,
                let reference = try? ReferenceInterpreter(model: model)
            else { continue }
            _ = try reference.run(ModelInput.random(seed: 7, for: model))
            outcome.ran += 1
        }
    }

    @Test func randomBuilderModels() throws {
        var outcome = Outcome()
        for seed in 0..<UInt64(200) {
            let type: ModelType = seed % 2 == 0 ? .int8 : .float32
            let base = ModelWriter.bytes(
                of: RandomModelBuilder(type: type).model(seed: seed), byteOrder: seed % 3 == 0 ? .bigEndian : .littleEndian)
            try Self.exercise(base, mutations: 30, seed: seed, outcome: &outcome)
        }
        print("mutated builder models: \(outcome.rejected) refused, \(outcome.loaded) loaded, \(outcome.ran) ran")
        #expect(outcome.loaded + outcome.rejected == 6000)
        #expect(outcome.rejected > 2000 && outcome.loaded > 600 && outcome.ran > 600)
    }

    @Test(.enabled(if: SharedFixtures.shouldRun, SharedFixtures.skipReason), arguments: SharedModels.all)
    func sharedModels(_ name: String) throws {
        var outcome = Outcome()
        try Self.exercise(try SharedModels.bytes(name), mutations: 1000, seed: 99, outcome: &outcome)
        print("mutated \(name): \(outcome.rejected) refused, \(outcome.loaded) loaded, \(outcome.ran) ran")
        #expect(outcome.loaded + outcome.rejected == 1000)
        #expect(outcome.rejected > 250 && outcome.loaded > 50)
    }
}
