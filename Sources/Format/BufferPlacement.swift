/// First-fit placement in a byte buffer, shared by the builder's converter-style plan
/// and the code generator's arena planner.
public enum BufferPlacement {
    /// The lowest offset at which `length` bytes overlap none of the `occupied` ranges.
    /// Offsets and lengths that are multiples of an alignment give an aligned result.
    public static func lowestFreeOffset(length: Int, avoiding occupied: [Range<Int>]) -> Int {
        var start = 0
        for range in occupied.sorted(by: { $0.lowerBound < $1.lowerBound }) where start + length > range.lowerBound {
            start = max(start, range.upperBound)
        }
        return start
    }
}
