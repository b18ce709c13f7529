import TMDLFormat

/// The values of one activation tensor, in HWC order.
public enum TensorData: Hashable, Sendable {
    case int8([Int8])
    case float32([Float])

    public var count: Int {
        switch self {
        case .int8(let values): return values.count
        case .float32(let values): return values.count
        }
    }

    /// The bytes as they lie in memory on a little-endian machine (the golden hashes' convention).
    public var bytes: [UInt8] {
        switch self {
        case .int8(let values):
            return values.map { UInt8(bitPattern: $0) }
        case .float32(let values):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 4)
            for value in values {
                let bits = value.bitPattern
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
            }
            return bytes
        }
    }

    /// FNV-1a-64 of `bytes`: how the golden files identify a layer's output.
    public var fnv1a64: UInt64 { FNV1a64.hash(bytes) }

    public var int8Values: [Int8]? { if case .int8(let v) = self { return v } else { return nil } }
    public var float32Values: [Float]? { if case .float32(let v) = self { return v } else { return nil } }

    /// Each element as a Float: the int8 codes themselves, or the float values.
    public var elementsAsFloat: [Float] {
        switch self {
        case .int8(let values): return values.map { Float($0) }
        case .float32(let values): return values
        }
    }
}

/// FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
public enum FNV1a64 {
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// 16 lower-case hex digits, as the golden files print it.
    public static func hex(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
