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
}
