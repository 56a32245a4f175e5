import AsyncHTTPClient
import ConfigLang
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import Runtime

/// The proxy core without sockets: a request's parts in, the client's response out,
/// with a scheduler over a fake backend control, a fake backend address book and a
/// fake upstream that records what it was sent and answers as scripted.
struct ProxyCoreTests {
    /// A backend address book whose models are ready at once, or fail to start.
    struct Addresses: BackendAddressing {
        let failing: Set<String>

        func readyAddress(of model: String) async throws -> UpstreamAddress {
            if failing.contains(model) { throw FakeBackendControl.Failure(description: "exec failed") }
            return UpstreamAddress("http://127.0.0.1:1")
        }
    }

    /// What the fake upstream was sent.
    struct Sent: Sendable {
        var path: String
        var body: [UInt8]
        var headers: [String: String]
    }

    /// An upstream that records each request and answers with the next scripted result.
    final class Upstream: UpstreamSending {
        let script: Mutex<[Result<(HTTPHeaders, [String]), any Error>]>
        let sent = Mutex<[Sent]>([])

        init(_ script: [Result<(HTTPHeaders, [String]), any Error>]) {
            self.script = Mutex(script)
        }

        func send(
            method: HTTPRequest.Method, to address: UpstreamAddress, path: String, query: String?,
            headers: HTTPFields, body: UpstreamRequestBody, stripCredentials: Bool, inject: [(String, String)],
            on eventLoop: (any EventLoop)?, timeouts: ConnectionTimeouts
        ) async throws -> UpstreamAnswer {
            var bytes: [UInt8] = []
            if case .bytes(let buffered) = body { bytes = buffered }
            var forwarded: [String: String] = [:]
            for field in headers {
                let name = field.name.canonicalName
                if stripCredentials, name == "authorization" || name == "x-api-key" { continue }
                forwarded[name] = field.value
            }
            sent.withLock { $0.append(Sent(path: path, body: bytes, headers: forwarded)) }
            let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            guard let next else { throw UpstreamError.closed }
            let (answerHeaders, chunks) = try next.get()
            let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
            continuation.finish()
            return .client(HTTPClientResponse(status: .ok, headers: answerHeaders, body: .stream(stream)))
        }
    }

    static let yaml = """
        models:
          coder:
            cmd: /bin/server --port ${PORT}
            concurrencyLimit: 1
            useModelName: coder-upstream
            filters:
              setParams: {temperature: 0}
          broken:
            cmd: /bin/server --port ${PORT}
        """

    static let ok: Result<(HTTPHeaders, [String]), any Error> = .success(
        (["Content-Type": "application/json", "Content-Length": "11"], ["{\"ok\":true}"]))

    /// A core over `upstream`, with a scheduler whose backends start at once.
    struct Fixture {
        let plan: Plan
        let scheduler: ModelScheduler
        let counters = RequestCounters()
        let core: ProxyCore

        init(_ upstream: Upstream, maxBodyBytes: Int = 1 << 20) throws {
            let result = PlanBuilder.compile([SourceFile(name: "t.yaml", text: ProxyCoreTests.yaml)], environment: [:])
            plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
            scheduler = ModelScheduler(plan: plan, backends: FakeBackendControl(instant: ["coder", "broken"]))
            core = ProxyCore(
                config: CurrentConfig(
                    plan: plan, source: ConfigSource(file: "t.yaml", directory: nil), loadedAt: "now"),
                scheduler: scheduler, backends: Addresses(failing: ["broken"]), upstream: upstream,
                counters: counters, maxBodyBytes: maxBodyBytes, pause: { _ in })
        }

        func respond(
            _ json: String, path: String = "/v1/chat/completions", method: HTTPRequest.Method = .post,
            query: String? = nil, modelParameter: String? = nil
        ) async -> ProxyResponse {
            let (body, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            continuation.yield(ByteBuffer(string: json))
            continuation.finish()
            let request = ProxyRequest(
                method: method, path: path, query: query,
                headers: [.contentType: "application/json", .authorization: "Bearer client"],
                modelParameter: modelParameter, body: body, eventLoop: nil)
            return await core.respond(to: request, plan: plan)
        }

        var inFlight: Int { scheduler.snapshot()["coder"]?.inFlight ?? 0 }
    }

    static func text(_ response: ProxyResponse) -> String {
        guard case .whole(let body) = response.body else { return "<stream>" }
        return String(buffer: body)
    }

    static func errorCode(_ response: ProxyResponse) -> String? {
        guard case .object(let root)? = try? JSONValue(parsing: Array(text(response).utf8)),
            case .object(let error)? = root["error"], case .string(let code)? = error["code"]
        else { return nil }
        return code
    }

