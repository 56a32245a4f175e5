/// Identifies one request while the scheduler tracks it, from arrival to release.
///
/// IDs are handed out by ``ModelScheduler``; the state machine only compares them.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    /// The number behind the ID (unique per scheduler).
    public let rawValue: UInt64

    /// Creates an ID from a number.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `#` followed by the number, for logs.
    public var description: String { "#\(rawValue)" }
}
