import ConfigLang
import NIOCore
import NIOHTTP1
import Testing

@testable import Runtime

/// Which requests the fast path takes, and that it forwards them as the Hummingbird
/// path would: the same resolution, locks, model name, path, query and credentials.
struct FastPathRequestTests {
    static let config = """
        apiKeys: [sekrit]
        models:
          coder:
            cmd: /bin/server --port ${PORT}
            aliases: [code]
            useModelName: upstream-coder
            filters:
              setParams: {temperature: 0}
              setParamsByID:
                "coder:warm": {temperature: 0.5}
          plain:
            cmd: /bin/server --port ${PORT}
        peers:
          cloud:
            proxy: https://example.invalid/api
            models: [gpt-x]
        """

    static func head(
        uri: String = "/v1/chat/completions", method: HTTPMethod = .POST, version: HTTPVersion = .http1_1,
        headers: [(String, String)] = [("Authorization", "Bearer sekrit"), ("Content-Type", "application/json")]
    ) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    /// Decides a candidate (the connection's state machine hands over nothing else).
    static func decide(_ head: HTTPRequestHead, body: String, plan: Plan) -> FastPathRequest? {
        #expect(FastPathRequest.isCandidate(head, maxBodyBytes: 1 << 20), "the tests decide candidates only")
        return FastPathRequest.decide(
            head: head, body: ByteBuffer(string: body), plan: plan, keyCheck: APIKeyCheck(keys: plan.settings.apiKeys),
            activeProfile: nil, readyModels: { [] })
    }