    @Test("a websocket upgrade to /upstream/<model>/ gets 501 before the model loads; a plain GET loads it")
    func websocketRefused() async throws {
        let upstream = Upstream([Self.ok])
        let fixture = try Fixture(upstream)
        func get(_ headers: HTTPFields) async -> ProxyResponse {
            let (body, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            continuation.finish()
            let request = ProxyRequest(
                method: .get, path: "/upstream/coder/ws", query: nil, headers: headers, modelParameter: nil,
                body: body, eventLoop: nil)
            return await fixture.core.respond(to: request, plan: fixture.plan)
        }
        let refused = await get([.upgrade: "WebSocket", .connection: "Upgrade"])
        #expect(refused.status == .notImplemented)
        #expect(Self.errorCode(refused) == "websocket_not_supported")
        #expect(upstream.sent.withLock { $0.isEmpty })
        #expect(!fixture.scheduler.readyModels().contains("coder"), "the model was not loaded for it")

        let plain = await get([:])
        #expect(plain.status == .ok)
        #expect(fixture.scheduler.readyModels().contains("coder"))
        #expect(upstream.sent.withLock { $0.map(\.path) } == ["/ws"])
    }

    @Test("a chat request is rewritten, admitted, answered whole, and settled")
    func answered() async throws {
        let upstream = Upstream([Self.ok])
        let fixture = try Fixture(upstream)
        let response = await fixture.respond(#"{"model":"coder","temperature":1.5}"#)
        #expect(response.status == .ok)
        #expect(Self.text(response) == "{\"ok\":true}")
        #expect(fixture.inFlight == 0, "the lease was released with the whole answer")
        #expect(fixture.counters.snapshot["coder"] == [200: 1])
        let sent = try #require(upstream.sent.withLock { $0.first })
        #expect(sent.path == "/v1/chat/completions")
        #expect(
            try JSONValue(parsing: sent.body)
                == .object(["model": .string("coder-upstream"), "temperature": .integer(0)]))
        #expect(sent.headers["authorization"] == "Bearer client", "no apiKeys: the client's credentials go on")
    }

    @Test("a buffered request whose backend closed before answering is sent again")
    func retried() async throws {
        let upstream = Upstream([.failure(UpstreamError.closed), Self.ok])
        let fixture = try Fixture(upstream)
        let response = await fixture.respond(#"{"model":"coder"}"#)
        #expect(response.status == .ok)
        #expect(upstream.sent.withLock { $0.count } == 2)
        #expect(fixture.inFlight == 0)
    }

    @Test("a backend that does not start answering in time is not asked twice: 504")
    func headTimeout() async throws {
        let upstream = Upstream([.failure(UpstreamError.responseHeaderTimeout(seconds: 1)), Self.ok])
        let fixture = try Fixture(upstream)
        let response = await fixture.respond(#"{"model":"coder"}"#)
        #expect(response.status == .gatewayTimeout)
        #expect(Self.errorCode(response) == "backend_timeout")
        #expect(upstream.sent.withLock { $0.count } == 1)
        #expect(fixture.inFlight == 0)
        #expect(fixture.counters.snapshot.isEmpty, "a request without an answer is not counted")
    }

    @Test("a backend that keeps failing: three attempts, then a 502")
    func givesUp() async throws {
        let upstream = Upstream([])
        let fixture = try Fixture(upstream)
        let response = await fixture.respond(#"{"model":"coder"}"#)
        #expect(response.status == .badGateway)
        #expect(Self.errorCode(response) == "backend_failed")
        #expect(upstream.sent.withLock { $0.count } == 3)
        #expect(fixture.inFlight == 0)
    }

    @Test("requests swap cannot serve get their OpenAI error; nothing is sent")
    func errors() async throws {
        let upstream = Upstream([])
        let fixture = try Fixture(upstream, maxBodyBytes: 64)
        let unknown = await fixture.respond(#"{"model":"nope"}"#)
        #expect(unknown.status == .notFound && Self.errorCode(unknown) == "model_not_found")
        let noModel = await fixture.respond(#"{"messages":[]}"#)
        #expect(noModel.status == .badRequest)
        let notJSON = await fixture.respond("{not json")
        #expect(notJSON.status == .badRequest)
        let large = await fixture.respond(#"{"model":"coder","pad":""# + String(repeating: "x", count: 100) + #""}"#)
        #expect(large.status == .contentTooLarge)
        let props = await fixture.respond("", path: "/props", method: .get)
        #expect(props.status == .badRequest, "GET /props names its model with ?model=")
        let broken = await fixture.respond(#"{"model":"broken"}"#)
        #expect(broken.status == .serviceUnavailable)
        #expect(broken.headers[.retryAfter] == "1")
        #expect(fixture.scheduler.snapshot()["broken"]?.inFlight ?? 0 == 0)
        #expect(upstream.sent.withLock { $0.isEmpty })
    }

    @Test("over concurrencyLimit: 429 with Retry-After while the first request streams")
    func overLimit() async throws {
        let upstream = Upstream([.success((["Content-Type": "text/event-stream"], ["data: 1\n\n"]))])
        let fixture = try Fixture(upstream)
        let streaming = await fixture.respond(#"{"model":"coder","stream":true}"#)
        guard case .stream(let body) = streaming.body else {
            Issue.record("an event stream streams")
            return
        }
        let refused = await fixture.respond(#"{"model":"coder"}"#)
        #expect(refused.status == .tooManyRequests)
        #expect(refused.headers[.retryAfter] == "1")
        try await body.write { _ in }
        #expect(fixture.inFlight == 0, "released when the stream ended")
    }

    @Test("the passthrough resolves the longest model prefix and applies the model's locks")
    func passthrough() async throws {
        let upstream = Upstream([Self.ok])
        let fixture = try Fixture(upstream)
        let response = await fixture.respond(#"{"temperature":3}"#, path: "/upstream/coder/v1/embeddings")
        #expect(response.status == .ok)
        let sent = try #require(upstream.sent.withLock { $0.first })
        #expect(sent.path == "/v1/embeddings")
        #expect(try JSONValue(parsing: sent.body) == .object(["temperature": .integer(0)]))
    }
}
