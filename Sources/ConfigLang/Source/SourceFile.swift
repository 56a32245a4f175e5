import Synchronization

/// The text of one config file, with the line table diagnostics need.
///
/// `name` is what diagnostics print (usually the path as the user gave it).
/// Lines and columns everywhere in ConfigLang are 1-based and count Unicode
/// scalars (characters as libyaml counts them), not bytes.
///
/// Only the bytes are kept: the decoded text and the line table are made when
/// something asks for them (a config without diagnostics needs neither, and on a
/// large file each costs about half a millisecond before parsing can start).
public struct SourceFile: Sendable, Hashable {
    /// The name diagnostics print for this file.
    public let name: String
    /// The original bytes.
    public let bytes: [UInt8]
    /// The byte offset of the start of each line, found on first use.
    private let lineTable: LineTable

    /// Creates a source file from raw bytes.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.lineTable = LineTable()
    }

    /// Creates a source file from a string.
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The whole text, decoded as UTF-8 (invalid bytes replaced); decoded on each use.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// True when the UTF-8 bytes of `needle` occur in the file.
    public func contains(bytesOf needle: String) -> Bool {
        bytes.containsBytes(of: needle)
    }

    /// Two files are equal when they have the same name and bytes.
    public static func == (lhs: SourceFile, rhs: SourceFile) -> Bool {
        lhs.name == rhs.name && lhs.bytes == rhs.bytes
    }

    /// Hashes the name and the bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(bytes)
    }

    private var lineStarts: [Int] { lineTable.starts(of: bytes) }

    /// The number of lines (a trailing newline does not start a new line).
    public var lineCount: Int {
        if let last = lineStarts.last, last == bytes.count, lineStarts.count > 1 {
            return lineStarts.count - 1
        }
        return lineStarts.count
    }

    /// The text of line `line` (1-based) without its line terminator, or nil.
    public func line(_ line: Int) -> String? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, end - 1 < bytes.count, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        if end < start { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The location of a byte offset.
    public func location(ofByte offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let lineStart = lineStarts[low]
        let column = String(decoding: bytes[lineStart..<clamped], as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(line: low + 1, column: column)
    }

    /// The byte offset of a location, clamped to the file.
    public func byteOffset(of location: SourceLocation) -> Int {
        guard location.line >= 1 else { return 0 }
        guard location.line <= lineStarts.count else { return bytes.count }
        var offset = lineStarts[location.line - 1]
        var remaining = location.column - 1
        while remaining > 0, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            offset += Self.scalarLength(lead: bytes[offset])
            remaining -= 1
        }
        return min(offset, bytes.count)
    }

    /// The byte offset just past the end of 1-based `line` (its newline included).
    func lineEndOffset(_ line: Int) -> Int {
        line >= 1 && line < lineStarts.count ? lineStarts[line] : bytes.count
    }

    private static func scalarLength(lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}

/// A file's line starts, computed once by whichever thread asks first.
private final class LineTable: Sendable {
    private let table = Mutex<[Int]?>(nil)

    func starts(of bytes: [UInt8]) -> [Int] {
        table.withLock { table in
            if let table { return table }
            var starts = [0]
            for (index, byte) in bytes.enumerated() where byte == .newline { starts.append(index + 1) }
            table = starts
            return starts
        }
    }
}
