import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// llama-swap v250's profile API and routes, against a real swap-server and fake backends.
@Suite("llama-swap routes", .serialized)
struct DropInRoutesTests {
    typealias T = ServerIntegrationTests

    static let config = """
        startPort: {START_PORT}
        includeAliasesInList: true
        upstream:
          ignorePaths: ["^/props$"]
        models:
          a:
            cmd: {FAKE} --port ${PORT}
            aliases: [a1]
            name: Model A
            metadata: {family: test}
            capabilities:
              in: [text, image]
              out: [text]
              tools: true
              context: 32000
          b:
            cmd: {FAKE} --port ${PORT}
          org/c:
            cmd: {FAKE} --port ${PORT}
          hidden:
            cmd: {FAKE} --port ${PORT}
            unlisted: true
        selectors:
          s:
            strategy: pin
            targets: [b]
        profiles:
          night:
            description: Only b at night
            pins:
              x: b
              a: null
          day:
            pins:
              x: a
        """

    static func ids(_ reply: TestHTTP.Reply) -> [String] {
        (reply.json?["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    static func record(_ reply: TestHTTP.Reply, _ id: String) -> [String: Any]? {
        (reply.json?["data"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id }
    }

    static func llamaswap(_ record: [String: Any]?) -> [String: Any] {
        (record?["meta"] as? [String: Any])?["llamaswap"] as? [String: Any] ?? [:]
    }

    static func raw(_ server: RunningServer, _ request: [UInt8]) throws -> RawHTTPConnection.Response {
        let connection = try RawHTTPConnection(port: server.port)
        defer { connection.close() }
        try connection.send(request)
        return try connection.readResponse()
    }

    @Test("GET/PUT /api/profiles: pins apply to the next request, /v1/models lists them, 400/404 on bad names")
    func profiles() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let initial = try await TestHTTP.send("GET", server.base + "/api/profiles")
            #expect(initial.status == 200)
            #expect(initial.json?["active"] is NSNull)
            let profiles = initial.json?["profiles"] as? [[String: Any]] ?? []
            #expect(profiles.map { $0["id"] as? String } == ["day", "night"])
            #expect(profiles.last?["description"] as? String == "Only b at night")
            #expect((profiles.last?["pins"] as? [String: Any])?["x"] as? String == "b")
            #expect((profiles.last?["pins"] as? [String: Any])?["a"] is NSNull)

            // Without a profile `x` is nobody.
            #expect(try await T.chat(server, "x").status == 404)

            let set = try await TestHTTP.send("PUT", server.base + "/api/profiles/active", json: ["name": "night"])
            #expect(set.status == 200)
            #expect(set.json?["active"] as? String == "night")
            #expect(try await TestHTTP.send("GET", server.base + "/api/profiles").json?["active"] as? String == "night")
            #expect(try await T.chat(server, "x").status == 200)
            #expect(Set(try await T.running(server).keys) == ["b"], "x is pinned to b")
            #expect(try await T.chat(server, "a").status == 404, "the profile disables a")
            #expect(try await T.chat(server, "a1").status == 200, "only the ID a is pinned, not its alias")

            let listed = try await TestHTTP.send("GET", server.base + "/v1/models")
            #expect(!Self.ids(listed).contains("a"))
            let pin = Self.llamaswap(Self.record(listed, "x"))
            #expect(pin["type"] as? String == "profile")
            #expect(pin["modelID"] as? String == "b")

            let switched = try await TestHTTP.send("PUT", server.base + "/api/profiles/active", json: ["name": "day"])
            #expect(switched.status == 200)
            #expect(
                Self.llamaswap(Self.record(try await TestHTTP.send("GET", server.base + "/v1/models"), "x"))["modelID"]
                    as? String == "a")

            let cleared = try await TestHTTP.send("PUT", server.base + "/api/profiles/active", json: ["name": NSNull()])
            #expect(cleared.status == 200)
            #expect(cleared.json?["active"] is NSNull)
            #expect(try await T.chat(server, "x").status == 404)
            #expect(!Self.ids(try await TestHTTP.send("GET", server.base + "/v1/models")).contains("x"))

            for bad: [String: Any] in [["name": 3], [:], ["profile": "night"]] {
                let reply = try await TestHTTP.send("PUT", server.base + "/api/profiles/active", json: bad)
                #expect(reply.status == 400, "\(bad)")
            }
            let unknown = try await TestHTTP.send("PUT", server.base + "/api/profiles/active", json: ["name": "nope"])
            #expect(unknown.status == 404)
            #expect(unknown.body.contains("day, night"))
            #expect(try await TestHTTP.send("GET", server.base + "/api/profiles").json?["active"] is NSNull)
        }
    }

