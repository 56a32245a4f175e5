extension DisplayNode {
    /// Writes the value as pretty JSON: two-space indentation, `"key": value`, empty
    /// containers as `[]` and `{}`, no trailing newline.
    func writeJSON(into buffer: inout TextBuffer, indent: Int = 0) {
        switch self {
        case .array(let items):
            guard !items.isEmpty else { return buffer.append("[]") }
            buffer.append("[\n")
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.append(",\n") }
                buffer.appendSpaces(2 * (indent + 1))
                item.writeJSON(into: &buffer, indent: indent + 1)
            }
            buffer.append(byte: UInt8(ascii: "\n"))
            buffer.appendSpaces(2 * indent)
            buffer.append(byte: UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return buffer.append("{}") }
            buffer.append("{\n")
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.append(",\n") }
                buffer.appendSpaces(2 * (indent + 1))
                buffer.appendQuoted(member.key)
                buffer.append(": ")
                member.value.writeJSON(into: &buffer, indent: indent + 1)
            }
            buffer.append(byte: UInt8(ascii: "\n"))
            buffer.appendSpaces(2 * indent)
            buffer.append(byte: UInt8(ascii: "}"))
        default:
            buffer.appendScalar(self)
        }
    }
}
