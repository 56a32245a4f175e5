import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// An HTTP/1 server child channel whose connection tasks run on the connection's event
/// loop (see ``EventLoopTaskExecutor``).
///
/// Hummingbird handles each connection in a task on Swift's default pool, so every
/// request part read, every response write and every upstream answer crosses between an
/// event loop thread and a pool thread, and each crossing wakes a thread. Here the
/// connection's task prefers its loop's executor: while the loop is lightly loaded its
/// requests are read, handled and answered on the thread that does the connection's I/O.
///
/// ```swift
/// let app = Application(responder: responder, server: EventLoopPinnedChannel.http1())
/// ```
public struct EventLoopPinnedChannel: ServerChildChannel {
    /// The wrapped HTTP/1 channel setup.
    public let base: HTTP1Channel
    /// The fast path installed on each connection, if any (see ``FastPathHandler``).
    let fastPath: FastPath?

    /// Wraps an HTTP/1 channel answering with `responder`, with `fastPath` (if any) in
    /// front of it; each request is counted in flight on its loop while it is answered.
    init(
        responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration = .init(),
        fastPath: FastPath?
    ) {
        self.fastPath = fastPath
        base = HTTP1Channel(
            responder: { (request: Request, writer: consuming ResponseWriter, channel: any Channel) in
                let executor = EventLoopTaskExecutor.shared(for: channel.eventLoop)
                executor.requestStarted()
                defer { executor.requestEnded() }
                try await responder(request, writer, channel)
            }, configuration: configuration)
    }

    /// A server builder whose connections have `fastPath` in front of Hummingbird.
    static func http1(configuration: HTTP1Channel.Configuration = .init(), fastPath: FastPath?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            EventLoopPinnedChannel(responder: responder, configuration: configuration, fastPath: fastPath)
        }
    }

    /// Sets the channel up as HTTP/1, with ``HTTP1ServerCodec`` in place of the HTTP/1 ↔
    /// HTTP Types codec Hummingbird installs, and the fast path (if any) in front of it.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        let fastPath = self.fastPath
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
            let ownCodec = HTTP1ServerCodec()
            try pipeline.addHandler(ownCodec, position: .after(codec))
            pipeline.removeHandler(codec, promise: nil)
            if let fastPath {
                try pipeline.addHandler(FastPathHandler(fastPath: fastPath), position: .before(ownCodec))
            }
            return value
        }
    }

    /// Handles the connection's requests with its loop as the preferred executor.
    public func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor.shared(for: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
