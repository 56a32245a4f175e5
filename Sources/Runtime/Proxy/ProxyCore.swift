import ConfigLang
import HTTPTypes
import NIOCore
import NIOHTTP1

/// The proxy: what happens to a request that goes to a model, from its parts to the
/// answer its client gets. Every model-routed request takes this one path: cold start,
/// queue, swap, retry and errors included.
///
/// 1. Read the body (up to ``maxBodyBytes``) and the model it names
///    (``ModelRoute/modelBody(_:contentType:queryModel:)``).
/// 2. Resolve the name and rewrite the body for its target (``ModelRoute/resolve(_:body:plan:activeProfile:readyModels:)``).
/// 3. A local model: admit the request through the scheduler (starting or swapping
///    models as needed), send it to the backend (``ForwardRetry`` decides about a second
///    attempt), relay the answer (``AnswerRelay``) and release the admission when the
///    answer is over (``RequestSettlement``). A peer: send and relay.
/// 4. Every failure becomes an OpenAI-shaped error response (``OpenAIError``).
///
/// The HTTP adapter converts its request into a ``ProxyRequest`` and writes the
/// ``ProxyResponse``. Cancelling the calling task (the client went away) withdraws a
/// queued request and cancels its upstream request.
public struct ProxyCore: Sendable {
    /// Paths whose JSON (or multipart) body names the model.
    public static let modelRoutedPaths: Set<String> = [
        "/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings", "/v1/audio/speech",
        "/v1/audio/transcriptions", "/v1/audio/voices", "/v1/images/generations", "/v1/images/edits",
        "/v1/messages", "/v1/messages/count_tokens", "/v1/rerank", "/v1/reranking", "/rerank", "/reranking",
        "/infill", "/completion",
    ]

    /// The plan and the active profile.
    let config: CurrentConfig
    /// Admission and swapping.
    let scheduler: ModelScheduler
    /// Where each ready model's backend listens.
    let backends: any BackendAddressing
    /// The client that sends requests to backends and peers.
    let upstream: any UpstreamSending
    /// Finished requests per model and status.
    let counters: RequestCounters
    /// Largest buffered body accepted (413 above).
    let maxBodyBytes: Int
    /// Waits between two attempts of a request (``ForwardRetry``).
    let pause: @Sendable (Duration) async throws -> Void
    /// Traces every request into an activity record (nil: no accounting).
    let activity: ActivityTracker?
    /// Where request and response bodies are kept when `captureBuffer` is on.
    let captures: CaptureCache?

    /// The session headers tried when `ui.activity.session_id` is not set.
    public static let defaultSessionHeaders = ["X-Session-ID", "X-Litellm-Session-Id"]

    /// Creates the proxy over the services it uses.
    public init(
        config: CurrentConfig, scheduler: ModelScheduler, backends: BackendPool, upstream: UpstreamClient,
        counters: RequestCounters, maxBodyBytes: Int = 32 << 20, activity: ActivityTracker? = nil,
        captures: CaptureCache? = nil
    ) {
        self.init(
            config: config, scheduler: scheduler, backends: backends as any BackendAddressing,
            upstream: upstream as any UpstreamSending, counters: counters, maxBodyBytes: maxBodyBytes,
            activity: activity, captures: captures)
    }

