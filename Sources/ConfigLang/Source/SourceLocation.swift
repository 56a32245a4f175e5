/// A position in a source file: 1-based line and 1-based column in characters.
public struct SourceLocation: Sendable, Hashable, Comparable, Codable {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders by position.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A half-open range of a named file: `start` is the first character, `end` the
/// position just after the last one.
///
/// ```swift
/// let span = Span(file: "config.yaml", start: .init(line: 3, column: 5), end: .init(line: 3, column: 9))
/// ```
public struct Span: Sendable, Hashable, Codable, Comparable {
    /// The file's name as diagnostics print it.
    public var file: String
    /// First character.
    public var start: SourceLocation
    /// Just past the last character.
    public var end: SourceLocation

    /// Creates a span.
    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// A zero-width span at one location.
    public static func point(_ file: String, line: Int, column: Int) -> Span {
        let location = SourceLocation(line: line, column: column)
        return Span(file: file, start: location, end: location)
    }

    /// A span for a whole file when no better position exists.
    public static func file(_ file: String) -> Span {
        point(file, line: 1, column: 1)
    }

    /// The smallest span covering both (same file assumed).
    public func union(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// Orders by position.
    public static func < (lhs: Span, rhs: Span) -> Bool {
        (lhs.file, lhs.start, lhs.end) < (rhs.file, rhs.start, rhs.end)
    }
}
