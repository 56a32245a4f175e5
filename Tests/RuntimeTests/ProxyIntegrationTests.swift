import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// The proxy's one path end to end: real swap-server and fake-backend processes, real
/// sockets written by hand (pipelining, keep-alive, disconnects), OS-chosen ports. A cold
/// start and a ready model are answered alike.
///
/// How many requests the proxy finished is read from `swap_model_requests_total`.
@Suite("proxy integration", .serialized)
struct ProxyIntegrationTests {
    static let config = """
        startPort: {START_PORT}
        models:
          alpha:
            cmd: {FAKE} --port ${PORT} --model-name alpha
            aliases: [a]
            useModelName: alpha-upstream
            filters:
              setParams: {temperature: 0}
          ticker:
            cmd: {FAKE} --port ${PORT} --model-name ticker --tokens 6 --token-delay-ms 120
        """

    static func chat(_ model: String, _ content: String, stream: Bool = false, extra: [String: Any] = [:]) -> [String:
        Any]
    {
        var body: [String: Any] = ["model": model, "messages": [["role": "user", "content": content]]]
        if stream { body["stream"] = true }
        body.merge(extra) { $1 }
        return body
    }

    static func post(_ json: [String: Any], headers: [(String, String)] = []) -> [UInt8] {
        RawHTTPConnection.post("/v1/chat/completions", json: json, headers: headers)
    }

    /// A metric's value from `/metrics` (0 when absent).
    static func metric(_ server: RunningServer, _ line: String, headers: [(String, String)] = []) async throws -> Int {
        let reply = try await TestHTTP.send("GET", server.base + "/metrics", headers: headers)
        for row in reply.body.split(separator: "\n") where row.hasPrefix(line + " ") {
            return Int(Double(row.dropFirst(line.count + 1)) ?? 0)
        }
        return 0
    }

    /// Proxied requests finished so far, every model and status together.
    static func answered(_ server: RunningServer, headers: [(String, String)] = []) async throws -> Int {
        let reply = try await TestHTTP.send("GET", server.base + "/metrics", headers: headers)
        var total = 0
        for row in reply.body.split(separator: "\n") where row.hasPrefix("swap_model_requests_total{") {
            total += Int(row.split(separator: " ").last ?? "") ?? 0
        }
        return total
    }

    /// The user message the backend echoed in a chat answer.
    static func echoedContent(_ response: RawHTTPConnection.Response) -> String? {
        let echo = response.json?["echo"] as? [String: Any]
        let messages = echo?["messages"] as? [[String: Any]]
        return messages?.first?["content"] as? String
    }

    /// Opens a connection and sends one request for `model` on it, so that the model is
    /// started (and the connection's event loop has a pooled upstream connection).
    static func warmConnection(_ server: RunningServer, model: String = "alpha") throws -> RawHTTPConnection {
        let connection = try RawHTTPConnection(port: server.port)
        try connection.send(post(chat(model, "warm-up")))
        let response = try connection.readResponse()
        #expect(response.status == 200)
        return connection
    }

    @Test("a ready model answers as the cold start did: status, headers, rewritten body")
    func sameAnswer() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let connection = try RawHTTPConnection(port: server.port)
            defer { connection.close() }
            let request = Self.post(Self.chat("a", "same", extra: ["temperature": 1.5]), headers: [("X-Trace", "7")])
            try connection.send(request)
            let cold = try connection.readResponse()  // a cold start
            #expect(try await Self.answered(server) == 1)
            try connection.send(request)
            let ready = try connection.readResponse()  // the model is ready
            #expect(try await Self.answered(server) == 2)

