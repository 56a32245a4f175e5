/// Why bytes are not one strict RFC 8259 JSON text.
public struct JSONParseError: Error, Sendable, Hashable {
    /// One sentence saying what was found and what was expected.
    public var message: String
    /// UTF-8 byte offset into the parsed bytes where the problem is.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}
