/// Writes JSON text token by token: the one place in ConfigLang (and in Runtime, through
/// ``JSONValue``) where JSON text is made, with the one string escaper.
///
/// Pretty output indents by two spaces, writes `"key": value` and empty containers as
/// `[]` and `{}`; compact output has no whitespace. The caller keeps the tokens balanced
/// and writes each object member as ``key(_:)`` followed by its value.
///
/// ```swift
/// var writer = JSONWriter(pretty: true)
/// writer.beginObject()
/// writer.key("version")
/// writer.integer(1)
/// writer.endObject()
/// writer.text  // "{\n  \"version\": 1\n}"
/// ```
public struct JSONWriter: Sendable {
    /// The UTF-8 text written so far.
    public private(set) var bytes: [UInt8] = []
    /// Indented output, or none at all.
    public let pretty: Bool
    private var depth = 0
    /// The innermost open container has no member yet.
    private var empty = false
    /// A key was just written: the value goes right after it.
    private var afterKey = false

    /// A writer for pretty or compact text.
    public init(pretty: Bool) {
        self.pretty = pretty
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Opens an object.
    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    /// Closes the innermost object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    /// Opens an array.
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    /// Closes the innermost array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes an object member's key; its value comes next.
    public mutating func key(_ name: String) {
        startValue()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    /// Ends the text with a newline (after the top-level value).
    public mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes `null`.
    public mutating func null() { scalar("null") }
    /// Writes `true` or `false`.
    public mutating func bool(_ flag: Bool) { scalar(flag ? "true" : "false") }
    /// Writes an integer.
    public mutating func integer(_ value: Int) { scalar(String(value)) }
    /// Writes a double in the shortest form that reads back to it; `null` when not finite.
    public mutating func double(_ value: Double) { scalar(value.isFinite ? "\(value)" : "null") }

    /// Writes a string.
    public mutating func string(_ text: String) {
        startValue()
        Self.appendQuoted(text, to: &bytes)
    }

    /// Writes `value`, object keys sorted by their UTF-8 bytes unless `sortedKeys` is
    /// false (then in dictionary order, which is not stable).
    public mutating func value(_ value: JSONValue, sortedKeys: Bool = true) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .integer(let number): integer(number)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let items):
            beginArray()
            for item in items { self.value(item, sortedKeys: sortedKeys) }
            endArray()
        case .object(let members):
            beginObject()
            let keys = sortedKeys ? members.keys.sorted(by: Self.precedes) : Array(members.keys)
            for name in keys {
                key(name)
                self.value(members[name]!, sortedKeys: sortedKeys)
            }
            endObject()
        }
    }

    /// The order of sorted keys: by UTF-8 bytes.
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, `\n` `\r` `\t` `\b` `\f`
    /// by name, other control characters as `\u00xx`, everything else as it is; with
    /// `escapingSlash`, `/` as `\/` (as Foundation's `JSONEncoder` writes it).
    static func appendQuoted(_ text: String, to output: inout [UInt8], escapingSlash: Bool = false) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "/") where escapingSlash:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
            case UInt8(ascii: "\n"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func scalar(_ text: String) {
        startValue()
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func open(_ bracket: UInt8) {
        startValue()
        bytes.append(bracket)
        depth += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if !empty { newline() }
        bytes.append(bracket)
        empty = false
    }

    /// The separator and indentation before a value or key.
    private mutating func startValue() {
        if afterKey {
            afterKey = false
            return
        }
        if depth > 0 {
            if !empty { bytes.append(UInt8(ascii: ",")) }
            newline()
        }
        empty = false
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }
}
