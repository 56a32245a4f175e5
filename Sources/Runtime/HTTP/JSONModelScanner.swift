import ConfigLang

/// Checks in one pass, without building a ``JSONValue``, that a request body is a JSON
/// object that ``JSONValue/init(parsing:)`` accepts, and reads its top-level `model`.
///
/// The proxy needs nothing else from a body when the model has no parameter locks and
/// no `useModelName`; this saves the allocations of a full parse on every request. It
/// follows the parser's rules (strict RFC 8259, UTF-8, surrogates, nesting depth,
/// numbers that overflow a double), and a repeated key keeps its last value as there.
/// When it cannot answer cheaply (a top-level key or the `model` value holds escapes)
/// or the body is not a valid object, it answers ``Result/unsure`` and the caller runs
/// the full parser, which then also words the error.
///
/// ```swift
/// JSONModelScanner.scan(Array(#"{"model": "llama", "messages": []}"#.utf8))  // .object(model: "llama")
/// JSONModelScanner.scan(Array(#"{"model": 7}"#.utf8))                        // .object(model: nil)
/// JSONModelScanner.scan(Array("[1]".utf8))                                   // .unsure
/// ```
struct JSONModelScanner {
    /// What a scan found.
    enum Result: Sendable, Equatable {
        /// A valid JSON object; `model` is its top-level `model` member when that is a
        /// string (the last one if the key repeats), else nil.
        case object(model: String?)
        /// Not known without the full parser: invalid JSON, not an object, or escapes
        /// where the scanner does not decode them.
        case unsure
    }

    /// Scans `bytes`.
    static func scan(_ bytes: [UInt8]) -> Result {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONModelScanner(bytes: buffer)
            return scanner.scanDocument() ?? .unsure
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let modelKey: [UInt8] = Array("model".utf8)

    /// The document, or nil when unsure.
    private mutating func scanDocument() -> Result? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { return nil }
        index += 1
        var model: String?
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == Self.quote else { return nil }
                guard let key = scanString(), !key.escaped else { return nil }
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                if isModelKey(key.range) {
                    if peek() == Self.quote {
                        guard let value = scanString(), !value.escaped else { return nil }
                        model = String(decoding: UnsafeBufferPointer(rebasing: bytes[value.range]), as: UTF8.self)
                    } else {
                        guard scanValue(depth: 1) else { return nil }
                        model = nil
                    }
                } else {
                    guard scanValue(depth: 1) else { return nil }
                }
                skipWhitespace()
                guard let byte = peek() else { return nil }
                index += 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else { return nil }
            }
        }
        skipWhitespace()
        guard index == bytes.count else { return nil }
        return .object(model: model)
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func isModelKey(_ range: Range<Int>) -> Bool {
        guard range.count == Self.modelKey.count else { return false }
        return zip(bytes[range], Self.modelKey).allSatisfy { $0 == $1 }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Skips one value that starts at `index`, inside `depth` open containers. False
    /// when it is invalid.
    private mutating func scanValue(depth: Int) -> Bool {
        guard let byte = peek() else { return false }
        switch byte {
        case UInt8(ascii: "{"):
            return scanObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return scanArray(depth: depth + 1)
        case Self.quote:
            return scanString() != nil
        case UInt8(ascii: "t"):
            return scanLiteral("true")
        case UInt8(ascii: "f"):
            return scanLiteral("false")
        case UInt8(ascii: "n"):
            return scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return scanNumber()
        default:
            return false
        }
    }

    private mutating func scanLiteral(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            return false
        }
        index += count
        return true
    }

    private mutating func scanObject(depth: Int) -> Bool {
        guard depth <= JSONValue.maximumDepth else { return false }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard peek() == Self.quote, scanString() != nil else { return false }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard scanValue(depth: depth) else { return false }
            skipWhitespace()
            guard let byte = peek() else { return false }
            index += 1
            if byte == UInt8(ascii: "}") { return true }
            guard byte == UInt8(ascii: ",") else { return false }
        }
    }

    private mutating func scanArray(depth: Int) -> Bool {
        guard depth <= JSONValue.maximumDepth else { return false }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard scanValue(depth: depth) else { return false }
            skipWhitespace()
            guard let byte = peek() else { return false }
            index += 1
            if byte == UInt8(ascii: "]") { return true }
            guard byte == UInt8(ascii: ",") else { return false }
        }
    }

    /// Skips a string whose opening quote is at `index`; returns the range of its
    /// content (between the quotes) and whether it holds escapes, or nil when it is
    /// invalid (unclosed, a control character, a bad escape or surrogate, bad UTF-8).
    private mutating func scanString() -> (range: Range<Int>, escaped: Bool)? {
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.quote:
                let range = start..<index
                index += 1
                return (range, escaped)
            case Self.backslash:
                escaped = true
                guard scanEscape() else { return nil }
            case 0x00..<0x20:
                return nil
            case 0x20..<0x80:
                index += 1
            default:
                guard scanUTF8Sequence() else { return nil }
            }
        }
        return nil
    }

    /// Skips one escape starting at the backslash at `index`.
    private mutating func scanEscape() -> Bool {
        index += 1
        guard let byte = peek() else { return false }
        index += 1
        switch byte {
        case Self.quote, Self.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        case UInt8(ascii: "u"):
            guard let code = scanHex4() else { return false }
            if (0xD800..<0xDC00).contains(code) {
                guard peek() == Self.backslash, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    return false
                }
                index += 2
                guard let low = scanHex4() else { return false }
                return (0xDC00..<0xE000).contains(low)
            }
            return !(0xDC00..<0xE000).contains(code)
        default:
            return false
        }
    }

    private mutating func scanHex4() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Skips one well-formed multi-byte UTF-8 sequence (no overlongs, no surrogates,
    /// nothing above U+10FFFF) whose lead byte is at `index`.
    private mutating func scanUTF8Sequence() -> Bool {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0: count = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED: count = 3; high = 0x9F
        case 0xF0: count = 4; low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4: count = 4; high = 0x8F
        default: return false
        }
        guard bytes.count - index >= count else { return false }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { return false }
        for offset in 2..<count where bytes[index + offset] & 0xC0 != 0x80 {
            return false
        }
        index += count
        return true
    }

    /// Skips a number; false when it breaks the grammar or overflows a double.
    private mutating func scanNumber() -> Bool {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { return false }
        index += 1
        if first == UInt8(ascii: "0"), let next = peek(), Self.isDigit(next) { return false }
        skipDigits()
        var hasExponent = false
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), Self.isDigit(digit) else { return false }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            hasExponent = true
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { return false }
            skipDigits()
        }
        // Without an exponent a number needs more than 300 digits to overflow a double.
        guard hasExponent || index - start > 300 else { return true }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text) else { return false }
        return number.isFinite
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
