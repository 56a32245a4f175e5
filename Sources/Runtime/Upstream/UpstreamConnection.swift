import AsyncHTTPClient
import ConfigLang
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to a backend, carrying one exchange at a time.
///
/// The request's head, body and end go out in one flush (one wake-up of the backend);
/// the response's parts are handed to the waiting task by ``UpstreamExchange``.
final class UpstreamConnection: Sendable, Identifiable {
    /// The channel.
    let channel: any Channel
    private let handler: NIOLoopBound<UpstreamConnectionHandler>

    private init(channel: any Channel, handler: NIOLoopBound<UpstreamConnectionHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// The connection's identity (for the pool).
    var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Opens a connection to `host`:`port` on `eventLoop`. `onReusable` runs on the loop
    /// each time an exchange has completed and the connection may carry another.
    static func connect(
        host: String, port: Int, on eventLoop: any EventLoop, timeouts: ConnectionTimeouts,
        onReusable: @escaping @Sendable (UpstreamConnection) -> Void
    ) async throws -> UpstreamConnection {
        var bootstrap = ClientBootstrap(group: eventLoop)
            // 0 turns the limit off; NIO wants one, so a day stands for none.
            .connectTimeout(.seconds(Int64(timeouts.connect > 0 ? timeouts.connect : 86_400)))
        if timeouts.keepalive > 0 {
            bootstrap = bootstrap.channelOption(.socketOption(.so_keepalive), value: 1)
            #if os(Linux)
                // The probe period: first probe after `keepalive` idle seconds, then every
                // `keepalive` seconds.
                let level = NIOBSDSocket.OptionLevel.tcp
                bootstrap = bootstrap.channelOption(
                    ChannelOptions.Types.SocketOption(level: level, name: .init(rawValue: Int32(TCP_KEEPIDLE))),
                    value: SocketOptionValue(timeouts.keepalive)
                )
                .channelOption(
                    ChannelOptions.Types.SocketOption(level: level, name: .init(rawValue: Int32(TCP_KEEPINTVL))),
                    value: SocketOptionValue(timeouts.keepalive))
            #endif
        }
        bootstrap =
            bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnectionHandler())
                }
            }
        let channel: any Channel
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            channel = try await bootstrap.connect(to: address).get()
        } else {
            channel = try await bootstrap.connect(host: host, port: port).get()
        }
        return try await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamConnectionHandler.self)
            let connection = UpstreamConnection(
                channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            handler.onReusable = { [unowned connection] in onReusable(connection) }
            return connection
        }.get()
    }

    /// Whether the connection is still open.
    var isActive: Bool { channel.isActive }

    /// Sends a request and returns the response once its head has arrived; its body
    /// streams as the backend sends it. Throws when the connection fails before the head.
    /// With `responseHeaderTimeout` above 0, a response head that has not arrived that
    /// many seconds after the call fails the exchange and closes the connection.
    nonisolated(nonsending) func execute(
        head: HTTPRequestHead, body: UpstreamRequestBody, responseHeaderTimeout: Int = 0
    ) async throws
        -> (head: HTTPResponseHead, body: UpstreamBody)
    {
        let exchange = UpstreamExchange(connection: self)
        var timer: Scheduled<Void>?
        if responseHeaderTimeout > 0 {
            let handler = self.handler
            timer = channel.eventLoop.scheduleTask(in: .seconds(Int64(responseHeaderTimeout))) {
                handler.value.abandon(
                    exchange, because: UpstreamError.responseHeaderTimeout(seconds: responseHeaderTimeout))
            }
        }
        defer { timer?.cancel() }
        switch body {
        case .none:
            onLoop { $0.begin(exchange, head: head, body: nil, ended: true) }
        case .bytes(let bytes):
            let buffer = ByteBuffer(bytes: bytes)
            onLoop { $0.begin(exchange, head: head, body: buffer, ended: true) }
        case .stream(let stream):
            onLoop { $0.begin(exchange, head: head, body: nil, ended: false) }
            do {
                for try await chunk in stream {
                    try await write(chunk)
                }
            } catch {
                close()
                throw error
            }
            onLoop { $0.endRequest() }
        }
        return (try await exchange.head(), UpstreamBody(exchange))
    }

    private nonisolated(nonsending) func write(_ chunk: ByteBuffer) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        onLoop { $0.write(chunk: chunk, promise: promise) }
        try await promise.futureResult.get()
    }

    /// Lets a connection paused by backpressure read again.
    func readAgain() {
        onLoop { $0.readAgain() }
    }

    /// Closes the connection if it still carries `exchange` (the proxy gave up on it);
    /// a connection already back in the pool is left alone.
    func abandon(_ exchange: UpstreamExchange) {
        onLoop { $0.abandon(exchange) }
    }

    /// Closes the connection (whatever exchange it carries fails).
    func close() {
        channel.close(promise: nil)
    }

    /// Runs `body` with the handler on the connection's loop: at once when called there,
    /// else queued.
    private func onLoop(_ body: @escaping @Sendable (UpstreamConnectionHandler) -> Void) {
        if channel.eventLoop.inEventLoop {
            body(handler.value)
        } else {
            let handler = self.handler
            channel.eventLoop.execute { body(handler.value) }
        }
    }
}