            #expect(cold.status == 200 && ready.status == 200)
            #expect(ready.headers.map(\.name) == cold.headers.map(\.name))
            #expect(ready.header("content-type") == cold.header("content-type"))
            // The reader takes exactly Content-Length bytes: what is checked is that the
            // answer is framed by length, not chunked.
            #expect(ready.header("content-length") != nil && ready.header("transfer-encoding") == nil)
            #expect(cold.header("content-length") != nil && cold.header("transfer-encoding") == nil)
            #expect(ready.header("date") != nil && ready.header("server") == "fake-backend")
            let echo = try #require(ready.json?["echo"] as? [String: Any])
            #expect(echo["model"] as? String == "alpha-upstream", "useModelName")
            #expect(echo["temperature"] as? Double == 0, "the lock")
            let sameBody = NSDictionary(dictionary: echo).isEqual(to: cold.json?["echo"] as? [String: Any] ?? [:])
            #expect(sameBody, "the backend got the same body both ways")
            let readyHeaders = ready.json?["echo_headers"] as? [String: Any] ?? [:]
            let sameHeaders = NSDictionary(dictionary: readyHeaders).isEqual(
                to: cold.json?["echo_headers"] as? [String: Any] ?? [:])
            #expect(sameHeaders, "and the same headers")
            #expect(try await Self.metric(server, #"swap_model_requests_total{model="alpha",status="200"}"#) == 2)
            #expect(try await Self.metric(server, #"swap_model_requests_in_flight{model="alpha"}"#) == 0)
        }
    }

    @Test("API keys: a wrong key gets the 401, a right one is answered and not forwarded")
    func apiKeys() async throws {
        let config = "apiKeys: [sekrit]\n" + Self.config
        try await ServerHarness.withServer(config: config) { server in
            let key = [("Authorization", "Bearer sekrit")]
            let connection = try RawHTTPConnection(port: server.port)
            defer { connection.close() }
            try connection.send(Self.post(Self.chat("alpha", "warm"), headers: key))
            #expect(try connection.readResponse().status == 200)
            try connection.send(Self.post(Self.chat("alpha", "no key")))
            let refused = try connection.readResponse()
            #expect(refused.status == 401)
            #expect((refused.json?["error"] as? [String: Any])?["code"] as? String == "invalid_api_key")
            let before = try await Self.answered(server, headers: key)
            try connection.send(Self.post(Self.chat("alpha", "key"), headers: key))
            let answered = try connection.readResponse()
            #expect(answered.status == 200)
            #expect(try await Self.answered(server, headers: key) == before + 1)
            let forwarded = answered.json?["echo_headers"] as? [String: Any] ?? [:]
            #expect(forwarded["authorization"] == nil, "swap's own key stays with swap")
        }
    }

    @Test("pipelined requests are answered in order, proxied and management ones alike")
    func pipelining() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let connection = try Self.warmConnection(server)
            defer { connection.close() }
            let before = try await Self.answered(server)
            var batch: [UInt8] = []
            batch += Self.post(Self.chat("alpha", "one"))
            batch += RawHTTPConnection.get("/v1/models")
            batch += Self.post(Self.chat("alpha", "two"))
            batch += Self.post(Self.chat("no-such-model", "three"))
            batch += Self.post(Self.chat("alpha", "four"))
            batch += Self.post(Self.chat("alpha", "five"))
            try connection.send(batch)
            let one = try connection.readResponse()
            let models = try connection.readResponse()
            let two = try connection.readResponse()
            let three = try connection.readResponse()
            let four = try connection.readResponse()
            let five = try connection.readResponse()
            #expect(Self.echoedContent(one) == "one")
            #expect(models.status == 200 && models.json?["data"] != nil)
            #expect(Self.echoedContent(two) == "two")
            #expect(three.status == 404)
            #expect(Self.echoedContent(four) == "four")
            #expect(Self.echoedContent(five) == "five")
            #expect(try await Self.answered(server) == before + 4, "four of them were proxied")

            // Now only proxied requests, pipelined: each waits for the one before it.
            let proxiedBefore = try await Self.answered(server)
            let contents = (1...8).map { "p\($0)" }
            try connection.send(contents.flatMap { Self.post(Self.chat("alpha", $0)) })
            var echoed: [String] = []
            for _ in contents { echoed.append(Self.echoedContent(try connection.readResponse()) ?? "?") }
            #expect(echoed == contents)
            #expect(try await Self.answered(server) == proxiedBefore + contents.count)
        }
    }

    @Test("keep-alive across many requests; Connection: close is answered, then the connection closes")
    func keepAliveAndClose() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let connection = try Self.warmConnection(server)
            defer { connection.close() }
            let before = try await Self.answered(server)
            for index in 0..<20 {
                try connection.send(Self.post(Self.chat("alpha", "r\(index)")))
                let response = try connection.readResponse()
                #expect(Self.echoedContent(response) == "r\(index)")
            }
            #expect(try await Self.answered(server) == before + 20)
            try connection.send(Self.post(Self.chat("alpha", "last"), headers: [("Connection", "close")]))
            #expect(Self.echoedContent(try connection.readResponse()) == "last")
            #expect(try connection.peerClosed(), "the server closed the connection after its answer")
        }
    }

    @Test("an event stream is relayed chunk by chunk as the backend sends it")
    func streaming() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let connection = try Self.warmConnection(server, model: "ticker")
            defer { connection.close() }
            let before = try await Self.answered(server)
            try connection.send(Self.post(Self.chat("ticker", "s", stream: true)))
            let response = try connection.readResponse()
            #expect(try await Self.answered(server) == before + 1)
            #expect(response.status == 200)
            #expect(response.header("x-accel-buffering") == "no")
            #expect(response.header("cache-control") == "no-cache")
            #expect(response.text.contains("data: [DONE]"))
            #expect(response.chunkTimes.count >= 5, "6 tokens 120 ms apart do not arrive as one burst")
            if let first = response.chunkTimes.first, let last = response.chunkTimes.last {
                #expect(last - first > .milliseconds(400))
            }
            // The connection carries on.
            try connection.send(Self.post(Self.chat("ticker", "after")))
            #expect(Self.echoedContent(try connection.readResponse()) == "after")
        }
    }

    @Test("a client leaving mid-stream releases the request (counted as a 502); the model keeps serving")
    func disconnectMidStream() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let connection = try Self.warmConnection(server, model: "ticker")
            let before = try await Self.answered(server)
            try connection.send(Self.post(Self.chat("ticker", "gone", stream: true)))
            let head = try connection.readHead()
            #expect(head.status == 200)
            #expect(try connection.readChunk() != nil)
            #expect(try await Self.metric(server, #"swap_model_requests_in_flight{model="ticker"}"#) == 1)
            connection.close()
            let released = try await Polling.eventually(within: .seconds(5), every: .milliseconds(50)) {
                try await Self.metric(server, #"swap_model_requests_in_flight{model="ticker"}"#) == 0
            }
            #expect(released, "the lease was released when the client left")
            #expect(try await Self.metric(server, #"swap_model_requests_total{model="ticker",status="502"}"#) == 1)
            #expect(try await Self.answered(server) == before + 1)
            let next = try Self.warmConnection(server, model: "ticker")
            next.close()
        }
    }

    @Test("a large body is collected whole and forwarded")
    func largeBody() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let connection = try Self.warmConnection(server)
            defer { connection.close() }
            let before = try await Self.answered(server)
            let content = String(repeating: "0123456789abcdef", count: 128 * 1024)  // 2 MiB
            try connection.send(Self.post(Self.chat("alpha", content)))
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(Self.echoedContent(response)?.count == content.count)
            #expect(try await Self.answered(server) == before + 1)
        }
    }

    @Test("a backend slower than timeouts.responseHeader: a 504, cold or ready, and the connection carries on")
    func responseHeaderTimeout() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              hasty:
                cmd: {FAKE} --port ${PORT} --answer-delay-ms 1500
                timeouts:
                  responseHeader: 1
            """
        try await ServerHarness.withServer(config: config) { server in
            let connection = try RawHTTPConnection(port: server.port)
            defer { connection.close() }
            let chat = Self.post(Self.chat("hasty", "late"))
            let embeddings = RawHTTPConnection.post("/v1/embeddings", json: ["model": "hasty", "input": "x"])
            try connection.send(chat)
            let cold = try connection.readResponse()  // a cold start
            #expect(try await Self.answered(server) == 0, "a request without an answer is not counted")
            try connection.send(embeddings)  // answered at once; leaves a pooled connection
            #expect(try connection.readResponse().status == 200)
            try connection.send(chat)
            let ready = try connection.readResponse()  // the model is ready
            #expect(try await Self.answered(server) == 1, "only the embeddings request was answered")
            #expect(cold.status == 504 && ready.status == 504)
            #expect(ready.headers.map(\.name) == cold.headers.map(\.name))
            #expect(ready.text == cold.text, "the same error body")
            #expect(try await Self.metric(server, #"swap_model_requests_in_flight{model="hasty"}"#) == 0)
            try connection.send(embeddings)
            #expect(try connection.readResponse().status == 200, "the connection carries on")
        }
    }

    @Test("malformed input gets a 400 and a closed connection, also behind a proxied request")
    func malformed() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let garbage = Array("NOT HTTP AT ALL\r\n\r\n".utf8)
            let first = try RawHTTPConnection(port: server.port)
            try first.send(garbage)
            #expect(try first.readResponse().status == 400)
            #expect(try first.peerClosed())
            first.close()

            let connection = try Self.warmConnection(server)
            defer { connection.close() }
            try connection.send(Self.post(Self.chat("alpha", "before")) + garbage)
            #expect(Self.echoedContent(try connection.readResponse()) == "before", "the request before is answered")
            #expect(try connection.readResponse().status == 400)
            #expect(try connection.peerClosed())

            let after = try Self.warmConnection(server)
            after.close()
        }
    }
}
