/// The order in which the kernels read a CONV2D layer's weights: the int8 kernels' `arch_dot4_s8`
/// (see `Templates/arch/*_dot.c`) a block of four output channels, the fp32 kernel's
/// `dot8x2_f32_at` and `dot4x2_f32_at` (`Templates/kernels/dot_blocks_f32.c`) blocks of
/// eight and four.
enum WeightPacking {
    /// Each block of four output channels (`window` weights each) laid out run by run, a run
    /// being `run` consecutive weights of a window (the whole window unless the kernel's
    /// columns are dilated): per run, the four channels' runs one after another, `run` apart;
    /// or, `interleavedByWords`, word 0 of the four channels, word 1 of the four, ..., then
    /// each channel's last `run % 4` weights, so one pointer walks the block (the armdsp loop
    /// then keeps its sums and pointers in registers). Either way run r of a block starts at
    /// `4 * r * run`. Channels past the last full block stay as they are.
    ///
    /// With `paddedTo` (a whole window as one run, for the two-pixel dot, whose windows are a
    /// multiple of some count of values), each channel's window is followed by zero weights up
    /// to that many values, and the blocks are laid out as if windows were that long.
    static func blocksOfFour(
        _ weights: [Int8], channels: Int, window: Int, run: Int, interleavedByWords: Bool, paddedTo span: Int? = nil
    ) -> [Int8] {
        precondition(window % run == 0 && weights.count == channels * window)
        if let span, span != window {
            precondition(run == window && span > window && channels % 4 == 0)
            let padding = [Int8](repeating: 0, count: span - window)
            let padded = (0..<channels).flatMap { weights[$0 * window..<($0 + 1) * window] + padding }
            return blocksOfFour(
                padded, channels: channels, window: span, run: span, interleavedByWords: interleavedByWords)
        }
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

    /// The channels conv2d_f32 takes in each pass over a pixel pair, in order: blocks of eight, then one
    /// of four if four are left, then the rest one at a time.
    static func floatChannelPasses(channels: Int) -> [Int] {
        Array(repeating: 8, count: channels / 8) + (channels % 8 >= 4 ? [4] : [])
            + Array(repeating: 1, count: channels % 4)
    }

    /// Each of conv2d_f32's passes (`floatChannelPasses`) interleaved value by value: value 0 of its
    /// channels (`window` weights each), value 1 of its channels, ... (a pass of one channel stays as
    /// it is).
    static func interleavedChannels<Weight>(_ weights: [Weight], channels: Int, window: Int) -> [Weight] {
        precondition(weights.count == channels * window)
        var packed: [Weight] = []
        packed.reserveCapacity(weights.count)
        var first = 0
        for lanes in floatChannelPasses(channels: channels) {
            for value in 0..<window {
                for channel in first..<first + lanes { packed.append(weights[channel * window + value]) }
            }
            first += lanes
        }
        return packed
    }
}
