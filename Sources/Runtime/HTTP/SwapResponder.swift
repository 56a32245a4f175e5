import AsyncHTTPClient
import ConfigLang
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP surface of swap-server: model-routed OpenAI/Anthropic routes, the raw
/// `/upstream/<model>/…` passthrough, and the management API. One `switch` over the
/// path instead of a router, so the hot path does no trie walk.
///
/// The proxy's async functions here and down to the upstream connection are
/// `nonisolated(nonsending)`: they run on their caller's executor (the connection's
/// event loop, see ``EventLoopPinnedChannel``). A plain nonisolated async function hops
/// to the generic executor on entry and after each call it awaits, and under a task
/// executor preference every hop reads that preference under the task's status lock
/// (67 such switches per proxied request before, 52 after; the rest are in Hummingbird
/// and NIO).
public struct SwapResponder: HTTPResponder {
    /// The request context Hummingbird creates per request.
    public typealias Context = SwapRequestContext

    /// Paths whose JSON (or multipart) body names the model.
    static let modelRoutedPaths: Set<String> = [
        "/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings", "/v1/audio/speech",
        "/v1/audio/transcriptions", "/v1/audio/voices", "/v1/images/generations", "/v1/images/edits",
        "/v1/messages", "/v1/messages/count_tokens", "/v1/rerank", "/v1/reranking", "/rerank", "/reranking",
        "/infill", "/completion",
    ]

    /// Shared server state.
    public let core: SwapCore
    /// Management routes.
    let management: ManagementRoutes

    /// Creates the responder.
    public init(core: SwapCore) {
        self.core = core
        self.management = ManagementRoutes(core: core)
    }

