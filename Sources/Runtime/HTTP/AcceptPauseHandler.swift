import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Stops accepting connections for a while when the process runs out of file
/// descriptors (or kernel memory) to accept one, instead of spinning.
///
/// SwiftNIO's own accept backoff does not take hold when the very first `accept` of a
/// wake-up fails: the listening socket stays registered for reads, and the event loop
/// wakes up again at once, for ever (a full core). This handler, first in the listening
/// socket's pipeline, turns reading off on such an error and back on after `pause`.
final class AcceptPauseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel

    /// Errors that say "not now" rather than "never".
    static let transient: Set<CInt> = [EMFILE, ENFILE, ENOBUFS, ENOMEM]

    private let pause: TimeAmount
    private let log: @Sendable (String) -> Void
    private var paused = false

    /// Pauses for `pause` on each such error; `log` hears of each pause.
    init(pause: TimeAmount = .seconds(1), log: @escaping @Sendable (String) -> Void) {
        self.pause = pause
        self.log = log
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, Self.transient.contains(error.errnoCode), !paused {
            paused = true
            let channel = context.channel
            try? channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
            log("cannot accept connections (\(error)); pausing accept for \(pause.nanoseconds / 1_000_000) ms")
            context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: pause) {
                self.paused = false
                try? channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
            }
        }
        context.fireErrorCaught(error)
    }
}
