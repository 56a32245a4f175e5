extension JSONValue {
    /// The value as block YAML, each line ending in a newline, keys sorted as
    /// ``JSONWriter`` sorts them.
    ///
    /// Two spaces per level; a sequence under a key is not indented further; a sequence
    /// item starts on the `- ` line. Scalars are written as JSON (strings always
    /// quoted), empty containers as `[]` and `{}`. A key is quoted unless it is
    /// letters, digits and `_-./` not starting with a digit.
    public var yamlText: String {
        var output: [UInt8] = []
        Self.writeYAML(self, indent: 0, onDashLine: false, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes `value` at `indent`; with `onDashLine`, its first line's indentation (a
    /// `- `) is already written.
    private static func writeYAML(_ value: JSONValue, indent: Int, onDashLine: Bool, into output: inout [UInt8]) {
        switch value {
        case .array(let items) where !items.isEmpty:
            for (index, item) in items.enumerated() {
                if index > 0 || !onDashLine {
                    output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
                }
                output.append(contentsOf: Array("- ".utf8))
                writeYAML(item, indent: indent + 1, onDashLine: true, into: &output)
            }
        case .object(let members) where !members.isEmpty:
            for (index, key) in members.keys.sorted(by: JSONWriter.precedes).enumerated() {
                if index > 0 || !onDashLine {
                    output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
                }
                if isPlainYAMLKey(key) {
                    output.append(contentsOf: key.utf8)
                } else {
                    JSONWriter.appendQuoted(key, to: &output)
                }
                let member = members[key]!
                switch member {
                case .array(let items) where !items.isEmpty:
                    output.append(contentsOf: Array(":\n".utf8))
                    writeYAML(member, indent: indent, onDashLine: false, into: &output)
                case .object(let nested) where !nested.isEmpty:
                    output.append(contentsOf: Array(":\n".utf8))
                    writeYAML(member, indent: indent + 1, onDashLine: false, into: &output)
                default:
                    output.append(contentsOf: Array(": ".utf8))
                    writeYAML(member, indent: indent + 1, onDashLine: false, into: &output)
                }
            }
        default:
            var writer = JSONWriter(pretty: true)
            writer.value(value)
            output.append(contentsOf: writer.bytes)
            output.append(UInt8(ascii: "\n"))
        }
    }

    /// True when `key` can be written unquoted: non-empty, only letters, numbers and
    /// `_-./`, not starting with a number (Unicode letters and numbers count).
    static func isPlainYAMLKey(_ key: String) -> Bool {
        guard let first = key.first, !first.isNumber else { return false }
        return key.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) }
    }
}
