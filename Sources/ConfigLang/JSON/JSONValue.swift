/// A JSON value: what a request body holds and what parameter locks write into it.
///
/// Integers and doubles are distinct so that `4096` stays `4096` and `1.0` stays
/// `1.0` through a parse → apply → serialise round trip. Objects are unordered;
/// ``serialized(sortedKeys:)`` sorts keys by UTF-8 bytes for deterministic output.
///
/// ```swift
/// let body = try JSONValue(parsing: Array(#"{"temperature": 0.7}"#.utf8))
/// body.serialized()  // {"temperature":0.7}
/// ```
public indirect enum JSONValue: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int`.
    case integer(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; a repeated key keeps its last value.
    case object([String: JSONValue])

    /// The deepest nesting of arrays and objects ``init(parsing:)`` accepts.
    public static let maximumDepth = 512

    /// Parses one strict RFC 8259 JSON text (surrounding whitespace allowed).
    ///
    /// Rejects trailing commas, comments, single quotes, leading zeros, `NaN`,
    /// lone surrogates, unescaped control characters, invalid UTF-8, numbers that
    /// overflow a double, nesting deeper than ``maximumDepth`` and anything after
    /// the value.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Compact JSON text (no whitespace), keys sorted by UTF-8 bytes unless
    /// `sortedKeys` is false (then in dictionary order, which is not stable).
    ///
    /// Doubles print in the shortest form that reads back to the same value (`0.7`,
    /// `1.0`, `1e+300`); infinities and NaN, which JSON cannot express, print as
    /// `null`.
    public func serialized(sortedKeys: Bool = true) -> String {
        var writer = JSONWriter(pretty: false)
        writer.value(self, sortedKeys: sortedKeys)
        return writer.text
    }

    /// The JSON value a YAML node denotes.
    ///
    /// Plain untagged scalars are typed like YAML 1.2's core schema (null, boolean,
    /// integer, number, else string); a plain scalar tagged `!!str`, and every
    /// quoted or block scalar, is a string. Mappings become objects (a repeated key
    /// keeps its last value) and sequences arrays.
    public init(yaml node: YAMLNode) {
        switch node.kind {
        case .scalar(let text, let style):
            guard style == .plain, node.tag != "tag:yaml.org,2002:str" else {
                self = .string(text)
                return
            }
            if node.isNull {
                self = .null
            } else if let flag = ScalarParsing.boolean(text) {
                self = .bool(flag)
            } else if let integer = ScalarParsing.integer(text) {
                self = .integer(integer)
            } else if let number = ScalarParsing.number(text) {
                self = .double(number)
            } else {
                self = .string(text)
            }
        case .sequence(let items):
            self = .array(items.map(JSONValue.init(yaml:)))
        case .mapping(let entries):
            var object: [String: JSONValue] = [:]
            for entry in entries {
                object[entry.name] = JSONValue(yaml: entry.value)
            }
            self = .object(object)
        }
    }

    /// Decodes any JSON-shaped value.
    ///
    /// A decoder that cannot tell `1.0` from `1` (Foundation's `JSONDecoder`)
    /// yields `.integer(1)` for both; use ``init(parsing:)`` and
    /// ``serialized(sortedKeys:)`` when that distinction must survive.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as the matching JSON-shaped value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    /// The value as a `Double` when it is a number, else nil.
    public var numberValue: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .double(let number): number
        default: nil
        }
    }

    /// `text` as a JSON string. With `escapingSlash`, `/` is written `\/` as Foundation's
    /// `JSONEncoder` writes it (for output that must match the encoder's byte for byte).
    public static func quoted(_ text: String, escapingSlash: Bool = false) -> String {
        var output: [UInt8] = []
        JSONWriter.appendQuoted(text, to: &output, escapingSlash: escapingSlash)
        return String(decoding: output, as: UTF8.self)
    }
}

/// A recursive-descent parser over UTF-8 bytes for ``JSONValue/init(parsing:)``.
private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else {
            throw JSONParseError("expected the end of the JSON text, found \(describeCurrent())", offset: index)
        }
        return value
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func describeCurrent() -> String {
        guard let byte = current else { return "the end of the input" }
        if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            index += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = current else {
            throw JSONParseError("expected a JSON value, found the end of the input", offset: index)
        }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw JSONParseError("expected a JSON value, found \(describeCurrent())", offset: index)
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let start = index
        for expected in word.utf8 {
            guard current == expected else {
                throw JSONParseError("expected `\(word)`", offset: start)
            }
            index += 1
        }
        return value
    }

    private mutating func enter(_ depth: Int) throws(JSONParseError) {
        guard depth <= JSONValue.maximumDepth else {
            throw JSONParseError(
                "arrays and objects are nested deeper than \(JSONValue.maximumDepth) levels", offset: index)
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth)
        index += 1
        var object: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw JSONParseError("expected a quoted object key, found \(describeCurrent())", offset: index)
            }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else {
                throw JSONParseError("expected `:` after an object key, found \(describeCurrent())", offset: index)
            }
            index += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(object)
            default:
                throw JSONParseError("expected `,` or `}` in an object, found \(describeCurrent())", offset: index)
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth)
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(array)
            default:
                throw JSONParseError("expected `,` or `]` in an array, found \(describeCurrent())", offset: index)
            }
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let open = index
        index += 1
        var buffer: [UInt8] = []
        while true {
            guard let byte = current else {
                throw JSONParseError("the string that starts here is never closed; add a closing `\"`", offset: open)
            }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError("the string that starts here is not valid UTF-8", offset: open)
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw JSONParseError(
                    "control characters must be escaped in a string (use `\\n`, `\\t` or `\\u00XX`)", offset: index)
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        guard let byte = current else {
            throw JSONParseError("the escape is cut off by the end of the input", offset: start)
        }
        index += 1
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            throw JSONParseError(
                "`\\\(Character(Unicode.Scalar(byte)))` is not a JSON escape; use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                offset: start)
        }
        if let simple {
            buffer.append(simple)
            return
        }
        var code = try parseHex4(escapeStart: start)
        if (0xD800..<0xDC00).contains(code) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw JSONParseError("a high surrogate escape must be followed by a `\\u` low surrogate", offset: start)
            }
            let lowStart = index
            index += 2
            let low = try parseHex4(escapeStart: lowStart)
            guard (0xDC00..<0xE000).contains(low) else {
                throw JSONParseError("expected a low surrogate (`\\uDC00`…`\\uDFFF`) here", offset: lowStart)
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(code) {
            throw JSONParseError("a low surrogate escape must follow a high surrogate", offset: start)
        }
        buffer.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else {
                throw JSONParseError("`\\u` must be followed by four hex digits", offset: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else {
            throw JSONParseError("expected a digit after `-`", offset: index)
        }
        index += 1
        if first == UInt8(ascii: "0"), let next = current, Self.isDigit(next) {
            throw JSONParseError("numbers may not have leading zeros", offset: start)
        }
        skipDigits()
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let digit = current, Self.isDigit(digit) else {
                throw JSONParseError("expected a digit after the decimal point", offset: index)
            }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else {
                throw JSONParseError("expected a digit in the exponent", offset: index)
            }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let integer = Int(text) {
            return .integer(integer)
        }
        guard let number = Double(text), number.isFinite else {
            throw JSONParseError("the number is too large for a double", offset: start)
        }
        return .double(number)
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
