/// Where a large file's top-level section (the `models:` mapping) can be cut into runs
/// of whole entries that libyaml can parse one by one, side by side.
///
/// The cut is found from the lines alone, so it is only a proposal: the section is a
/// line `models:` at column 0 with nothing after it but a comment, followed by entries
/// whose keys all start at one indentation, up to the next line with content at column
/// 0. Each piece starts at such a key line. A piece that does not parse on its own
/// as one block mapping of entries at that indentation (a quoted or flow scalar
/// running over a cut makes the piece before it end inside that scalar) sends the
/// caller back to parsing the file whole (``YAMLComposer``).
///
/// ```
/// head   ── everything up to the first entry: top-level keys and `models:`
/// pieces ── runs of entries, each starting at a key line at the entries' indentation
/// tail   ── from the next line with content at column 0 to the end (may be empty)
/// ```
struct SectionSplit: Equatable {
    /// A run of whole lines: its bytes and the zero-based number of its first line.
    struct Piece: Equatable {
        var bytes: Range<Int>
        var firstLine: Int
    }

    /// From the start of the file to the first entry's line.
    var head: Piece
    /// The section's entries, cut at entry lines into pieces of about equal size.
    var pieces: [Piece]
    /// The rest of the file after the section.
    var tail: Piece
    /// The column (zero-based) every entry key of the section starts at.
    var indent: Int

    /// The split of `bytes` into at most `count` pieces for the top-level key `section`,
    /// or nil when the file does not have the plain shape described above or has fewer
    /// than two entries.
    static func find(in bytes: UnsafeBufferPointer<UInt8>, section: String, pieces count: Int) -> SectionSplit? {
        guard count > 1 else { return nil }
        let key = Array(section.utf8) + [UInt8(ascii: ":")]
        var lineStart = 0
        var line = 0
        var sectionLine: Int?
        var sawContent = false
        var indent = -1
        var entries: [(byte: Int, line: Int)] = []
        var tail: Piece?
        while lineStart < bytes.count {
            let lineEnd = ByteSearch.firstIndex(of: .newline, in: bytes, from: lineStart) ?? bytes.count
            defer {
                lineStart = lineEnd + 1
                line += 1
            }
            var column = 0
            while lineStart + column < lineEnd, bytes[lineStart + column] == .space { column += 1 }
            let first = lineStart + column < lineEnd ? bytes[lineStart + column] : .newline
            // Blank and comment lines belong to whatever surrounds them.
            if first == .newline || first == .hash || (first == .carriageReturn && lineStart + column + 1 == lineEnd) {
                continue
            }
            // A .tab in the indentation, or a directive, is left to libyaml.
            if first == .tab || first == .percent { return nil }
            guard sectionLine != nil else {
                if column == 0, startsKeyLine(bytes, at: lineStart, lineEnd: lineEnd, key: key) {
                    sectionLine = line
                } else if column == 0, isMarker(bytes, at: lineStart, lineEnd: lineEnd) {
                    // Only a `---` that opens the file; other markers are left to libyaml.
                    if sawContent { return nil }
                }
                sawContent = true
                continue
            }
            if column == 0 {
                guard !entries.isEmpty, isKeyStart(first), !isMarker(bytes, at: lineStart, lineEnd: lineEnd)
                else { return nil }
                tail = Piece(bytes: lineStart..<bytes.count, firstLine: line)
                break
            }
            if indent < 0 {
                guard isKeyStart(first) else { return nil }
                indent = column
            }
            if column < indent { return nil }
            if column == indent {
                guard isKeyStart(first) else {
                    // A sequence written at its key's indentation (`key:\n- item`) is
                    // part of the entry above; anything else here is left to libyaml.
                    if first == .dash { continue }
                    return nil
                }
                entries.append((lineStart, line))
            }
        }
        guard let firstEntry = entries.first, entries.count >= 2 else { return nil }
        let end = tail ?? Piece(bytes: bytes.count..<bytes.count, firstLine: line)
        let total = end.bytes.lowerBound - firstEntry.byte
        var pieces: [Piece] = []
        var start = firstEntry
        for entry in entries.dropFirst() {
            let wanted = total * (pieces.count + 1) / count
            if entry.byte - firstEntry.byte >= wanted, pieces.count < count - 1 {
                pieces.append(Piece(bytes: start.byte..<entry.byte, firstLine: start.line))
                start = entry
            }
        }
        pieces.append(Piece(bytes: start.byte..<end.bytes.lowerBound, firstLine: start.line))
        return SectionSplit(
            head: Piece(bytes: 0..<firstEntry.byte, firstLine: 0), pieces: pieces, tail: end, indent: indent)
    }

    /// True when the line is `key:` followed by nothing but spaces and a comment.
    private static func startsKeyLine(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, lineEnd: Int, key: [UInt8]
    ) -> Bool {
        guard lineEnd - start >= key.count else { return false }
        for index in key.indices where bytes[start + index] != key[index] { return false }
        var position = start + key.count
        while position < lineEnd, bytes[position] == .space || bytes[position] == .carriageReturn { position += 1 }
        guard position < lineEnd else { return true }
        return bytes[position] == .hash && position > start + key.count
    }

    /// `---` or `...` at the start of a line.
    private static func isMarker(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, lineEnd: Int) -> Bool {
        guard lineEnd - start >= 3 else { return false }
        let first = bytes[start]
        return (first == .dash || first == .dot) && bytes[start + 1] == first && bytes[start + 2] == first
    }

    /// Whether a line starting with `byte` can start a plain or quoted mapping key: not
    /// an indicator that could make it a sequence item, an explicit key or value, a
    /// flow collection, an anchor, an alias, a tag or a block scalar.
    private static func isKeyStart(_ byte: UInt8) -> Bool {
        switch byte {
        case .dash, UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
            UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "@"), UInt8(ascii: "`"), .hash, .percent, .tab, .space,
            .carriageReturn, .newline:
            false
        default:
            true
        }
    }
}
