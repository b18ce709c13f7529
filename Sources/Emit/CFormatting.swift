/// How numbers and lists are written into generated C: one fixed format, so the
/// same model always gives the same bytes, and lines stay within 120 characters.
enum CFormat {
    static let lineLimit = 120

    /// An exact float literal: integral values as `-128.0f`, others as C99 hex
    /// floats (`0x1.0101p-8f`), which are exact and need no decimal rounding.
    static func float(_ value: Float) -> String {
        precondition(value.isFinite, "the generator refuses non-finite constants before formatting")
        if value == 0 { return value.sign == .minus ? "-0.0f" : "0.0f" }
        if value == value.rounded(), abs(value) < 16_777_216 { return "\(Int(value)).0f" }
        let bits = value.bitPattern
        let sign = bits >> 31 == 1 ? "-" : ""
        let exponent = Int((bits >> 23) & 0xff)
        let digits = String((bits & 0x7f_ffff) << 1, radix: 16).leftPadded(to: 6)
        let fraction = String(digits.reversed().drop(while: { $0 == "0" }).reversed())
        let lead = exponent == 0 ? "0" : "1"
        let power = exponent == 0 ? -126 : exponent - 127
        return "\(sign)0x\(lead)\(fraction.isEmpty ? "" : "." + fraction)p\(power >= 0 ? "+" : "")\(power)f"
    }

    /// `{ a, b, ... }` broken into lines of at most `lineLimit` characters, indented by 4.
    static func initializerList(_ items: [String]) -> String {
        var lines: [String] = []
        var line = "   "
        for item in items {
            if line.count + item.count + 2 > lineLimit {
                lines.append(line)
                line = "   "
            }
            line += " \(item),"
        }
        lines.append(line)
        return "{\n" + lines.joined(separator: "\n") + "\n}"
    }

    /// `static const TYPE NAME[COUNT] = { ... };`
    static func constantArray(type: String, name: String, _ items: [String]) -> String {
        "static const \(type) \(name)[\(items.count)] = \(initializerList(items));"
    }

    /// A designated initializer for a parameter struct.
    static func parameterStruct(type: String, name: String, _ fields: [(String, String)]) -> String {
        "static const struct \(type) \(name) = \(initializerList(fields.map { ".\($0.0) = \($0.1)" }));"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// C identifiers for the generated API (`NAME_run`, `NAME_INPUT_COUNT`, ...).
public enum CIdentifier {
    static let keywords: Set<String> = [
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        "_Bool", "_Complex", "_Imaginary",
    ]

    /// Why `name` cannot prefix the generated API, or nil if it can.
    public static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "it is empty" }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        guard allowed else { return "only ASCII letters, digits and _ may appear in a C identifier" }
        guard !("0"..."9").contains(first) else { return "a C identifier cannot start with a digit" }
        guard first != "_" else { return "names starting with _ are reserved for the C implementation" }
        guard !keywords.contains(name) else { return "it is a C keyword" }
        guard name.count <= 40 else { return "keep it to 40 characters" }
        return nil
    }

    /// A valid name from a file name: the base name without extension, every other
    /// character replaced by `_`, prefixed with `model_` if it would not start with a letter.
    public static func sanitized(fileName: String) -> String {
        var base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        var name = String(base.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        }.prefix(40))
        if name.isEmpty || !(name.unicodeScalars.first!.properties.isAlphabetic) || keywords.contains(name) {
            name = "model_" + name
        }
        return name
    }
}
