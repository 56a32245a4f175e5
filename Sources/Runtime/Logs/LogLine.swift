import FoundationEssentials

/// One line of log output: when it arrived, where it came from, and its text.
///
/// `source` is `"proxy"` for the server's own lines and the model ID for a backend's
/// stdout and stderr. `sequence` totally orders every line a ``LogHub`` accepted, so
/// lines from several sources merge back into arrival order.
public struct LogLine: Sendable, Hashable {
    /// When the hub accepted the line.
    public var timestamp: Date
    /// `"proxy"`, `"upstream"` or a model ID.
    public var source: String
    /// The line, without its line terminator.
    public var text: String
    /// The line's position in the hub's arrival order (starts at 1).
    public var sequence: UInt64

    /// Creates a line.
    public init(timestamp: Date, source: String, text: String, sequence: UInt64) {
        self.timestamp = timestamp
        self.source = source
        self.text = text
        self.sequence = sequence
    }
}
