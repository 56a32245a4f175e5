import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1 child channel with each connection's task preferring the
/// connection's event loop as its executor (``EventLoopTaskExecutor``): what it buys is
/// the time to first byte of a proxied request (Benchmarks/README.md), which without it
/// crossed between the loop's thread and the shared pool at every read, write and
/// upstream answer.
///
/// It also holds each connection to its ``ConnectionLimits``: a
/// ``ConnectionTimeoutHandler`` in the pipeline, and a 503 for a connection over the
/// cap.
///
/// ```swift
/// let app = Application(responder: responder, server: EventLoopPinnedChannel.http1())
/// ```
public struct EventLoopPinnedChannel: ServerChildChannel {
    /// The wrapped HTTP/1 channel setup.
    public let base: HTTP1Channel
    /// Timeouts and the connection cap.
    let limits: ConnectionLimits
    /// The connections open now.
    let connections: ConnectionCount

    /// Wraps an HTTP/1 channel answering with `responder`; each request is counted in
    /// flight on its loop while it is answered.
    init(
        responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration = .init(),
        limits: ConnectionLimits = .init(), connections: ConnectionCount = .init()
    ) {
        self.limits = limits
        self.connections = connections
        var configuration = configuration
        configuration.additionalChannelHandlers = { [ConnectionTimeoutHandler(limits: limits)] }
        base = HTTP1Channel(
            responder: { (request: Request, writer: consuming ResponseWriter, channel: any Channel) in
                let executor = EventLoopTaskExecutor.shared(for: channel.eventLoop)
                executor.requestStarted()
                defer { executor.requestEnded() }
                try await responder(request, writer, channel)
            }, configuration: configuration)
    }

    /// A server builder for Hummingbird's `Application`.
    public static func http1(
        configuration: HTTP1Channel.Configuration = .init(), limits: ConnectionLimits = .init()
    ) -> HTTPServerBuilder {
        let connections = ConnectionCount()
        return HTTPServerBuilder { responder in
            EventLoopPinnedChannel(
                responder: responder, configuration: configuration, limits: limits, connections: connections)
        }
    }

    /// Sets the channel up as Hummingbird's HTTP/1 channel does.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        base.setup(channel: channel, logger: logger)
    }

    /// Handles the connection's requests with its loop as the preferred executor.
    /// A connection over the cap gets a 503 and is closed.
    public func handle(value: HTTP1Channel.Value, logger: Logger) async {
        defer { connections.closed() }
        guard connections.opened() <= limits.maxConnections else {
            await Self.refuse(value, limit: limits.maxConnections)
            return
        }
        await withTaskExecutorPreference(EventLoopTaskExecutor.shared(for: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }

    /// Answers 503 without reading the request, and closes.
    private static func refuse(_ value: HTTP1Channel.Value, limit: Int) async {
        let error = OpenAIError(
            .serviceUnavailable,
            "The server has \(limit) connections open, its limit (--max-connections); try again shortly.",
            type: "server_error", code: "too_many_connections", retryAfter: 1)
        let body = ByteBuffer(string: error.body)
        let head = HTTPResponse(
            status: error.status,
            headerFields: [
                .contentType: "application/json", .contentLength: String(body.readableBytes), .connection: "close",
                .retryAfter: "1",
            ])
        try? await value.executeThenClose { _, outbound in
            try await outbound.write(.head(head))
            try await outbound.write(.body(body))
            try await outbound.write(.end(nil))
        }
    }
}
