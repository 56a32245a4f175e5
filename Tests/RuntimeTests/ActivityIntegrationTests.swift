import AsyncHTTPClient
import Foundation
import NIOCore
import SwapTestSupport
import Synchronization
import Testing

/// The activity history, `/api/events` and cancel, against a real swap-server and fake
/// backends.
@Suite("activity", .serialized)
struct ActivityIntegrationTests {
    typealias T = ServerIntegrationTests

    static let config = """
        startPort: {START_PORT}
        models:
          a:
            cmd: {FAKE} --port ${PORT} --tokens 7
            filters:
              setParams: {temperature: 0}
          b:
            cmd: {FAKE} --port ${PORT} --tokens 4 --token-delay-ms 20
          slow:
            cmd: {FAKE} --port ${PORT} --tokens 400 --token-delay-ms 50
        profiles:
          night:
            pins:
              x: b
        """

    static func rows(_ server: RunningServer, _ query: String = "") async throws -> [[String: Any]] {
        let reply = try await TestHTTP.send("GET", server.base + "/api/metrics/activity?limit=100&order=asc" + query)
        return reply.json?["data"] as? [[String: Any]] ?? []
    }

    static func tokens(_ row: [String: Any]?) -> [String: Any] { row?["tokens"] as? [String: Any] ?? [:] }

    static func send(_ server: RunningServer, _ path: String, _ body: [String: Any], headers: [(String, String)] = [])
        async throws -> TestHTTP.Reply
    {
        try await TestHTTP.send("POST", server.base + path, json: body, headers: headers)
    }