    @Test("candidates: HTTP/1.1 POST to a model-routed path, no Connection: close, Expect or multipart, small")
    func candidates() {
        let max = 100
        #expect(FastPathRequest.isCandidate(Self.head(), maxBodyBytes: max))
        #expect(FastPathRequest.isCandidate(Self.head(uri: "/v1/embeddings?x=1"), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(method: .GET), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(uri: "/v1/models"), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(uri: "/upstream/coder/x"), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(uri: "/v1/chat/completions#x"), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(uri: "http://h/v1/chat/completions"), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(version: .http1_0), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(headers: [("Connection", "close")]), maxBodyBytes: max))
        #expect(FastPathRequest.isCandidate(Self.head(headers: [("Connection", "closed")]), maxBodyBytes: max))
        #expect(FastPathRequest.isCandidate(Self.head(headers: [("Connection", "keep-alive")]), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(headers: [("Expect", "100-continue")]), maxBodyBytes: max))
        #expect(
            !FastPathRequest.isCandidate(
                Self.head(headers: [("content-type", "multipart/form-data; boundary=x")]), maxBodyBytes: max))
        #expect(
            !FastPathRequest.isCandidate(Self.head(headers: [("CONNECTION", "Keep-Alive, Close")]), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(headers: [("EXPECT", "100-continue")]), maxBodyBytes: max))
        #expect(
            !FastPathRequest.isCandidate(
                Self.head(headers: [("Content-Type", "Multipart/Form-Data; boundary=x")]), maxBodyBytes: max))
        #expect(FastPathRequest.isCandidate(Self.head(headers: [("X-Connection", "close")]), maxBodyBytes: max))
        #expect(FastPathRequest.isCandidate(Self.head(headers: [("Content-Length", "99")]), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(headers: [("content-length", "1000")]), maxBodyBytes: max))
        #expect(!FastPathRequest.isCandidate(Self.head(headers: [("Content-Length", "100")]), maxBodyBytes: max))
    }

    @Test("a local model's request: locks and useModelName applied, path and query kept, swap's key dropped")
    func localModel() throws {
        let plan = try RequestHandlingTests.plan(Self.config)
        let request = try #require(
            Self.decide(
                Self.head(uri: "/v1/chat/completions?trace=1"), body: #"{"model":"code","temperature":1}"#, plan: plan))
        #expect(request.modelID == "coder" && request.responseHeaderTimeout == 0)
        #expect(request.path == "/v1/chat/completions" && request.query == "trace=1")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"model":"upstream-coder","temperature":0}"#)
        let target = try #require(UpstreamTarget(baseURL: "http://127.0.0.1:9000/base"))
        let head = request.upstreamHead(to: target)
        #expect(head.uri == "/base/v1/chat/completions?trace=1")
        #expect(head.headers["host"] == ["127.0.0.1:9000"])
        #expect(head.headers["authorization"].isEmpty, "swap's own key is not forwarded")
        #expect(head.headers["content-length"] == [String(request.body.count)])
        #expect(head.headers["content-type"] == ["application/json"])
    }

    @Test("a JSON body without a model takes the query's, as the Hummingbird path does")
    func queryModel() throws {
        let plan = try RequestHandlingTests.plan(Self.config)
        let request = try #require(
            Self.decide(Self.head(uri: "/v1/completions?model=plain"), body: #"{"prompt":"x"}"#, plan: plan))
        #expect(request.modelID == "plain" && request.path == "/v1/completions" && request.query == "model=plain")
        #expect(Self.decide(Self.head(), body: #"{"prompt":"x"}"#, plan: plan) == nil, "no model anywhere")
    }

    /// Builds the expected values with the responder's own functions: what this checks is
    /// that `decide` feeds them the request's parts (body, content type, headers, path)
    /// as the Hummingbird path does. `FastPathIntegrationTests.sameAnswer` compares what a
    /// backend receives both ways.
    @Test("decide hands the request's parts to the responder's rules as the Hummingbird path does")
    func sameAsHummingbirdPath() throws {
        let plan = try RequestHandlingTests.plan(Self.config)
        let body = #"{"model":"coder:warm","temperature":1}"#
        let head = Self.head(headers: [
            ("Authorization", "Bearer sekrit"), ("Content-Type", "application/json"), ("X-Trace", "7"),
            ("Connection", "keep-alive"),
        ])
        let request = try #require(Self.decide(head, body: body, plan: plan))
        let (name, held) = try SwapResponder.modelBody(
            Array(body.utf8), contentType: "application/json", queryModel: { nil })
        guard
            case .local(let model, .bytes(let expected)) = try SwapResponder.route(
                name, body: held, plan: plan, activeProfile: nil, readyModels: { [] })
        else {
            Issue.record("routes to a local model")
            return
        }
        #expect(model.id == request.modelID && expected == request.body)
        let target = try #require(UpstreamTarget(baseURL: "http://127.0.0.1:9000"))
        let fields = try HTTP1ServerCodec.request(head).headerFields
        let slow = ProxyForwarder.upstreamHead(
            method: .post, to: target, path: "/v1/chat/completions", query: nil, headers: fields,
            body: .bytes(expected), stripCredentials: true, inject: [])
        let fast = request.upstreamHead(to: target)
        #expect(fast.uri == slow.uri && fast.method == slow.method)
        #expect(
            Array(fast.headers.map { "\($0.name): \($0.value)" })
                == Array(slow.headers.map { "\($0.name): \($0.value)" }))
    }

    @Test("left to the Hummingbird path: wrong key, unknown model, peer, bad JSON, no model")
    func declined() throws {
        let plan = try RequestHandlingTests.plan(Self.config)
        let good = #"{"model":"plain"}"#
        #expect(Self.decide(Self.head(), body: good, plan: plan) != nil)
        #expect(Self.decide(Self.head(headers: [("Authorization", "Bearer wrong")]), body: good, plan: plan) == nil)
        #expect(Self.decide(Self.head(headers: []), body: good, plan: plan) == nil)
        #expect(Self.decide(Self.head(), body: #"{"model":"nope"}"#, plan: plan) == nil)
        #expect(Self.decide(Self.head(), body: #"{"model":"gpt-x"}"#, plan: plan) == nil)
        #expect(Self.decide(Self.head(), body: "{not json", plan: plan) == nil)
        #expect(Self.decide(Self.head(), body: #"{"messages":[]}"#, plan: plan) == nil)
        #expect(Self.decide(Self.head(), body: "", plan: plan) == nil)
    }

    @Test("without configured keys, the client's credentials are forwarded")
    func noKeys() throws {
        let plan = try RequestHandlingTests.plan(
            """
            models:
              plain:
                cmd: /bin/server --port ${PORT}
            """)
        let request = try #require(
            Self.decide(Self.head(headers: [("x-api-key", "theirs")]), body: #"{"model":"plain"}"#, plan: plan))
        #expect(!request.stripCredentials)
        let head = request.upstreamHead(to: try #require(UpstreamTarget(baseURL: "http://127.0.0.1:9000")))
        #expect(head.headers["x-api-key"] == ["theirs"])
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"model":"plain"}"#, "unchanged body, as sent")
    }
}
