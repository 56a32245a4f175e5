extension SourceFile {
    /// The span of the `occurrence`-th (0-based) appearance of `needle` inside `span`,
    /// or nil when the text there differs (escapes, folding) and it cannot be found.
    ///
    /// Used to point at one `${macro}` inside a longer scalar.
    public func locate(_ needle: String, within span: Span, occurrence: Int = 0) -> Span? {
        guard span.file == name, !needle.isEmpty else { return nil }
        let start = byteOffset(of: span.start)
        // The end of the span's last line bounds the search: the matches counted come
        // from the scalar itself, so the wanted one lies before the scalar's end, and
        // finding that end column would walk a long line once per search.
        let end = max(start, lineEndOffset(span.end.line))
        let pattern = Array(needle.utf8)
        var found = 0
        var index = start
        while index + pattern.count <= end {
            if bytes[index] == pattern[0], Array(bytes[index..<index + pattern.count]) == pattern {
                if found == occurrence {
                    return Span(
                        file: name, start: location(ofByte: index), end: location(ofByte: index + pattern.count))
                }
                found += 1
                index += pattern.count
            } else {
                index += 1
            }
        }
        return nil
    }
}
