// The fixed-point building blocks of the integer profile (docs/numerics-integer.md):
// TFLite's reference arithmetic, on int32 values with int64 intermediates. The C
// templates in Templates/integer/ implement the same steps; both follow the spec's
// names (SRDHM, RDBPOT, MBQM, ...) so that each can be checked against it line by line.

/// A requantisation multiplier in Q0.31 and its power-of-two exponent:
/// `real ≈ multiplier / 2^31 · 2^shift`.
public struct QuantizedMultiplier: Hashable, Sendable {
    public var multiplier: Int32
    public var shift: Int32

    public init(multiplier: Int32, shift: Int32) {
        self.multiplier = multiplier
        self.shift = shift
    }

    /// `QM(d)`: frexp, round half away from zero, renormalise 2^31; exponents below -31 give zero.
    public init(_ real: Double) {
        guard real > 0, real.isFinite else {
            self.init(multiplier: 0, shift: 0)
            return
        }
        // frexp: real = q · 2^e with 0.5 ≤ q < 1 (Swift's significand is in [1, 2)).
        let q = real.significand / 2
        var e = Int(real.exponent) + 1
        var m = (q * 2_147_483_648).rounded(.toNearestOrAwayFromZero)
        if m == 2_147_483_648 {
            m = 1_073_741_824
            e += 1
        }
        guard e >= -31 else {
            self.init(multiplier: 0, shift: 0)
            return
        }
        // e can only exceed Int32 for absurd inputs; callers reject shifts above 31.
        self.init(multiplier: Int32(m), shift: Int32(clamping: e))
    }
}

enum FixedPoint {
    /// `rha(v)`: round half away from zero.
    static func roundHalfAway(_ value: Float) -> Int64 {
        Int64(value.rounded(.toNearestOrAwayFromZero))
    }

    /// `SRDHM(a, b)`: saturating rounding doubling high multiply.
    @inline(__always)
    static func srdhm(_ a: Int32, _ b: Int32) -> Int32 {
        if a == Int32.min && b == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? 1 << 30 : 1 - (1 << 30)
        return Int32((product + nudge) / (1 << 31))  // truncates toward zero, as the spec says
    }

    /// `RDBPOT(x, e)`: rounding (half away from zero) divide by 2^e, for 0 ≤ e ≤ 31.
    @inline(__always)
    static func rdbpot(_ x: Int32, _ exponent: Int32) -> Int32 {
        Int32(rdbpotWide(Int64(x), exponent))
    }

    /// RDBPOT on int64, for shifts up to 62: softmax's last step can shift by 32 on long rows.
    @inline(__always)
    static func rdbpotWide(_ x: Int64, _ exponent: Int32) -> Int64 {
        let mask = (Int64(1) << exponent) - 1
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> exponent) + (remainder > threshold ? 1 : 0)
    }

    /// `MBQM(x, M, s)`: multiply by a quantised multiplier. The spec requires `x · 2^s` to fit
    /// int32 (it does in every known model); where it would not, it is saturated first, so the
    /// result is defined for any input (the C does the same).
    @inline(__always)
    static func mbqm(_ x: Int32, _ m: QuantizedMultiplier) -> Int32 {
        let left = max(m.shift, 0), right = max(-m.shift, 0)
        let scaled = left == 0 ? x : Int32(clamping: Int64(x) << left)
        return rdbpot(srdhm(scaled, m.multiplier), right)
    }

    /// `clamp(value + zeroPoint, lowest, highest)` as an int8 code. Clamping before adding the
    /// zero point gives the same value without an int32 overflow (the C does the same).
    @inline(__always)
    static func outputCode(_ value: Int32, zeroPoint: Int32, lowest: Int32 = -128, highest: Int32 = 127) -> Int8 {
        Int8(min(max(value, lowest - zeroPoint), highest - zeroPoint) + zeroPoint)
    }

    /// `SATSHL(v, k)`: saturating left shift.
    @inline(__always)
    static func saturatingShiftLeft(_ v: Int32, _ k: Int32) -> Int32 {
        let limit = (Int32(1) << (31 - k)) - 1
        if v > limit { return Int32.max }
        if v < -limit { return Int32.min }
        return v << k
    }

    /// `clz32(v)`.
    @inline(__always)
    static func countLeadingZeros(_ v: Int32) -> Int32 {
        Int32(UInt32(bitPattern: v).leadingZeroBitCount)
    }

    /// `EXP(a)`: exp(a / 2^26) in Q0.31 for -2^31 < a ≤ 0 (gemmlowp `exp_on_negative_values`, 5 integer bits).
    static func expOnNegative(_ a: Int32) -> Int32 {
        if a == 0 { return Int32.max }
        let quarter: Int32 = 1 << 24
        let q = (a & (quarter - 1)) - quarter
        let remainder = q &- a
        // exp on [-1/4, 0) by a Taylor polynomial around -1/8.
        let y = q &* 32
        let t = y &+ (1 << 28)
        let t2 = srdhm(t, t)
        let t3 = srdhm(t2, t)
        let t4 = srdhm(t2, t2)
        let p = rdbpot(srdhm(rdbpot(t4, 2) &+ t3, 715_827_883) &+ t2, 1)
        var r = 1_895_147_668 &+ srdhm(1_895_147_668, t &+ p)
        // Multiply in exp(-2^(k-26)) for each set bit k of the remainder.
        for (bit, constant) in zip(Int32(24)...30, expBarrelConstants) where remainder & (1 << bit) != 0 {
            r = srdhm(r, constant)
        }
        return r
    }

    /// round(exp(-2^(k-26)) · 2^31) for k = 24...30.
    static let expBarrelConstants: [Int32] = [1_672_461_947, 1_302_514_674, 790_015_084, 290_630_308, 39_332_535, 720_401, 242]

    /// `RECIP(a)`: 1 / (1 + a/2^31) in Q0.31 for 0 ≤ a < 2^31 (gemmlowp Newton-Raphson).
    static func reciprocalOfOnePlus(_ a: Int32) -> Int32 {
        let half = Int32((Int64(a) + (1 << 31)) >> 1)
        var x = 1_515_870_810 &+ srdhm(half, -1_010_580_540)
        for _ in 0..<3 {
            let m = srdhm(half, x)
            let u = (1 << 29) &- m
            x = x &+ saturatingShiftLeft(srdhm(x, u), 2)
        }
        return saturatingShiftLeft(x, 1)
    }
}
