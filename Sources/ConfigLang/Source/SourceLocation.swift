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
    public let file: String
    /// First character.
    public var start: SourceLocation
    /// Just past the last character.
    public var end: SourceLocation

    /// Creates a span (an `end` before `start` is taken as `start`).
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

    /// The same file, other positions.
    func with(start: SourceLocation, end: SourceLocation) -> Span {
        Span(file: file, start: start, end: end)
    }

    /// Orders by file name, then position.
    public static func < (lhs: Span, rhs: Span) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        return (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    private enum CodingKeys: String, CodingKey {
        case file, start, end
    }

    /// Decodes `{"file", "start", "end"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            file: try container.decode(String.self, forKey: .file),
            start: try container.decode(SourceLocation.self, forKey: .start),
            end: try container.decode(SourceLocation.self, forKey: .end))
    }

    /// Encodes `{"file", "start", "end"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
    }
}
