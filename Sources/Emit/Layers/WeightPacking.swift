/// The order in which the int8 kernels' `arch_dot4_s8` (see `Templates/arch/*_dot.c`) reads
/// the weights of a block of four output channels.
enum WeightPacking {
    /// Each block of four output channels (`window` weights each) laid out run by run, a run
    /// being `run` consecutive weights of a window (the whole window unless the kernel's
    /// columns are dilated): per run, the four channels' runs one after another, `run` apart;
    /// or, `interleavedByWords`, word 0 of the four channels, word 1 of the four, ..., then
    /// each channel's last `run % 4` weights, so one pointer walks the block (the armdsp loop
    /// then keeps its sums and pointers in registers). Either way run r of a block starts at
    /// `4 * r * run`. Channels past the last full block stay as they are.
    static func blocksOfFour(
        _ weights: [Int8], channels: Int, window: Int, run: Int, interleavedByWords: Bool
    ) -> [Int8] {
        precondition(window % run == 0 && weights.count == channels * window)
        var packed: [Int8] = []
        packed.reserveCapacity(weights.count)
        let blocks = channels / 4
        for block in 0..<blocks {
            for start in stride(from: 0, to: window, by: run) {
                let runStarts = (0..<4).map { (4 * block + $0) * window + start }
                guard interleavedByWords else {
                    for at in runStarts { packed += weights[at..<at + run] }
                    continue
                }
                let words = run / 4
                for word in 0..<words {
                    for at in runStarts { packed += weights[at + 4 * word..<at + 4 * word + 4] }
                }
                for at in runStarts { packed += weights[at + 4 * words..<at + run] }
            }
        }
        packed += weights[(4 * blocks * window)...]
        return packed
    }

    /// For `arch_lanes8_s8` and `arch_lanes16_s8`: each block of eight output channels value by
    /// value (value i of the window for channels 0...7, then value i + 1, ...); the channels past
    /// the last full block follow as `blocksOfFour` (whole windows, not interleaved) lays them out.
    static func lanesOfEight(_ weights: [Int8], channels: Int, window: Int) -> [Int8] {
        precondition(weights.count == channels * window)
        let blocks = channels / 8
        var packed: [Int8] = []
        packed.reserveCapacity(weights.count)
        for block in 0..<blocks {
            for value in 0..<window {
                for lane in 0..<8 { packed.append(weights[(8 * block + lane) * window + value]) }
            }
        }
        let rest = Array(weights[(8 * blocks * window)...])
        return packed
            + blocksOfFour(rest, channels: channels - 8 * blocks, window: window, run: window, interleavedByWords: false)
    }
}
