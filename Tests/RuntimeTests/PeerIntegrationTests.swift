import Foundation
import SwapTestSupport
import Testing

/// Two real swap-servers on loopback, A listing B as a peer: the documented way to
/// spread models over several hosts (one swap-server in front, one per GPU host).
@Suite("swap-server peers", .serialized)
struct PeerIntegrationTests {
    typealias T = ServerIntegrationTests

    static let peerKey = "peer-secret-5f1c2a"

    /// B: one local model behind an API key.
    static let configB = """
        startPort: {START_PORT}
        apiKeys: ["\(peerKey)"]
        models:
          b-model:
            cmd: {FAKE} --port ${PORT} --model-name b-backend --tokens 6 --token-delay-ms 200
        """

    /// A: one local model and B as a peer.
    static func configA(peerPort: Int) -> String {
        """
        startPort: {START_PORT}
        models:
          a-model:
            cmd: {FAKE} --port ${PORT} --model-name a-backend
        peers:
          host-b:
            proxy: http://127.0.0.1:\(peerPort)
            apiKey: "\(peerKey)"
            models: [b-model]
        """
    }

    @Test("A serves B's models through B, streams, sees B's reloads, and survives B going down")
    func twoServers() async throws {
        try await ServerHarness.withServer(config: Self.configB) { b in
            try await ServerHarness.withServer(config: Self.configA(peerPort: b.port)) { a in
                // /v1/models on A: its own model and B's, as `peer/model`.
                let list = try await TestHTTP.send("GET", a.base + "/v1/models")
                let ids = Set((list.json?["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                #expect(ids == ["a-model", "host-b/b-model"])

                // B requires its key: without it B refuses, through A it answers, so A sent it.
                #expect(try await T.chat(b, "b-model").status == 401)
                let reply = try await T.chat(a, "host-b/b-model", extra: ["temperature": 1.5])
                #expect(reply.status == 200, "\(reply.body)")
                #expect(reply.json?["model"] as? String == "b-backend", "served by B's backend")
                let echo = reply.json?["echo"] as? [String: Any]
                #expect(echo?["model"] as? String == "b-model", "A asks B for B's own model ID")
                let runningOnB = try await TestHTTP.send(
                    "GET", b.base + "/running", headers: [("Authorization", "Bearer \(Self.peerKey)")])
                #expect(runningOnB.body.contains("\"b-model\""), "\(runningOnB.status) \(runningOnB.body)")
                #expect(try await T.running(a).keys.sorted() == [], "nothing started on A")

                // The key never reaches a client: not in A's answer, its plan or its logs,
                // and B does not pass it on to its backend either.
                for text in [
                    reply.body, reply.headers.map { "\($0.0): \($0.1)" }.joined(separator: "\n"),
                    try await TestHTTP.send("GET", a.base + "/api/config/plan").body,
                    try await TestHTTP.send("GET", a.base + "/logs").body,
                    try await TestHTTP.send("GET", a.base + "/v1/models").body,
                ] {
                    #expect(!text.contains(Self.peerKey))
                }

                // Streaming through two proxies: the tokens arrive as separate chunks over time.
                let stream = try await TestHTTP.stream(
                    a.base + "/v1/chat/completions",
                    json: ["model": "host-b/b-model", "stream": true, "messages": [["role": "user", "content": "hi"]]])
                #expect(stream.status == 200)
                let text = stream.chunks.map(\.1).joined()
                #expect(text.contains("tok0") && text.contains("tok5") && text.contains("[DONE]"))
                let first = try #require(stream.chunks.first { $0.1.contains("tok0") }?.0)
                let last = try #require(stream.chunks.last { $0.1.contains("tok5") }?.0)
                // 1 s of generation: held back to the end, they would arrive together.
                #expect(last - first >= .milliseconds(500), "6 tokens 200 ms apart were relayed as they came")

                // B reloads (a lock on its model); A's next request sees it with no change on A.
                let current = try String(contentsOf: b.configURL, encoding: .utf8)
                try b.writeConfig(current + "\n    filters:\n      setParams: {temperature: 0.25}\n")
                kill(b.pid, SIGHUP)
                let locked = await T.eventually(seconds: 20) {
                    let reply = try? await T.chat(a, "host-b/b-model", extra: ["temperature": 1.5])
                    return ((reply?.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 0.25
                }
                #expect(locked, "B's reload is visible through A")

                // B goes down: A answers its peer's model with a clear 502/503 and keeps serving its own.
                kill(b.pid, SIGTERM)
                #expect(await T.eventually(seconds: 30) { !Polling.isAlive(Int(b.pid)) })
                let down = try await T.chat(a, "host-b/b-model")
                #expect([502, 503].contains(down.status), "\(down.status) \(down.body)")
                let error = down.json?["error"] as? [String: Any]
                #expect((error?["message"] as? String)?.isEmpty == false, "\(down.body)")
                #expect(!down.body.contains(Self.peerKey))
                #expect(try await T.chat(a, "a-model").status == 200)
            }
        }
    }
}
