import NIOCore

/// The body of a request sent to a backend or peer.
public enum UpstreamRequestBody: Sendable {
    /// A buffered (possibly rewritten) body; it can be sent again.
    case bytes([UInt8])
    /// The client's body, streamed through as it arrives; it cannot be sent again.
    case stream(any AsyncSequence<ByteBuffer, any Error> & Sendable)
    /// No body.
    case none

    /// Whether the body can be sent a second time (a retry after a failed attempt).
    public var isReplayable: Bool {
        if case .stream = self { return false }
        return true
    }
}
