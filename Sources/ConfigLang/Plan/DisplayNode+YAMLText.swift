extension DisplayNode {
    /// Writes the value as block YAML, each line ending in a newline.
    ///
    /// Two spaces per level; a sequence under a key is not indented further; a
    /// sequence item starts on the `- ` line. Scalars are written as JSON (strings
    /// always quoted), empty containers as `[]` and `{}`. A key is quoted unless it is
    /// letters, digits and `_-./` not starting with a digit.
    ///
    /// - Parameter onDashLine: the first line's indentation (a `- `) is already written.
    func writeYAML(into buffer: inout TextBuffer, indent: Int = 0, onDashLine: Bool = false) {
        switch self {
        case .array(let items):
            guard !items.isEmpty else { return buffer.append("[]\n") }
            for (index, item) in items.enumerated() {
                if index > 0 || !onDashLine { buffer.appendSpaces(2 * indent) }
                buffer.append("- ")
                item.writeYAML(into: &buffer, indent: indent + 1, onDashLine: true)
            }
        case .object(let members):
            guard !members.isEmpty else { return buffer.append("{}\n") }
            for (index, member) in members.enumerated() {
                if index > 0 || !onDashLine { buffer.appendSpaces(2 * indent) }
                Self.writeYAMLKey(member.key, into: &buffer)
                let child = member.value
                switch child {
                case .array where !child.isEmptyContainer:
                    buffer.append(":\n")
                    child.writeYAML(into: &buffer, indent: indent)
                case .object where !child.isEmptyContainer:
                    buffer.append(":\n")
                    child.writeYAML(into: &buffer, indent: indent + 1)
                default:
                    buffer.append(": ")
                    child.writeYAML(into: &buffer, indent: indent + 1)
                }
            }
        default:
            buffer.appendScalar(self)
            buffer.append(byte: UInt8(ascii: "\n"))
        }
    }

    private static func writeYAMLKey(_ key: String, into buffer: inout TextBuffer) {
        if isPlainYAMLKey(key) {
            buffer.append(key)
        } else {
            buffer.appendQuoted(key)
        }
    }

    /// True when `key` can be written unquoted: non-empty, only letters, numbers and
    /// `_-./`, not starting with a number (Unicode letters and numbers count).
    static func isPlainYAMLKey(_ key: String) -> Bool {
        var ascii = true
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "/"):
                continue
            case 0x80...:
                ascii = false
            default:
                return false
            }
        }
        guard ascii else {
            return !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) }
                && !(key.first?.isNumber ?? false)
        }
        guard let first = key.utf8.first else { return false }
        return !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
    }
}
