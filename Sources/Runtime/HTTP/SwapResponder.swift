import ConfigLang
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP surface of swap-server on Hummingbird: `/health`, the API key check, the
/// proxied routes (handed to ``ProxyCore``), the management API (``ManagementRoutes``)
/// and the web UI (``UIRoutes``).
///
/// For a proxied request it only converts: Hummingbird's request into a
/// ``ProxyRequest``, the core's ``ProxyResponse`` into a Hummingbird response, and the
/// client's disconnect into the cancellation of the core's work.
public struct SwapResponder: HTTPResponder {
    /// The request context Hummingbird creates per request.
    public typealias Context = SwapRequestContext

    /// The plan and its API keys.
    let config: CurrentConfig
    /// The proxy.
    let proxy: ProxyCore
    /// Management routes.
    let management: ManagementRoutes
    /// The web UI's files.
    let ui = UIRoutes(assets: .embedded)

    /// Creates the responder.
    public init(config: CurrentConfig, proxy: ProxyCore, management: ManagementRoutes) {
        self.config = config
        self.proxy = proxy
        self.management = management
    }

    /// Answers one request.
    public func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/health" { return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "OK"))) }
        if let preflight = ManagementRoutes.preflight(request) { return preflight }
        if let redirect = UIRoutes.rootRedirect(request) { return redirect }
        guard let plan = config.plan(authorizing: request.headers) else {
            management.observability.metrics.rejected(.unauthorized)
            let refusal = OpenAIError.unauthorized.response(forPath: path)
            if ProxyCore.handles(method: request.method, path: path) {
                // Counted in the activity like any other answer on a model-routed path.
                return Response(
                    proxy.rejected(proxyRequest(request, context: context), plan: config.plan, response: refusal))
            }
            return Response(refusal)
        }
        if let redirect = ManagementRoutes.upstreamRedirect(request, plan: plan) { return redirect }
        if let page = ui.respond(to: request) { return page }
        if ProxyCore.handles(method: request.method, path: path) {
            let proxied = proxyRequest(request, context: context)
            let proxy = self.proxy
            return Response(await context.untilClientDisconnects { await proxy.respond(to: proxied, plan: plan) })
        }
        do {
            if let response = try await management.respond(to: request, plan: plan) {
                return response
            }
            return Response(OpenAIError.noRoute(request.method, path).response)
        } catch let error as OpenAIError {
            return Response(error.response)
        } catch {
            // Every error leaves in the one shape, never Hummingbird's own.
            return Response(
                OpenAIError(.internalServerError, "\(error)", type: "server_error", code: "internal_error").response)
        }
    }

    /// The core's view of `request`; its `cancel` closes the client's connection, which
    /// cancels the request's work and its upstream exchange.
    private func proxyRequest(_ request: Request, context: Context) -> ProxyRequest {
        let channel = context.channel
        return ProxyRequest(
            method: request.method, path: request.uri.path, query: request.uri.query, headers: request.headers,
            modelParameter: request.uri.queryParameters.get("model"), body: request.body,
            eventLoop: channel.eventLoop, remoteAddress: channel.remoteAddress?.ipAddress,
            cancel: { channel.close(promise: nil) })
    }
}