    /// Creates the proxy over stand-ins for the backends, the upstream client and the
    /// pause between attempts.
    init(
        config: CurrentConfig, scheduler: ModelScheduler, backends: any BackendAddressing,
        upstream: any UpstreamSending, counters: RequestCounters, maxBodyBytes: Int = 32 << 20,
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        activity: ActivityTracker? = nil, captures: CaptureCache? = nil
    ) {
        self.pause = pause
        self.activity = activity
        self.captures = captures
        self.config = config
        self.scheduler = scheduler
        self.backends = backends
        self.upstream = upstream
        self.counters = counters
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether a request with `method` and `path` goes through the proxy: a model-routed
    /// `POST`, `GET /props?model=`, or the `/upstream/<model>/…` passthrough.
    public static func handles(method: HTTPRequest.Method, path: String) -> Bool {
        (method == .post && modelRoutedPaths.contains(path)) || (method == .get && path == "/props")
            || path.hasPrefix("/upstream/")
    }

    /// The answer to `request` (one ``handles(method:path:)`` accepts) under `plan`.
    /// Never fails: every failure is an error response.
    public func respond(to request: ProxyRequest, plan: Plan) async -> ProxyResponse {
        let trace = self.trace(request, plan: plan)
        var response: ProxyResponse
        do {
            if request.path.hasPrefix("/upstream/") {
                response = try await passthrough(
                    request, rest: String(request.path.dropFirst("/upstream/".count)), plan: plan, trace: trace)
            } else if request.method == .get {
                guard let name = request.modelParameter else {
                    throw OpenAIError.badRequest("Name the model with `?model=`.")
                }
                response = try await dispatch(request, plan: plan, name: name, body: .raw([]), trace: trace)
            } else {
                let bytes = try await collect(request.body)
                trace?.received(body: bytes)
                let (name, held) = try ModelRoute.modelBody(
                    bytes, contentType: request.headers[.contentType] ?? "", queryModel: request.modelParameter)
                response = try await dispatch(request, plan: plan, name: name, body: held, trace: trace)
            }
        } catch let error as OpenAIError {
            response = error.response(forPath: request.path)
        } catch {
            // A cancelled wait: the client went away.
            response = OpenAIError.clientClosed.response(forPath: request.path)
        }
        guard let trace else { return response }
        return Self.traced(response, by: trace)
    }

    /// Records a request the adapter refused before the core saw it (a 401), with
    /// `response` as its answer.
    public func rejected(_ request: ProxyRequest, plan: Plan, response: ProxyResponse) -> ProxyResponse {
        guard let trace = trace(request, plan: plan) else { return response }
        return Self.traced(response, by: trace)
    }

    /// The trace of `request`, when activity is on.
    private func trace(_ request: ProxyRequest, plan: Plan) -> RequestTrace? {
        guard let activity else { return nil }
        // Of the passthrough, only the model-routed paths count (not a backend's UI or health).
        if request.path.hasPrefix("/upstream/"),
            !Self.modelRoutedPaths.contains(where: { request.path.hasSuffix($0) }) && !request.path.hasSuffix("/props")
        {
            return nil
        }
        let captureBytes = (plan.settings.captureBuffer ?? 0) << 20
        if let captures, captures.capacity != captureBytes { captures.resize(to: captureBytes) }
        let capturing = captureBytes > 0
        return RequestTrace(
            tracker: activity, method: request.method.rawValue, path: request.path,
            headers: request.headers.map { ($0.name.canonicalName, $0.value) }, remoteAddress: request.remoteAddress,
            sessionHeaders: plan.settings.sessionIDHeaders ?? Self.defaultSessionHeaders,
            captures: capturing ? captures : nil, cancel: request.cancel)
    }

    /// `response` with the trace's headers (`X-Swap-Request-Id`, `X-Swap-Lock-Changes`);
    /// a whole response finishes the trace here, a streamed one when its body ends.
    private static func traced(_ response: ProxyResponse, by trace: RequestTrace) -> ProxyResponse {
        var response = response
        response.headers[Self.requestIDHeader] = String(trace.id)
        let changes = trace.lockChanges
        if !changes.isEmpty { response.headers[Self.lockChangesHeader] = ActivityJSON.lockChangesHeader(changes) }
        let status = Int(response.status.code)
        switch response.body {
        case .whole(let buffer):
            trace.head(status: status, headers: response.headers.map { ($0.name.canonicalName, $0.value) })
            trace.passed(buffer.readableBytesView)
            trace.finish(status: status)
        case .stream:
            break
        case .produced(let body):
            response.body = .produced(
                ProducedBody { write in
                    do {
                        try await body.write(write)
                        trace.finish(status: status)
                    } catch {
                        trace.finish(status: 499)
                        throw error
                    }
                })
        }
        return response
    }

    /// `X-Swap-Request-Id`: the request's in-flight and activity id.
    static let requestIDHeader = HTTPField.Name("X-Swap-Request-Id")!
    /// `X-Swap-Lock-Changes`: what the model's locks changed in the body.
    static let lockChangesHeader = HTTPField.Name("X-Swap-Lock-Changes")!

    // MARK: steps

    /// The client's body, whole; a 413 above ``maxBodyBytes``, a 400 when it ends
    /// before its `Content-Length` or is not valid HTTP.
    private func collect(_ body: any AsyncSequence<ByteBuffer, any Error> & Sendable) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                guard bytes.count + chunk.readableBytes <= maxBodyBytes else {
                    throw OpenAIError.bodyTooLarge(limit: maxBodyBytes)
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as OpenAIError {
            throw error
        } catch is HTTPParserError {
            throw OpenAIError.badRequest(
                "The request body ended before its Content-Length said, or is not valid HTTP; send the whole body.")
        }
        return bytes
    }

    private func dispatch(
        _ request: ProxyRequest, plan: Plan, name: String, body: ModelRoute.HeldBody, trace: RequestTrace?
    ) async throws -> ProxyResponse {
        let scheduler = self.scheduler
        let route = try ModelRoute.resolve(
            name, body: body, plan: plan, activeProfile: config.activeProfile,
            readyModels: { Set(scheduler.readyModels()) })
        switch route {
        case .peer(let peer, let upstreamBody, let inject):
            trace?.resolved(model: name, metadata: nil)
            trace?.admitted(started: false, evicted: [])
            let address = UpstreamAddress(peer.proxy)
            let answer: UpstreamAnswer
            do {
                answer = try await send(
                    request, to: address, path: request.path, body: upstreamBody, plan: plan,
                    timeouts: peer.timeouts, inject: inject)
            } catch {
                throw OpenAIError.upstreamFailed(error, baseURL: address.baseURL)
            }
            return await AnswerRelay.response(to: answer, baseURL: address.baseURL, settlement: nil, trace: trace)
        case .local(let model, let upstreamBody, let changes):
            trace?.resolved(model: model.id, metadata: model.metadata)
            trace?.locked(changes)
            if LoadingState.applies(to: model, path: request.path, body: upstreamBody),
                !scheduler.readyModels().contains(model.id)
            {
                return LoadingState.response(model: model.id) {
                    do {
                        return try await self.local(
                            request, plan: plan, model: model, path: request.path, body: upstreamBody, trace: trace)
                    } catch let error as OpenAIError {
                        return error.response
                    } catch {
                        return OpenAIError.clientClosed.response
                    }
                }
            }
            return try await local(
                request, plan: plan, model: model, path: request.path, body: upstreamBody, trace: trace)
        }
    }

    /// Admits the request for `model`, sends it (again, when ``ForwardRetry`` says so)
    /// and relays the answer; the admission ends with the answer.
    func local(
        _ request: ProxyRequest, plan: Plan, model: ModelPlan, path: String, body: UpstreamRequestBody,
        trace: RequestTrace?
    ) async throws -> ProxyResponse {
        let lease: SchedulerLease
        do {
            lease = try await scheduler.acquire(model: model.id)
        } catch let error as SchedulerError {
            throw error.openAIError(model: model.id)
        }
        trace?.admitted(started: lease.effect.started, evicted: lease.effect.evicted)
        let settlement = RequestSettlement(lease: lease, scheduler: scheduler, counters: counters)
        var retry = ForwardRetry(replayable: body.isReplayable)
        while true {
            let address: UpstreamAddress
            do {
                address = try await backends.readyAddress(of: model.id)
            } catch {
                settlement.settle(status: nil)
                throw OpenAIError.startFailed(model: model.id, error)
            }
            do {
                let answer = try await send(
                    request, to: address, path: path, body: body, plan: plan, timeouts: model.timeouts)
                return await AnswerRelay.response(
                    to: answer, baseURL: address.baseURL, settlement: settlement, trace: trace)
            } catch {
                if Task.isCancelled {
                    settlement.settle(status: nil)
                    throw CancellationError()
                }
                switch retry.failed(error) {
                case .retry(let delay):
                    do {
                        try await pause(delay)
                    } catch {
                        settlement.settle(status: nil)
                        throw error
                    }
                case .giveUp:
                    settlement.settle(status: nil)
                    if error is CancellationError { throw error }
                    throw OpenAIError.upstreamFailed(error, baseURL: address.baseURL)
                }
            }
        }
    }

    private func send(
        _ request: ProxyRequest, to address: UpstreamAddress, path: String, body: UpstreamRequestBody, plan: Plan,
        timeouts: ConnectionTimeouts, inject: [(String, String)] = []
    ) async throws -> UpstreamAnswer {
        try await upstream.send(
            method: request.method, to: address, path: path, query: request.query, headers: request.headers,
            body: body, stripCredentials: !plan.settings.apiKeys.isEmpty, inject: inject, on: request.eventLoop,
            timeouts: timeouts)
    }

    /// `/upstream/<model>/<path>`: the raw passthrough. A JSON body of a `POST`, `PUT` or
    /// `PATCH` is buffered to apply the model's locks; any other body streams.
    private func passthrough(_ request: ProxyRequest, rest: String, plan: Plan, trace: RequestTrace?)
        async throws -> ProxyResponse
    {
        // swap relays HTTP exchanges only (`upgrade` is hop-by-hop and never forwarded), so
        // a websocket is refused before a model is resolved or loaded: with or without
        // `compat.ignoreWebsockets`, a websocket neither loads a model nor counts as activity.
        if let upgrade = request.headers[.upgrade], upgrade.lowercased().contains("websocket") {
            throw OpenAIError(
                .notImplemented,
                "swap does not proxy websocket connections; connect to the backend directly for websockets.",
                type: "invalid_request_error", code: "websocket_not_supported")
        }
        let resolver = ModelResolver(plan: plan, activeProfile: nil)
        guard let target = resolver.upstreamTarget(rest), let model = plan.models[target.modelID] else {
            throw OpenAIError.unknownModel(String(rest.split(separator: "/").first ?? ""))
        }
        trace?.resolved(model: model.id, metadata: model.metadata)
        if let patterns = plan.settings.upstreamIgnorePaths, !scheduler.readyModels().contains(model.id),
            patterns.contains(where: { (try? Regex($0)).map { target.path.contains($0) } ?? false })
        {
            throw OpenAIError(
                .conflict,
                "`\(target.path)` matches `upstream.ignorePaths` and model `\(model.id)` is not running, "
                    + "so it is not started for it; load the model first.",
                type: "invalid_request_error", code: "model_not_loaded")
        }
        let method = request.method
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        var body = UpstreamRequestBody.stream(request.body)
        if method == .post || method == .put || method == .patch, contentType.hasPrefix("application/json") {
            let bytes = try await collect(request.body)
            trace?.received(body: bytes)
            let locks = model.locksByRequestedID[target.requestedID] ?? model.locks
            if bytes.isEmpty {
                body = .none
            } else if let json = try? ModelRequestBody(bytes: bytes) {
                trace?.locked(json.lockChanges(locks: locks, provenance: model.lockProvenance))
                body = .bytes(json.rewritten(locks: locks, useModelName: nil))
            } else {
                body = .bytes(bytes)
            }
        } else if method == .get || method == .head || method == .delete {
            body = .none
        }
        return try await local(request, plan: plan, model: model, path: target.path, body: body, trace: trace)
    }
}
