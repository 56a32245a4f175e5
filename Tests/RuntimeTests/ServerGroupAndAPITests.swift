import ConfigLang
import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// Groups, API keys, the upstream passthrough and real corpus configs, end to end.
@Suite("swap-server groups and API", .serialized)
struct ServerGroupAndAPITests {
    typealias T = ServerIntegrationTests

    @Test("exclusive groups unload other groups, persistent groups survive, swap:false members coexist")
    func groups() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              llm-a:
                cmd: {FAKE} --port ${PORT}
              llm-b:
                cmd: {FAKE} --port ${PORT}
              whisper:
                cmd: {FAKE} --port ${PORT}
              embed:
                cmd: {FAKE} --port ${PORT}
              tool:
                cmd: {FAKE} --port ${PORT}
            groups:
              llms:
                swap: true
                exclusive: true
                members: [llm-a, llm-b]
              always:
                persistent: true
                swap: false
                exclusive: false
                members: [whisper, embed]
              side:
                swap: false
                exclusive: false
                members: [tool]
            """
        try await ServerHarness.withServer(config: config) { server in
            for model in ["whisper", "embed", "tool"] {
                #expect(try await T.chat(server, model).status == 200)
            }
            let together = Set(try await T.running(server).keys)
            #expect(together == ["whisper", "embed", "tool"], "swap:false members coexist")
            #expect(try await T.chat(server, "llm-a").status == 200)
            let afterExclusive = Set(try await T.running(server).keys)
            #expect(
                afterExclusive == ["whisper", "embed", "llm-a"],
                "exclusive llms unloaded the non-persistent `side` group, not the persistent one")
            #expect(try await T.chat(server, "llm-b").status == 200)
            let afterSwap = Set(try await T.running(server).keys)
            #expect(afterSwap == ["whisper", "embed", "llm-b"], "swap within llms")
        }
    }

    @Test("apiKeys: 401 without a key, accepted with Bearer or x-api-key, never forwarded upstream; /health is open")
    func apiKeys() async throws {
        let config = """
            startPort: {START_PORT}
            apiKeys: ["sk-test-1"]
            models:
              m:
                cmd: {FAKE} --port ${PORT}
            """
        try await ServerHarness.withServer(config: config) { server in
            #expect(try await TestHTTP.send("GET", server.base + "/health").status == 200)
            #expect(try await TestHTTP.send("GET", server.base + "/v1/models").status == 401)
            let body: [String: Any] = ["model": "m", "messages": []]
            let denied = try await TestHTTP.send("POST", server.base + "/v1/chat/completions", json: body)
            #expect(denied.status == 401)
            let bearer = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: body,
                headers: [("Authorization", "Bearer sk-test-1")])
            #expect(bearer.status == 200)
            let echoed = bearer.json?["echo_headers"] as? [String: Any] ?? [:]
            #expect(echoed["authorization"] == nil, "the client's key is not forwarded")
            let header = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: body, headers: [("x-api-key", "sk-test-1")])
            #expect(header.status == 200)
            #expect((header.json?["echo_headers"] as? [String: Any])?["x-api-key"] == nil)
        }
    }

    @Test("a backend slower than its timeouts.responseHeader gets a 504; a model without the limit waits")
    func responseHeaderTimeout() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              hasty:
                cmd: {FAKE} --port ${PORT} --answer-delay-ms 3000
                timeouts:
                  responseHeader: 1
              patient:
                cmd: {FAKE} --port ${PORT} --answer-delay-ms 1500
            groups:
              both:
                swap: false
                members: [hasty, patient]
            """
        try await ServerHarness.withServer(config: config) { server in
            let slow = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: ["model": "hasty", "messages": []])
            #expect(slow.status == 504)
            #expect((slow.json?["error"] as? [String: Any])?["code"] as? String == "backend_timeout")
            let waited = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: ["model": "patient", "messages": []])
            #expect(waited.status == 200)
        }
    }

    @Test("/upstream/<model>/<path> passes through, model IDs with slashes, locks still apply to JSON")
    func upstream() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              org/model-x:
                cmd: {FAKE} --port ${PORT}
                filters:
                  setParams: {temperature: 0.25}
            """
        try await ServerHarness.withServer(config: config) { server in
            let raw = try await TestHTTP.send("GET", server.base + "/upstream/org/model-x/some/path?a=1")
            #expect(raw.status == 200)
            #expect(raw.json?["path"] as? String == "/some/path")
            #expect(raw.json?["query"] as? String == "a=1")
            let locked = try await TestHTTP.send(
                "POST", server.base + "/upstream/org/model-x/v1/chat/completions",
                json: ["model": "anything", "temperature": 2])
            #expect(((locked.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 0.25)
            #expect(try await TestHTTP.send("GET", server.base + "/upstream/org/other/x").status == 404)
        }
    }

    @Test("a peer's filters lock the body sent to the peer")
    func peerLocks() async throws {
        // The peer is the local model's own backend, reached directly at its port.
        let config = """
            startPort: {START_PORT}
            models:
              local:
                cmd: {FAKE} --port ${PORT}
            peers:
              neighbour:
                proxy: http://127.0.0.1:{START_PORT}
                models: [remote-model]
                filters:
                  stripParams: "top_p"
                  setParams: {temperature: 0.125}
            """
        try await ServerHarness.withServer(config: config) { server in
            let warm = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: ["model": "local", "temperature": 2])
            #expect(((warm.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 2, "no locks on `local`")
            let reply = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions",
                json: ["model": "neighbour/remote-model", "temperature": 2, "top_p": 0.9])
            #expect(reply.status == 200)
            let echo = reply.json?["echo"] as? [String: Any]
            #expect(echo?["temperature"] as? Double == 0.125)
            #expect(echo?["top_p"] == nil)
            #expect(echo?["model"] as? String == "remote-model")
        }
    }

    @Test("/v1/models hides unlisted models and lists aliases when includeAliasesInList")
    func modelList() async throws {
        let config = """
            startPort: {START_PORT}
            includeAliasesInList: true
            models:
              shown:
                cmd: {FAKE} --port ${PORT}
                name: Shown Model
                aliases: [shown-alias]
                metadata: {family: test, port: "${PORT}"}
              hidden:
                cmd: {FAKE} --port ${PORT}
                unlisted: true
            """
        try await ServerHarness.withServer(config: config) { server in
            let reply = try await TestHTTP.send("GET", server.base + "/v1/models")
            let ids = (reply.json?["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(Set(ids) == ["shown", "shown-alias"])
            #expect(try await T.chat(server, "hidden").status == 200, "unlisted models can still be requested")
        }
    }

    /// Real corpus configs, with every model's `cmd` replaced by the fake backend (and
    /// fixed `proxy` addresses by `${PORT}` ones), serve requests: files 02, 04, 27 and 36
    /// (chosen for having groups, macros, aliases and filters between them).
    @Test(
        "corpus configs with fake backends serve requests",
        .enabled(if: TestPaths.corpusExists || TestPaths.isCI, "corpus not found"),
        arguments: [
            "02-acerspyro-beellama-stack.yaml", "04-altpsyche-local-llm.yaml", "27-happyslowly-llm-stack.yaml",
            "36-minoru-dotfiles.yaml",
        ])
    func corpus(_ file: String) async throws {
        let text = try String(contentsOf: TestPaths.corpus.appendingPathComponent(file), encoding: .utf8)
        let rewritten = try CorpusRewriter.replacingCommands(in: text, name: file)
        let plan = try #require(
            PlanBuilder.compile([SourceFile(name: file, text: text)], environment: ProcessInfo.processInfo.environment)
                .plan)
        try await ServerHarness.withServer(config: rewritten) { server in
            for id in plan.models.keys.sorted().prefix(2) {
                let reply = try await T.chat(server, id)
                #expect(reply.status == 200, "\(file): \(id): \(reply.body.prefix(300))")
            }
        }
    }
}

/// Clients that go away: a waiting request is withdrawn, a streaming one releases its slot.
@Suite("swap-server client disconnects", .serialized)
struct ClientDisconnectTests {
    typealias T = ServerIntegrationTests

    static func activity(_ server: RunningServer, _ model: String) async throws -> (inFlight: Int, queued: Int)? {
        let list = try await TestHTTP.send("GET", server.base + "/running").json?["running"] as? [[String: Any]] ?? []
        guard let entry = list.first(where: { $0["model"] as? String == model }) else { return nil }
        return (entry["inFlight"] as? Int ?? -1, entry["queued"] as? Int ?? -1)
    }

    @Test("a client that gives up while its model loads is withdrawn from the queue")
    func waitingClientWithdrawn() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              slow-start:
                cmd: {FAKE} --port ${PORT} --start-delay-ms 2500
            """
        try await ServerHarness.withServer(config: config) { server in
            let gaveUp = try? await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: ["model": "slow-start"], timeout: .milliseconds(400)
            )
            #expect(gaveUp == nil, "the client timed out")
            let withdrawn = await T.eventually(seconds: 5) {
                guard let load = try? await Self.activity(server, "slow-start") else { return false }
                return load.queued == 0 && load.inFlight == 0
            }
            #expect(withdrawn)
            // Once loaded, nothing was admitted on the gone client's behalf.
            _ = await T.eventually(seconds: 6) { (try? await T.running(server)["slow-start"]) != nil }
            let load = try await Self.activity(server, "slow-start")
            #expect(load?.inFlight == 0)
        }
    }

    @Test("a client that drops a stream releases the model's slot")
    func droppedStreamReleases() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              chatty:
                cmd: {FAKE} --port ${PORT} --tokens 200 --token-delay-ms 50
            """
        try await ServerHarness.withServer(config: config) { server in
            let warmUp = try await T.chat(server, "chatty")
            #expect(warmUp.status == 200)
            _ = try? await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", json: ["model": "chatty", "stream": true],
                timeout: .milliseconds(500))
            let released = await T.eventually(seconds: 5) {
                (try? await Self.activity(server, "chatty"))??.inFlight == 0
            }
            #expect(released, "the dropped stream no longer counts as in flight")
        }
    }
}
