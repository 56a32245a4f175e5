import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// swap-server's HTTP/1 server: ``SwapResponder`` on Hummingbird's HTTP/1 server, each
/// connection's requests handled on its event loop (``EventLoopPinnedChannel``), with the
/// fast path (``FastPathHandler``) in front of it for requests to ready local models.
///
/// It does what Hummingbird's `Application` does for a request (a request context, a
/// 500 for an unexpected error, the `Date` header, the response written with one flush
/// when its body is a single buffer) but does not build a logger with a fresh request ID
/// and bind it to the task for each request: swap's responder logs through its own
/// ``LogHub``, and building that logger took about 3% of swap-server's CPU time in a
/// profile of proxied requests.
struct SwapHTTPService: Service {
    /// A parse error met while writing a response (Hummingbird would answer a parse
    /// error thrown by the responder with a 400 on a connection that already has one).
    struct ResponseWriteFailed: Error {}

    let responder: SwapResponder
    let configuration: ServerConfiguration
    let logger: Logger
    let onServerRunning: @Sendable (any Channel) async -> Void

    func run() async throws {
        let responder = self.responder
        let logger = self.logger
        let dates = HTTPDateCache()
        let fastPath = responder.core.forwarder.upstream.map {
            FastPath(core: responder.core, pool: $0, dates: dates)
        }
        let server = try EventLoopPinnedChannel.http1(fastPath: fastPath).buildServer(
            configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger,
            responder: { (request: Request, writer: consuming ResponseWriter, channel: any Channel) in
                let context = SwapRequestContext(source: .init(channel: channel, logger: logger))
                let response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    throw error
                } catch {
                    logger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
                    response = Response(status: .internalServerError, body: .init())
                }
                do {
                    try await writer.write(response: response.head(date: dates.current), body: response.body)
                } catch is HTTPParserError {
                    throw ResponseWriteFailed()
                }
            }, onServerRunning: onServerRunning)
        try await server.run()
    }
}