    /// Answers one request.
    public nonisolated(nonsending) func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/health" { return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "OK"))) }
        let (plan, keyCheck) = core.planAndKeyCheck
        guard keyCheck.allows(request.headers) else {
            return OpenAIError(
                .unauthorized, "Missing or wrong API key: send `Authorization: Bearer KEY` or `x-api-key: KEY`.",
                type: "authentication_error", code: "invalid_api_key"
            ).response()
        }
        do {
            if request.method == .post, Self.modelRoutedPaths.contains(path) {
                return try await modelRouted(request, context: context, plan: plan)
            }
            if request.method == .get, path == "/props" {
                return try await queryRouted(request, context: context, plan: plan)
            }
            if path.hasPrefix("/upstream/") {
                return try await upstream(
                    request, context: context, rest: String(path.dropFirst("/upstream/".count)), plan: plan)
            }
            if let response = try await management.respond(to: request, plan: plan) {
                return response
            }
            return OpenAIError(
                .notFound, "No route for \(request.method) \(path).", type: "invalid_request_error", code: "not_found"
            )
            .response()
        } catch let error as OpenAIError {
            return error.response()
        }
    }

    // MARK: model-routed

    private nonisolated(nonsending) func collect(_ request: Request) async throws(OpenAIError) -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: core.maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw OpenAIError(
                .contentTooLarge, "The request body is larger than \(core.maxBodyBytes) bytes.",
                type: "invalid_request_error", code: "body_too_large")
        }
    }

    private nonisolated(nonsending) func modelRouted(_ request: Request, context: Context, plan: Plan) async throws
        -> Response
    {
        let bytes = try await collect(request)
        let (name, body) = try Self.modelBody(
            bytes, contentType: request.headers.scannedValue(.contentType) ?? "", queryModel: { queryModel(request) })
        return try await dispatch(request, context: context, plan: plan, name: name, path: request.uri.path, body: body)
    }

    private func queryModel(_ request: Request) -> String? {
        request.uri.queryParameters.get("model")
    }

    private nonisolated(nonsending) func queryRouted(_ request: Request, context: Context, plan: Plan) async throws
        -> Response
    {
        guard let name = queryModel(request) else {
            throw OpenAIError.badRequest("Name the model with `?model=`.")
        }
        return try await dispatch(
            request, context: context, plan: plan, name: name, path: request.uri.path, body: .raw([]))
    }

    private nonisolated(nonsending) func dispatch(
        _ request: Request, context: Context, plan: Plan, name: String, path: String, body: HeldBody
    ) async throws
        -> Response
    {
        switch try route(name, body: body, plan: plan) {
        case .peer(let peer, let upstreamBody, let inject):
            let response = try await forward(
                request, context: context, to: UpstreamAddress(peer.proxy), path: path, body: upstreamBody,
                plan: plan, timeouts: peer.timeouts, inject: inject)
            return try await relay(response, from: peer.proxy, finished: { _ in })
        case .local(let model, let upstreamBody):
            return try await proxyLocal(
                request, context: context, plan: plan, model: model, path: path, body: upstreamBody)
        }
    }

    private nonisolated(nonsending) func forward(
        _ request: Request, context: Context, to address: UpstreamAddress, path: String, body: ProxyForwarder.Body,
        plan: Plan, timeouts: ConnectionTimeouts, inject: [(String, String)] = []
    ) async throws -> UpstreamAnswer {
        do {
            return try await core.forwarder.send(
                method: request.method, to: address, path: path, query: request.uri.query,
                headers: request.headers, body: body, stripCredentials: !plan.settings.apiKeys.isEmpty,
                inject: inject, on: context.channel.eventLoop, timeouts: timeouts)
        } catch {
            throw OpenAIError.upstreamFailed(error, baseURL: address.baseURL)
        }
    }

    /// Admits the request through the scheduler (starting or swapping models as
    /// needed), forwards it, and releases the admission when the response ends. All of
    /// it is cancelled when the client goes away: a queued request is withdrawn, an
    /// upstream request cancelled.
    private nonisolated(nonsending) func proxyLocal(
        _ request: Request, context: Context, plan: Plan, model: ModelPlan, path: String, body: ProxyForwarder.Body
    ) async throws -> Response {
        try await context.untilClientDisconnects {
            try await admitAndForward(request, context: context, plan: plan, model: model, path: path, body: body)
        }
    }

    private nonisolated(nonsending) func admitAndForward(
        _ request: Request, context: Context, plan: Plan, model: ModelPlan, path: String, body: ProxyForwarder.Body
    ) async throws -> Response {
        let lease: SchedulerLease
        let scheduler = core.scheduler
        let modelID = model.id
        do {
            lease = try await scheduler.acquire(model: modelID)
        } catch let error as SchedulerError {
            throw error.openAIError(model: model.id)
        }
        do {
            // A backend that died a moment ago may still look ready (its exit is noticed
            // asynchronously); a buffered request is then retried after the pool has
            // seen the exit and started it again. A streamed body cannot be replayed.
            let attempts = if case .stream = body { 1 } else { 3 }
            var attempt = 1
            while true {
                let address: UpstreamAddress
                do {
                    address = try await core.pool.readyAddress(of: model.id)
                } catch {
                    throw OpenAIError(
                        .serviceUnavailable, "Model `\(model.id)` could not be started: \(error)", type: "server_error",
                        code: "backend_failed", retryAfter: 1)
                }
                let upstream: UpstreamAnswer
                do {
                    upstream = try await forward(
                        request, context: context, to: address, path: path, body: body, plan: plan,
                        timeouts: model.timeouts)
                } catch let error as OpenAIError where error.code == "backend_failed" && attempt < attempts {
                    try await Task.sleep(for: .milliseconds(50 * attempt))
                    attempt += 1
                    continue
                }
                let counters = core.requests
                let status = upstream.statusCode
                return try await relay(
                    upstream, from: address.baseURL,
                    finished: { completed in
                        counters.record(model: modelID, status: completed ? status : 502)
                        scheduler.release(lease)
                    })
            }
        } catch {
            scheduler.release(lease)
            throw error
        }
    }

    /// The client's response for `upstream`; a backend that fails before its first body
    /// chunk is a 502.
    private nonisolated(nonsending) func relay(
        _ upstream: UpstreamAnswer, from baseURL: String, finished: @escaping @Sendable (Bool) async -> Void
    ) async throws -> Response {
        do {
            return try await ProxyForwarder.response(from: upstream, finished: finished)
        } catch {
            throw OpenAIError.answerFailed(error, baseURL: baseURL)
        }
    }

    // MARK: upstream passthrough

    private nonisolated(nonsending) func upstream(_ request: Request, context: Context, rest: String, plan: Plan)
        async throws -> Response
    {
        let resolver = ModelResolver(plan: plan, activeProfile: nil)
        guard let target = resolver.upstreamTarget(rest), let model = plan.models[target.modelID] else {
            throw OpenAIError.unknownModel(String(rest.split(separator: "/").first ?? ""))
        }
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        var body: ProxyForwarder.Body = .stream(request.body)
        if request.method == .post || request.method == .put || request.method == .patch,
            contentType.hasPrefix("application/json")
        {
            let bytes = try await collect(request)
            let locks = model.locksByRequestedID[target.requestedID] ?? model.locks
            if bytes.isEmpty {
                body = .none
            } else if let json = try? ModelRequestBody(bytes: bytes) {
                body = .bytes(json.rewritten(locks: locks, useModelName: nil))
            } else {
                body = .bytes(bytes)
            }
        } else if request.method == .get || request.method == .head || request.method == .delete {
            body = .none
        }
        return try await proxyLocal(request, context: context, plan: plan, model: model, path: target.path, body: body)
    }
}
