import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with each connection's task preferring the
/// connection's event loop as its executor (``EventLoopTaskExecutor``): what it buys is
/// the time to first byte of a proxied request (Benchmarks/README.md), which without it
/// crossed between the loop's thread and the shared pool at every read, write and
/// upstream answer.
///
/// ```swift
/// let app = Application(responder: responder, server: EventLoopPinnedChannel.http1())
/// ```
public struct EventLoopPinnedChannel: ServerChildChannel {
    /// The wrapped HTTP/1 channel setup.
    public let base: HTTP1Channel

    /// Wraps an HTTP/1 channel answering with `responder`; each request is counted in
    /// flight on its loop while it is answered.
    init(responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration = .init()) {
        base = HTTP1Channel(
            responder: { (request: Request, writer: consuming ResponseWriter, channel: any Channel) in
                let executor = EventLoopTaskExecutor.shared(for: channel.eventLoop)
                executor.requestStarted()
                defer { executor.requestEnded() }
                try await responder(request, writer, channel)
            }, configuration: configuration)
    }

    /// A server builder for Hummingbird's `Application`.
    public static func http1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            EventLoopPinnedChannel(responder: responder, configuration: configuration)
        }
    }

    /// Sets the channel up as Hummingbird's HTTP/1 channel does.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        base.setup(channel: channel, logger: logger)
    }

    /// Handles the connection's requests with its loop as the preferred executor.
    public func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor.shared(for: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
