extension DisplayTree {
    /// Writes the tree as pretty JSON: two-space indentation, `"key": value`, empty
    /// containers as `[]` and `{}`, no trailing newline.
    ///
    /// - Parameter depth: the nesting the value is written at, when it is a member
    ///   value another writer places after its key (`0` for a whole document).
    func writeJSON(into buffer: TextBuffer, depth startDepth: Int = 0) {
        var depth = startDepth
        var opened = false  // the innermost container has no member yet
        var afterKey = startDepth > 0
        for index in tokens.indices {
            let token = tokens[index]
            switch token {
            case .endObject, .endArray:
                depth -= 1
                if !opened {
                    buffer.append(byte: UInt8(ascii: "\n"))
                    buffer.appendSpaces(2 * depth)
                }
                buffer.append(byte: token == .endObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                opened = false
                continue
            default:
                break
            }
            if afterKey {
                afterKey = false
            } else if depth > 0 {
                if opened { buffer.append(byte: UInt8(ascii: "\n")) } else { buffer.append(",\n") }
                buffer.appendSpaces(2 * depth)
            }
            opened = false
            switch token {
            case .beginObject, .beginArray:
                buffer.append(byte: token == .beginObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
                depth += 1
                opened = true
            case .key(let key):
                buffer.appendQuoted(key)
                buffer.append(": ")
                afterKey = true
            default:
                buffer.appendScalar(token)
            }
        }
    }
}
