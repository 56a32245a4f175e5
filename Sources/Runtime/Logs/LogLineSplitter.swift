/// Cuts a byte stream (a backend's stdout or stderr) into text lines.
///
/// Lines end at `\n`; a `\r` right before it is dropped. A line longer than
/// `maxLineLength` bytes is emitted in pieces of that size, so a backend that never
/// writes a newline cannot make the reader buffer without bound. Invalid UTF-8 is
/// repaired with U+FFFD.
///
/// ```swift
/// var splitter = LogLineSplitter()
/// splitter.append(Array("one\ntw".utf8))   // ["one"]
/// splitter.append(Array("o\n".utf8))       // ["two"]
/// splitter.finish()                         // nil: nothing left over
/// ```
struct LogLineSplitter: Sendable {
    /// The longest line, in bytes, emitted whole.
    let maxLineLength: Int
    private var pending: [UInt8] = []

    init(maxLineLength: Int = 16 * 1024) {
        precondition(maxLineLength > 0, "lines need at least one byte")
        self.maxLineLength = maxLineLength
    }

    /// The lines completed by `bytes`.
    mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(takeLine())
            } else {
                pending.append(byte)
                if pending.count >= maxLineLength {
                    lines.append(takeLine())
                }
            }
        }
        return lines
    }

    /// The unterminated last line, if any; call once the stream has ended.
    mutating func finish() -> String? {
        pending.isEmpty ? nil : takeLine()
    }

    private mutating func takeLine() -> String {
        if pending.last == UInt8(ascii: "\r") {
            pending.removeLast()
        }
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        return line
    }
}
