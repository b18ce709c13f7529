/// Weight orders that an arch's `arch_dot4_s8` reads (see `Templates/arch/*_dot.c`).
enum WeightPacking {
    /// Each block of four output channels (`window` weights each) with their weights
    /// interleaved word by word within each run of `run` weights: per run, word 0 of the four
    /// channels, word 1 of the four, ..., then each channel's last `run % 4` weights. One
    /// pointer then walks a block; channels past the last full block stay as they are.
    static func interleavedByWords(_ weights: [Int8], channels: Int, window: Int, run: Int) -> [Int8] {
        precondition(window % run == 0 && weights.count == channels * window)
        var packed: [Int8] = []
        packed.reserveCapacity(weights.count)
        let blocks = channels / 4
        for block in 0..<blocks {
            for start in stride(from: 0, to: window, by: run) {
                let words = run / 4
                for word in 0..<words {
                    for k in 0..<4 {
                        let at = (4 * block + k) * window + start + 4 * word
                        packed += weights[at..<at + 4]
                    }
                }
                for k in 0..<4 {
                    let at = (4 * block + k) * window + start
                    packed += weights[at + 4 * words..<at + run]
                }
            }
        }
        packed += weights[(4 * blocks * window)...]
        return packed
    }
}
