extension DisplayTree {
    /// Writes the tree as block YAML, each line ending in a newline.
    ///
    /// Two spaces per level; a sequence under a key is not indented further; a
    /// sequence item starts on the `- ` line. Scalars are written as JSON (strings
    /// always quoted), empty containers as `[]` and `{}`. A key is quoted unless it is
    /// letters, digits and `_-./` not starting with a digit.
    ///
    /// - Parameter indent: the level a non-empty mapping is written at when another
    ///   writer places it under its key (`0` for a whole document).
    func writeYAML(into buffer: TextBuffer, indent: Int = 0) {
        guard !tokens.isEmpty else { return }
        tokens.withUnsafeBufferPointer { tokens in
            var index = 0
            Self.writeYAML(tokens, at: &index, indent: indent, onDashLine: false, into: buffer)
        }
    }

    /// Writes the value starting at `index` and moves `index` past it.
    ///
    /// - Parameter onDashLine: the first line's indentation (a `- `) is already written.
    private static func writeYAML(
        _ tokens: UnsafeBufferPointer<Token>, at index: inout Int, indent: Int, onDashLine: Bool,
        into buffer: TextBuffer
    ) {
        let token = tokens[index]
        index += 1
        switch token {
        case .beginArray:
            if tokens[index] == .endArray {
                index += 1
                return buffer.append("[]\n")
            }
            var first = true
            while tokens[index] != .endArray {
                if !first || !onDashLine { buffer.appendSpaces(2 * indent) }
                buffer.append("- ")
                writeYAML(tokens, at: &index, indent: indent + 1, onDashLine: true, into: buffer)
                first = false
            }
            index += 1
        case .beginObject:
            if tokens[index] == .endObject {
                index += 1
                return buffer.append("{}\n")
            }
            var first = true
            while case .key(let key) = tokens[index] {
                if !first || !onDashLine { buffer.appendSpaces(2 * indent) }
                if isPlainYAMLKey(key) { buffer.append(contentsOf: key) } else { buffer.appendQuoted(key) }
                index += 1
                switch (tokens[index], tokens[index + 1]) {
                case (.rendered(let bytes), _):
                    // A non-empty mapping written at `indent + 1` by another writer.
                    buffer.append(":\n")
                    buffer.append(bytes: bytes)
                    index += 1
                case (.beginArray, let next) where next != .endArray:
                    buffer.append(":\n")
                    writeYAML(tokens, at: &index, indent: indent, onDashLine: false, into: buffer)
                case (.beginObject, let next) where next != .endObject:
                    buffer.append(":\n")
                    writeYAML(tokens, at: &index, indent: indent + 1, onDashLine: false, into: buffer)
                default:
                    buffer.append(": ")
                    writeYAML(tokens, at: &index, indent: indent + 1, onDashLine: false, into: buffer)
                }
                first = false
            }
            index += 1
        default:
            buffer.appendScalar(token)
            buffer.append(byte: UInt8(ascii: "\n"))
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
