/// The part of a source line a report quotes: the whole line when it is short, else a
/// window around the span's start with `…` marking what was left out, so that quoting
/// a line costs the same however long it is.
struct Excerpt {
    /// Lines up to this many columns are quoted whole.
    static let maximumColumns = 240
    /// How many columns of a long line are kept before the span's start.
    static let contextBefore = 60

    /// The quoted text.
    let text: String
    /// The span's first column within ``text``.
    let start: Int
    /// The column after the span within ``text`` (nil: the span runs past the line).
    let end: Int?

    /// The excerpt of `line` for a span from column `start` to `end` (1-based; nil: to
    /// the end of the line).
    init(_ line: String, from start: Int, to end: Int?) {
        let scalars = line.unicodeScalars
        guard scalars.index(scalars.startIndex, offsetBy: Self.maximumColumns, limitedBy: scalars.endIndex) != nil
        else {
            (self.text, self.start, self.end) = (line, start, end)
            return
        }
        // Only the scalars up to the window's end are walked, not the whole line.
        let first = max(0, start - 1 - Self.contextBefore)
        let lower = scalars.index(scalars.startIndex, offsetBy: first, limitedBy: scalars.endIndex) ?? scalars.endIndex
        let upper =
            scalars.index(lower, offsetBy: Self.maximumColumns, limitedBy: scalars.endIndex) ?? scalars.endIndex
        let lead = first > 0 ? "…" : ""
        let shift = first - (first > 0 ? 1 : 0)
        let clipped = upper < scalars.endIndex
        let last = first + scalars.distance(from: lower, to: upper)
        var text = lead
        text.unicodeScalars.append(contentsOf: scalars[lower..<upper])
        if clipped { text += "…" }
        self.text = text
        self.start = start - shift
        if let end, end - 1 <= last {
            self.end = end - shift
        } else {
            self.end = clipped ? last - shift + 1 : nil
        }
    }
}
