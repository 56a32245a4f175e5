/// A minimal, deterministic JSON serialiser for the machine-readable renderers.
///
/// Objects keep the key order they are built with, output is indented by two
/// spaces, and strings are escaped per RFC 8259 (control characters as `\u00XX`).
enum JSONWriter {
    /// A JSON value whose objects are ordered lists of members.
    indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case string(String)
        case array([Value])
        case object([(String, Value)])

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): true
            case let (.bool(a), .bool(b)): a == b
            case let (.int(a), .int(b)): a == b
            case let (.string(a), .string(b)): a == b
            case let (.array(a), .array(b)): a == b
            case let (.object(a), .object(b)):
                a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: false
            }
        }
    }

    /// `value` as indented JSON text followed by a newline.
    static func write(_ value: Value) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        output.append("\n")
        return output
    }

    /// `text` as a quoted JSON string.
    static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, into: &output)
        return output
    }

    private static func write(_ value: Value, indent: Int, into output: inout String) {
        switch value {
        case .null:
            output.append("null")
        case .bool(let flag):
            output.append(flag ? "true" : "false")
        case .int(let number):
            output.append(String(number))
        case .string(let text):
            appendQuoted(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append("[]")
                return
            }
            output.append("[\n")
            for (index, element) in elements.enumerated() {
                appendIndent(indent + 1, into: &output)
                write(element, indent: indent + 1, into: &output)
                output.append(index == elements.count - 1 ? "\n" : ",\n")
            }
            appendIndent(indent, into: &output)
            output.append("]")
        case .object(let members):
            guard !members.isEmpty else {
                output.append("{}")
                return
            }
            output.append("{\n")
            for (index, (key, member)) in members.enumerated() {
                appendIndent(indent + 1, into: &output)
                appendQuoted(key, into: &output)
                output.append(": ")
                write(member, indent: indent + 1, into: &output)
                output.append(index == members.count - 1 ? "\n" : ",\n")
            }
            appendIndent(indent, into: &output)
            output.append("}")
        }
    }

    private static func appendIndent(_ level: Int, into output: inout String) {
        output.append(String(repeating: "  ", count: level))
    }

    private static func appendQuoted(_ text: String, into output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                output.append("\\u00")
                output.append(hexDigit(scalar.value >> 4))
                output.append(hexDigit(scalar.value & 0xF))
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }

    private static func hexDigit(_ value: UInt32) -> Character {
        Character(Unicode.Scalar(UInt8(value < 10 ? 48 + value : 55 + value)))
    }
}
