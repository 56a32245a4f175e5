/// How plain scalars are read as typed values (YAML 1.2 core schema, as Go's yaml.v3
/// reads them), shared by validation and decoding.
public enum ScalarParsing {
    /// An integer: decimal with optional sign and `_` separators, or `0x`/`0o`/`0b`.
    public static func integer(_ text: String) -> Int? {
        guard let first = text.utf8.first, (first >= 48 && first <= 57) || first == 43 || first == 45 else {
            return nil
        }
        if !text.isEmpty, text.utf8.count < 19, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return Int(text)
        }
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let digits = body.utf8.contains(UInt8(ascii: "_")) ? body.replacingOccurrences(of: "_", with: "") : String(body)
        guard !digits.isEmpty else { return nil }
        let value: Int?
        if digits.hasPrefix("0x") {
            value = Int(digits.dropFirst(2), radix: 16)
        } else if digits.hasPrefix("0o") {
            value = Int(digits.dropFirst(2), radix: 8)
        } else if digits.hasPrefix("0b") {
            value = Int(digits.dropFirst(2), radix: 2)
        } else if digits.allSatisfy(\.isASCIIDigit) {
            value = Int(digits)
        } else {
            value = nil
        }
        return value.map { negative ? -$0 : $0 }
    }

    /// A number: an integer, a decimal or exponent form, `.inf` or `.nan`.
    public static func number(_ text: String) -> Double? {
        guard let first = text.utf8.first, (first >= 48 && first <= 57) || first == 43 || first == 45 || first == 46
        else { return nil }
        if let int = integer(text) { return Double(int) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var digits = false
        var underscores = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits = true
            case UInt8(ascii: "_"): underscores = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
        }
        guard digits else { return nil }
        return Double(underscores ? text.replacingOccurrences(of: "_", with: "") : text)
    }

    /// A boolean: `true`/`false` in the three spellings YAML 1.2 allows. Never `yes` or `on`.
    public static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// A YAML 1.1 boolean word (`yes`, `On`, `n`, …) in the spellings Go's yaml.v3 still
    /// reads into a boolean field, which llama-swap's loader uses; `nil` for any other text.
    public static func yaml11Boolean(_ text: String) -> Bool? {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON": true
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF": false
        default: nil
        }
    }

    /// A Go duration (`300ms`, `1.5h`, `2h45m`) in seconds.
    public static func duration(_ text: String) -> Double? {
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCIIDigit || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isASCIIDigit && $0 != "." }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
        }
        return total
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, containsBytes(target) else { return String(self) }
        // Byte by byte: a UTF-8 match of a whole valid string always starts and ends on
        // character boundaries, so the result is valid UTF-8 again.
        let bytes = Array(utf8)
        let pattern = Array(target.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + replacement.utf8.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == pattern[0], index + pattern.count <= bytes.count,
                bytes[index..<(index + pattern.count)].elementsEqual(pattern)
            {
                output.append(contentsOf: replacement.utf8)
                index += pattern.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func range(of target: String) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
