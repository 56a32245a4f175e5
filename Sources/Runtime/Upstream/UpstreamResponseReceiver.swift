import NIOCore
import NIOHTTP1

/// What an ``UpstreamConnection`` hands the parts of one response to, on the
/// connection's event loop, in order: the head, body chunks, then the end, or a failure
/// instead of whatever has not come yet.
///
/// ``UpstreamExchange`` passes them on to a waiting task; the server's fast path relays
/// them to its client directly.
protocol UpstreamResponseReceiver: AnyObject {
    /// The response head arrived.
    func received(head: HTTPResponseHead)
    /// A body chunk arrived.
    func received(chunk: ByteBuffer)
    /// The response ended.
    func receivedEnd()
    /// The exchange failed: the connection closed or failed, or the receiver was
    /// abandoned with `error`.
    func failed(_ error: any Error)
    /// Whether the connection may read more now. When not, the read is held until the
    /// connection's ``UpstreamConnection/readAgain()``.
    func shouldRead() -> Bool
}

extension UpstreamExchange: UpstreamResponseReceiver {}
