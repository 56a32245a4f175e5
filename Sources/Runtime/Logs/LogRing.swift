/// A bounded first-in, first-out buffer of log lines.
///
/// Holds at most `maxLines` lines and at most `maxBytes` bytes of text (UTF-8); the
/// oldest lines go first when either bound would be exceeded. A single line larger
/// than `maxBytes` is still kept (alone), so the newest line is never lost.
struct LogRing: Sendable {
    /// The most lines kept.
    let maxLines: Int
    /// The most text bytes kept.
    let maxBytes: Int
    /// Lines from `head` on are live; the prefix before it is compacted away lazily.
    private var storage: [LogLine] = []
    private var head = 0
    /// Text bytes of the live lines.
    private(set) var byteCount = 0

    init(maxLines: Int, maxBytes: Int) {
        precondition(maxLines > 0 && maxBytes > 0, "a log ring needs room for at least one line")
        self.maxLines = maxLines
        self.maxBytes = maxBytes
    }

    /// How many lines the ring holds.
    var count: Int { storage.count - head }

    /// Adds `line`, dropping the oldest lines as needed.
    mutating func append(_ line: LogLine) {
        let size = line.text.utf8.count
        while count > 0 && (count >= maxLines || byteCount + size > maxBytes) {
            byteCount -= storage[head].text.utf8.count
            head += 1
        }
        if head > 0 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        storage.append(line)
        byteCount += size
    }

    /// The lines, oldest first.
    var lines: ArraySlice<LogLine> {
        storage[head...]
    }
}
