/// Writes display tokens as pretty JSON into a ``TextBuffer`` the moment they come:
/// two-space indentation, `"key": value`, empty containers as `[]` and `{}`, no
/// trailing newline.
///
/// ```swift
/// let buffer = TextBuffer()
/// var writer = JSONTextWriter(into: buffer)
/// writer.add(model)   // a ModelPlan, through DisplaySink+Plan
/// ```
struct JSONTextWriter: DisplaySink {
    /// Where the text goes.
    let buffer: TextBuffer
    private var depth: Int
    /// The innermost container has no member yet.
    private var opened = false
    /// A key was just written, so the value goes on its line.
    private var afterKey: Bool

    /// A writer for a whole document (`depth` 0), or for a value that another writer
    /// places after its key at nesting `depth`.
    init(into buffer: TextBuffer, depth: Int = 0) {
        self.buffer = buffer
        self.depth = depth
        afterKey = depth > 0
    }

    @inline(__always)
    mutating func add(_ token: DisplayTree.Token) {
        switch token {
        case .endObject, .endArray:
            depth -= 1
            if !opened {
                buffer.append(byte: UInt8(ascii: "\n"))
                buffer.appendSpaces(2 * depth)
            }
            buffer.append(byte: token == .endObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            opened = false
            return
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