    @Test("/v1/models records: sorted with aliases, types, status loaded/unloaded, unlisted left out")
    func modelRecords() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            #expect(try await T.chat(server, "a").status == 200)
            let list = try await TestHTTP.send(
                "GET", server.base + "/v1/models", headers: [("Origin", "http://ui.test")])
            #expect(list.status == 200)
            #expect(list.header("Access-Control-Allow-Origin") == "http://ui.test")
            #expect(Self.ids(list) == ["a", "a1", "b", "org/c", "s"])
            let a = Self.record(list, "a")
            #expect(a?["owned_by"] as? String == "llama-swap")
            #expect(a?["name"] as? String == "Model A")
            #expect((a?["status"] as? [String: Any])?["value"] as? String == "loaded")
            #expect(Self.llamaswap(a)["type"] as? String == "model")
            #expect(Self.llamaswap(a)["family"] as? String == "test", "user metadata stays under meta.llamaswap")
            #expect(Self.llamaswap(a)["aliases"] as? [String] == ["a1"])
            #expect(a?["context_length"] as? Int == 32000)
            #expect((a?["meta"] as? [String: Any])?["n_ctx"] as? Int == 32000)
            let capabilities = a?["capabilities"] as? [String: Bool] ?? [:]
            #expect(capabilities == ["vision": true, "function_calling": true])
            #expect((a?["architecture"] as? [String: Any])?["modality"] as? String == "text+image->text")
            #expect(a?["supported_parameters"] as? [String] == ["tools", "tool_choice"])
            #expect(Self.record(list, "b")?["capabilities"] == nil)
            let alias = Self.llamaswap(Self.record(list, "a1"))
            #expect(alias["type"] as? String == "alias")
            #expect(alias["modelID"] as? String == "a")
            #expect((Self.record(list, "b")?["status"] as? [String: Any])?["value"] as? String == "unloaded")
            let selector = Self.llamaswap(Self.record(list, "s"))
            #expect(selector["type"] as? String == "selector")
            #expect(selector["strategy"] as? String == "pin")
            #expect(selector["targets"] as? [String] == ["b"])

            // llama.cpp's `/models` is the same list.
            #expect(Self.ids(try await TestHTTP.send("GET", server.base + "/models")) == Self.ids(list))

            // `models.retrieve`: IDs may contain `/`; unlisted models can be retrieved; unknown is 404.
            let one = try await TestHTTP.send("GET", server.base + "/v1/models/org/c")
            #expect(one.status == 200)
            #expect(one.json?["id"] as? String == "org/c")
            #expect(
                try await TestHTTP.send("GET", server.base + "/v1/models/hidden").json?["id"] as? String == "hidden")
            #expect(try await TestHTTP.send("GET", server.base + "/v1/models/a1").json?["id"] as? String == "a1")
            #expect(try await TestHTTP.send("GET", server.base + "/v1/models/nope").status == 404)
        }
    }

    @Test("GET /unload, unload by alias, /upstream redirects, CORS preflight")
    func routes() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            #expect(try await T.chat(server, "a").status == 200)
            #expect(try await T.chat(server, "b").status == 200)
            let byAlias = try await TestHTTP.send("POST", server.base + "/api/models/unload/a1")
            #expect(byAlias.status == 200)
            #expect(byAlias.body == "OK")
            #expect(await T.eventually { (try? await T.running(server).keys.contains("a")) == false })
            let unknown = try await TestHTTP.send("POST", server.base + "/api/models/unload/nope")
            #expect(unknown.status == 404)

            #expect(try await T.chat(server, "a").status == 200)
            let unloadAll = try await TestHTTP.send("POST", server.base + "/api/models/unload")
            #expect(unloadAll.status == 200)
            #expect(unloadAll.json?["msg"] as? String == "ok")
            #expect(await T.eventually { (try? await T.running(server).isEmpty) == true })

            #expect(try await T.chat(server, "a").status == 200)
            let unload = try await TestHTTP.send("GET", server.base + "/unload")
            #expect(unload.status == 200)
            #expect(unload.body == "OK")
            #expect(await T.eventually { (try? await T.running(server).isEmpty) == true })

            let get = try Self.raw(server, RawHTTPConnection.get("/upstream/org/c?x=1"))
            #expect(get.status == 301)
            #expect(get.header("Location") == "/upstream/org/c/?x=1")
            let post = try Self.raw(server, RawHTTPConnection.post("/upstream/a", json: [:] as [String: Any]))
            #expect(post.status == 308)
            #expect(post.header("Location") == "/upstream/a/")
            #expect(try await T.running(server).isEmpty, "a redirect starts nothing")
            // upstream.ignorePaths: 409 while the model is not running, passed through once it is.
            let ignored = try await TestHTTP.send("GET", server.base + "/upstream/b/props")
            #expect(ignored.status == 409)
            #expect(ignored.body.contains("ignorePaths"))
            #expect(try await T.running(server).isEmpty, "an ignored path starts nothing")
            #expect(try await TestHTTP.send("GET", server.base + "/upstream/b/health").status == 200)
            #expect(try await TestHTTP.send("GET", server.base + "/upstream/b/props").status == 200)
            _ = try await TestHTTP.send("GET", server.base + "/unload")
            #expect(await T.eventually { (try? await T.running(server).isEmpty) == true })

            let ui = try Self.raw(server, RawHTTPConnection.get("/upstream"))
            #expect(ui.status == 302)
            #expect(ui.header("Location") == "/ui/models")

            let preflight = try Self.raw(
                server,
                Array(
                    ("OPTIONS /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://ui.test\r\n"
                        + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n")
                        .utf8))
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == "*")
            #expect(preflight.header("Access-Control-Allow-Headers") == "content-type")
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
        }
    }

    @Test("the profile feed tells each subscriber every change, in order")
    func profileFeed() async throws {
        let feed = ChangeFeed<String?>()
        let first = feed.subscribe()
        let second = feed.subscribe()
        feed.publish("night")
        feed.publish(nil)
        for stream in [first, second] {
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next() == .some("night"))
            #expect(await iterator.next() == .some(nil))
        }
    }
}