    @Test("streamed and plain answers of every shape give rows with the fake backend's token counts")
    func tokenCounts() async throws {
        try await ServerHarness.withServer(config: Self.config) { server async throws in
            let messages: [[String: Any]] = [["role": "user", "content": "one two three"]]
            let plain = try await Self.send(
                server, "/v1/chat/completions", ["model": "a", "messages": messages, "temperature": 1.2],
                headers: [("X-Session-ID", "lspg-abcde")])
            #expect(plain.status == 200)
            let plainID = try #require(plain.header("X-Swap-Request-Id"))
            let lockHeader = try #require(plain.header("X-Swap-Lock-Changes"))
            let locks = try JSONSerialization.jsonObject(with: Data(lockHeader.utf8)) as? [[String: Any]]
            #expect(locks?.first?["key"] as? String == "temperature")
            #expect(locks?.first?["sent"] as? String == "1.2")
            #expect(locks?.first?["forwarded"] as? String == "0")
            #expect(locks?.first?["action"] as? String == "set")
            #expect((locks?.first?["declared_at"] as? String)?.hasSuffix("config.yaml:6:19") == true)

            let streamed = try await Self.send(
                server, "/v1/chat/completions", ["model": "a", "stream": true, "messages": messages])
            #expect(streamed.body.contains("[DONE]"))
            let anthropic = try await Self.send(
                server, "/v1/messages", ["model": "b", "stream": true, "max_tokens": 9, "messages": messages])
            #expect(anthropic.body.contains("message_stop"))
            #expect(try await Self.send(server, "/v1/responses", ["model": "b", "input": "four five"]).status == 200)
            let responsesStream = try await Self.send(
                server, "/v1/responses", ["model": "b", "stream": true, "input": "four five six"])
            #expect(responsesStream.body.contains("response.completed"))
            #expect(try await Self.send(server, "/v1/chat/completions", ["model": "nope"]).status == 404)

            var rows: [[String: Any]] = []
            #expect(
                try await T.eventually {
                    rows = try await Self.rows(server)
                    return rows.count == 6
                })
            #expect(rows.first?["id"] as? Int == Int(plainID), "X-Swap-Request-Id is the row's id")
            let expected: [(model: String, path: String, input: Int, output: Int, cause: String)] = [
                ("a", "/v1/chat/completions", 3, 7, "start"),
                ("a", "/v1/chat/completions", 3, 7, "none"),
                ("b", "/v1/messages", 3, 4, "swap"),
                ("b", "/v1/responses", 2, 4, "none"),
                ("b", "/v1/responses", 3, 4, "none"),
                ("", "/v1/chat/completions", -1, -1, "none"),
            ]
            for (row, want) in zip(rows, expected) {
                #expect(row["model"] as? String == want.model)
                #expect(row["req_path"] as? String == want.path)
                #expect(Self.tokens(row)["input_tokens"] as? Int == want.input, "\(want)")
                #expect(Self.tokens(row)["output_tokens"] as? Int == want.output, "\(want)")
                #expect(row["start_cause"] as? String == want.cause, "\(want)")
            }
            #expect(rows[0]["session_id"] as? String == "lspg-abcde")
            #expect(rows[1]["session_id"] is NSNull)
            #expect(rows[2]["evicted"] as? [String] == ["a"])
            #expect((rows[0]["queued_ms"] as? Int ?? -1) > 0, "waited for the cold start")
            #expect(rows[0]["ttfb_ms"] as? Int != nil)
            #expect((rows[0]["lock_changes"] as? [[String: Any]])?.first?["key"] as? String == "temperature")
            #expect(Self.tokens(rows[1])["tokens_per_second"] as? Double ?? 0 > 0, "llama.cpp timings of the stream")
            #expect(rows[1]["resp_content_type"] as? String == "text/event-stream")
            #expect(rows[5]["resp_status_code"] as? Int == 404)
            #expect((rows[5]["error_msg"] as? String)?.contains("nope") == true)

            let stats = try await TestHTTP.send("GET", server.base + "/api/metrics/stats?model=a").json
            #expect(stats?["total_requests"] as? Int == 2)
            #expect(stats?["total_output_tokens"] as? Int == 14)
            let filtered = try await Self.rows(server, "&model=b&sort=prompt&order=desc")
            #expect(filtered.map { Self.tokens($0)["input_tokens"] as? Int } == [3, 3, 2])
            let bad = try await TestHTTP.send("GET", server.base + "/api/metrics/activity?sort=nope")
            #expect(bad.status == 400)
            #expect(bad.body.contains("`sort`"))
        }
    }

    /// Reads `/api/events` frames into a list as they arrive.
    final class EventReader: Sendable {
        let frames = Mutex<[(type: String, text: String)]>([])
        let task: Mutex<Task<Void, any Error>?> = Mutex(nil)

        init(_ server: RunningServer) {
            let url = server.base + "/api/events"
            let task = Task { [self] in
                let response = try await TestHTTP.client.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
                var pending = ""
                for try await chunk in response.body {
                    pending += String(buffer: chunk)
                    while let end = pending.range(of: "\n\n") {
                        let frame = String(pending[..<end.lowerBound])
                        pending = String(pending[end.upperBound...])
                        guard let line = frame.split(separator: "\n").first(where: { $0.hasPrefix("data:") }),
                            let envelope = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8))
                                as? [String: Any],
                            let type = envelope["type"] as? String, let text = envelope["data"] as? String
                        else { continue }
                        self.frames.withLock { $0.append((type, text)) }
                    }
                }
            }
            self.task.withLock { $0 = task }
        }

        /// The frames so far, payloads parsed.
        var all: [(type: String, data: Any)] {
            frames.withLock { $0 }.map { frame in
                (
                    frame.type,
                    (try? JSONSerialization.jsonObject(with: Data(frame.text.utf8), options: [.fragmentsAllowed]))
                        ?? NSNull()
                )
            }
        }

        func stop() { task.withLock { $0?.cancel() } }
    }

    @Test("/api/events: the connect sequence, model state changes and in-flight updates in order, activity")
    func events() async throws {
        try await ServerHarness.withServer(config: Self.config) { server async throws in
            let reader = EventReader(server)
            defer { reader.stop() }
            try #require(try await T.eventually { reader.all.count >= 6 })
            #expect(
                reader.all.prefix(6).map(\.type)
                    == ["logData", "logData", "modelStatus", "uiConfig", "profileChanged", "inflight"])
            let ui = reader.all[3].data as? [String: Any]
            #expect(
                (ui?["activity"] as? [String: Any])?["session_id"] as? [String] == [
                    "X-Session-ID", "X-Litellm-Session-Id",
                ])

            let reply = try await Self.send(
                server, "/v1/chat/completions", ["model": "b", "stream": true, "messages": []])
            let id = try #require(reply.header("X-Swap-Request-Id"))
            #expect(try await T.eventually { reader.all.contains { $0.type == "activity" } })
            let frames = reader.all
            // b's state, as every modelStatus tells it: stopped → starting → ready.
            var states: [String] = []
            for frame in frames where frame.type == "modelStatus" {
                let b = (frame.data as? [[String: Any]])?.first { $0["id"] as? String == "b" }
                if let state = b?["state"] as? String, states.last != state { states.append(state) }
            }
            #expect(states == ["stopped", "starting", "ready"])
            // This request's in-flight life: upserts (queued → sending → streaming), then remove, then activity.
            var life: [String] = []
            for frame in frames {
                let data = frame.data as? [String: Any]
                if frame.type == "inflight", data?["operation"] as? String == "upsert",
                    let request = data?["request"] as? [String: Any], request["id"] as? String == id
                {
                    let state = request["state"] as? String ?? "?"
                    if life.last != state { life.append(state) }
                } else if frame.type == "inflight", data?["operation"] as? String == "remove",
                    data?["id"] as? String == id
                {
                    life.append("remove")
                } else if frame.type == "activity", data?["id"] as? Int == Int(id) {
                    life.append("activity")
                }
            }
            #expect(life == ["queued", "sending", "streaming", "remove", "activity"])

            // The memory sampler (every 5 s) reaches the stream: a `memory` frame with b's
            // resident bytes, and b's memory in the next modelStatus.
            func residentOfB(_ frame: (type: String, data: Any)) -> Int? {
                let entries = frame.data as? [[String: Any]] ?? []
                let b = entries.first { $0["id"] as? String == "b" }
                return frame.type == "memory"
                    ? b?["rss_bytes"] as? Int : (b?["memory"] as? [String: Any])?["rss_bytes"] as? Int
            }
            #expect(
                try await T.eventually(seconds: 20) {
                    reader.all.contains { $0.type == "memory" && (residentOfB($0) ?? 0) > 0 }
                })

            // A profile switch and a reload attempt each send their frame.
            let switched = try await TestHTTP.send(
                "PUT", server.base + "/api/profiles/active", json: ["name": "night"])
            #expect(switched.status == 200)
            #expect(
                try await T.eventually {
                    reader.all.contains {
                        $0.type == "profileChanged" && ($0.data as? [String: Any])?["active"] as? String == "night"
                    }
                })
            #expect(
                try await T.eventually {
                    reader.all.contains { $0.type == "modelStatus" && (residentOfB($0) ?? 0) > 0 }
                }, "the modelStatus the switch sends carries b's sampled memory")
            #expect(try await TestHTTP.send("POST", server.base + "/api/config/reload").status == 200)
            #expect(
                try await T.eventually {
                    reader.all.contains { frame in
                        frame.type == "configReload"
                            && (frame.data as? [String: Any])?["trigger"] as? String == "api"
                            && (frame.data as? [String: Any])?["success"] as? Bool == true
                    }
                })
        }
    }

    @Test("POST /api/inflight/{id}/cancel stops a running stream: the backend sees the disconnect")
    func cancel() async throws {
        try await ServerHarness.withServer(config: Self.config) { server async throws in
            var request = HTTPClientRequest(url: server.base + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"model":"slow","stream":true,"messages":[]}"#))
            let response = try await TestHTTP.client.execute(request, timeout: .seconds(60))
            let id = try #require(response.headers.first(name: "X-Swap-Request-Id"))
            let started = ContinuousClock.now
            var received = 0
            var cancelled = false
            do {
                for try await chunk in response.body {
                    received += chunk.readableBytes
                    if !cancelled, received > 2000 {
                        cancelled = true
                        let reply = try await TestHTTP.send("POST", server.base + "/api/inflight/\(id)/cancel")
                        #expect(reply.status == 200)
                        #expect(reply.body == #"{"msg":"ok"}"#)
                    }
                }
            } catch {
                // The cancelled stream ends with the connection closed.
            }
            #expect(cancelled)
            #expect(ContinuousClock.now - started < .seconds(15), "400 tokens 50 ms apart would take 20 s")
            #expect(
                try await T.eventually {
                    try await TestHTTP.send("GET", server.base + "/logs").body.contains(
                        "stream closed by the client before its end")
                }, "the fake backend saw its client (swap) go away")
            var rows: [[String: Any]] = []
            #expect(
                try await T.eventually {
                    rows = try await Self.rows(server)
                    return rows.count == 1
                })
            #expect(rows.first?["resp_status_code"] as? Int == 499)
            let again = try await TestHTTP.send("POST", server.base + "/api/inflight/\(id)/cancel")
            #expect(again.status == 404)
        }
    }

    @Test("with store.path the history survives a restart; ids continue; an unwritable path keeps it in memory")
    func persistence() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let configURL = directory.appendingPathComponent("config.yaml")
            let database = directory.appendingPathComponent("activity.db").path
            let text = (Self.config + "\nstore:\n  path: \(database)\n")
                .replacingOccurrences(of: "{FAKE}", with: ServerHarness.fakeBackend)
                .replacingOccurrences(of: "{START_PORT}", with: String(try ServerHarness.freePortBlock()))
            try text.write(to: configURL, atomically: true, encoding: .utf8)
            try await ServerHarness.withServer(configURL: configURL, directory: directory) { server async throws in
                #expect(
                    try await Self.send(server, "/v1/chat/completions", ["model": "a", "messages": []]).status == 200)
                #expect(
                    try await Self.send(server, "/v1/chat/completions", ["model": "x", "messages": []]).status == 404)
                #expect(try await T.eventually { try await Self.rows(server).count == 2 })
            }
            try await ServerHarness.withServer(configURL: configURL, directory: directory) { server async throws in
                let rows = try await Self.rows(server)
                #expect(rows.map { $0["id"] as? Int } == [1, 2])
                #expect(Self.tokens(rows.first)["output_tokens"] as? Int == 7)
                let next = try await Self.send(server, "/v1/chat/completions", ["model": "a", "messages": []])
                #expect(next.header("X-Swap-Request-Id") == "3")
            }
            let unwritable = text.replacingOccurrences(of: database, with: "/proc/swap-no-such-dir/activity.db")
            try unwritable.write(to: configURL, atomically: true, encoding: .utf8)
            try await ServerHarness.withServer(configURL: configURL, directory: directory) { server async throws in
                #expect(server.output.all.contains { $0.contains("activity store: cannot open") })
                #expect(
                    try await Self.send(server, "/v1/chat/completions", ["model": "a", "messages": []]).status == 200)
                #expect(try await T.eventually { try await Self.rows(server).count == 1 })
            }
        }
    }

    @Test("/api/events: a client that stops reading is dropped once 1024 frames wait for it; requests go on")
    func slowClientDropped() async throws {
        try await ServerHarness.withServer(config: Self.config) { server async throws in
            let stalled = try RawHTTPConnection(port: server.port)
            defer { stalled.close() }
            try stalled.send(RawHTTPConnection.get("/api/events"))
            // Every in-flight upsert repeats the request's headers: 8 KiB of them fill the
            // socket buffers (a few MiB) and then the client's 1024 frames in a few hundred
            // requests.
            let pad = String(repeating: "p", count: 8 << 10)
            var sent = 0
            while sent < 2000, !server.output.all.contains(where: { $0.contains("/api/events: dropped") }) {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await Self.send(
                                server, "/v1/chat/completions", ["model": "a", "messages": []],
                                headers: [("X-Pad", pad)]
                            ).status
                        }
                    }
                    do {
                        for try await status in group { #expect(status == 200) }
                    } catch {
                        Issue.record("\(error) after \(sent): \(server.output.all.suffix(8).joined(separator: "\n"))")
                        throw error
                    }
                }
                sent += 8
            }
            #expect(
                server.output.all.contains { $0.contains("/api/events: dropped 1 client(s)") },
                "after \(sent) requests")
            let reader = EventReader(server)
            defer { reader.stop() }
            #expect(try await T.eventually { reader.all.count >= 6 }, "a new client still connects")
        }
    }
}
