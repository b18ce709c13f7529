/// The byte order of a .tmdl file. Big-endian files keep the magic bytes as they are
/// and swap every multi-byte field and weight, bias and scale.
public enum ByteOrder: String, Sendable, CaseIterable {
    case littleEndian = "little-endian"
    case bigEndian = "big-endian"
}

/// Reads fixed-size values at absolute offsets. Callers check that a range lies
/// inside the bytes before reading it (the reader reports those checks as
/// `FormatError`s), so a read out of range here is a programming error.
struct ByteReader {
    let bytes: [UInt8]
    let order: ByteOrder

    var count: Int { bytes.count }

    func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    func u8(_ offset: Int) -> UInt8 { bytes[offset] }

    func u16(_ offset: Int) -> UInt16 {
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset + 1])
        return order == .littleEndian ? a | b << 8 : a << 8 | b
    }

    func u32(_ offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 {
            let byte = UInt32(bytes[offset + (order == .littleEndian ? 3 - i : i)])
            value = value << 8 | byte
        }
        return value
    }

    func i32(_ offset: Int) -> Int32 { Int32(bitPattern: u32(offset)) }
    func f32(_ offset: Int) -> Float { Float(bitPattern: u32(offset)) }

    func int8s(_ offset: Int, count: Int) -> [Int8] {
        bytes[offset..<offset + count].map { Int8(bitPattern: $0) }
    }

    func uint8s(_ offset: Int, count: Int) -> [UInt8] { Array(bytes[offset..<offset + count]) }

    func int16s(_ offset: Int, count: Int) -> [Int16] {
        (0..<count).map { Int16(bitPattern: u16(offset + 2 * $0)) }
    }

    func uint16s(_ offset: Int, count: Int) -> [UInt16] { (0..<count).map { u16(offset + 2 * $0) } }
    func int32s(_ offset: Int, count: Int) -> [Int32] { (0..<count).map { i32(offset + 4 * $0) } }
    func float32s(_ offset: Int, count: Int) -> [Float] { (0..<count).map { f32(offset + 4 * $0) } }
}

/// Appends fixed-size values in one byte order.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []
    let order: ByteOrder

    init(order: ByteOrder) { self.order = order }

    var count: Int { bytes.count }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        let pair = [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
        bytes += order == .littleEndian ? pair : pair.reversed()
    }

    mutating func u32(_ value: UInt32) {
        let quad = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        bytes += order == .littleEndian ? quad : quad.reversed()
    }

    mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    mutating func f32(_ value: Float) { u32(value.bitPattern) }

    mutating func zeros(_ count: Int) { bytes += repeatElement(0, count: count) }

    /// Pads with zeros up to the next multiple of 8.
    mutating func alignTo8() { zeros((8 - bytes.count % 8) % 8) }

    mutating func overwriteU32(_ value: UInt32, at offset: Int) {
        var patch = ByteWriter(order: order)
        patch.u32(value)
        bytes.replaceSubrange(offset..<offset + 4, with: patch.bytes)
    }

    mutating func numbers(_ array: NumericArray) {
        switch array {
        case .int8(let values): bytes += values.map { UInt8(bitPattern: $0) }
        case .fp8Codes(let values): bytes += values
        case .int16(let values): values.forEach { u16(UInt16(bitPattern: $0)) }
        case .float16Bits(let values): values.forEach { u16($0) }
        case .int32(let values): values.forEach { i32($0) }
        case .float32(let values): values.forEach { f32($0) }
        }
    }
}
