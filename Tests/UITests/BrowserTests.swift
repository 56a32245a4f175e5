import Foundation
import SwapTestSupport
import Testing

/// The web UI in a real browser (headless Chromium over WebDriver) against a real
/// swap-server with fake backends.
///
@Suite(
    "web UI in a browser", .serialized,
    .enabled(if: TestPaths.isCI || WebDriver.available, Comment(rawValue: WebDriver.skipReason)))
struct BrowserTests {
    static let config = """
        startPort: {START_PORT}
        sendLoadingState: true
        models:
          writer:
            cmd: {FAKE} --port ${PORT} --model-name writer --start-delay-ms 2500 --tokens 30 --token-delay-ms 80
            name: Writer
            ttl: 300
          coder:
            cmd: {FAKE} --port ${PORT} --model-name coder --tokens 40 --token-delay-ms 100
            aliases: [code]
            filters:
              setParams:
                temperature: 0
          embedder:
            cmd: {FAKE} --port ${PORT} --model-name embedder
            capabilities: {reranker: true}
        """

    /// Console errors that are not failures: `/api/performance` reporting monitoring off (503).
    static func isExpected(_ entry: WebDriver.LogEntry) -> Bool {
        entry.message.contains("/api/performance") && entry.message.contains("status of 503")
    }

    /// A server on `config` and a browser for `body`; then the page must have logged no
    /// JavaScript error (uncaught exceptions, rejected promises and failed loads are SEVERE).
    static func withUI(
        config: String = config, arguments: [String] = [],
        _ body: @Sendable (RunningServer, WebDriver) async throws -> Void
    ) async throws {
        try await ServerHarness.withServer(config: config, arguments: arguments) { server in
            try await WebDriver.withBrowser { browser in
                try await body(server, browser)
                let errors = try await browser.browserLog().filter { $0.level == "SEVERE" && !isExpected($0) }
                #expect(errors.isEmpty, "the page logged errors: \(errors)")
            }
        }
    }

    /// Saves a screenshot as `<name>.png` in $SWAP_UI_SCREENSHOTS, when that is set
    /// (`SWAP_UI_SCREENSHOTS=docs/ui swift test --filter BrowserTests` refreshes docs/ui/).
    static func screenshot(_ browser: WebDriver, _ name: String) async throws {
        guard let directory = ProcessInfo.processInfo.environment["SWAP_UI_SCREENSHOTS"] else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await browser.screenshot().write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(name).png"))
    }

    /// The `data-state` of each model row of the Models page, by model.
    static func rowStates(_ browser: WebDriver) async throws -> [String: String] {
        let value = try await browser.run(
            """
            const out = {};
            for (const row of document.querySelectorAll('#models-table tr[data-model]')) out[row.dataset.model] = row.dataset.state;
            return out;
            """)
        return value as? [String: String] ?? [:]
    }

    @Test("/ opens the UI, which lists every model and shows a load's state change live, without a reload")
    func modelsLive() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/")
            #expect(try await browser.run("return location.pathname") as? String == "/ui/")
            let listed = try await browser.eventually { try await Self.rowStates(browser).count == 3 }
            let rows = try await Self.rowStates(browser)
            #expect(listed, "rows: \(rows)")
            #expect(rows == ["coder": "stopped", "embedder": "stopped", "writer": "stopped"])
            // Every state the writer's row shows from now on, and a marker a page reload would lose.
            try await browser.run(
                """
                window.__swapMarker = 'kept';
                window.__states = [];
                const record = () => {
                  const row = document.querySelector('#models-table tr[data-model="writer"]');
                  const state = row && row.dataset.state;
                  if (state && window.__states.at(-1) !== state) window.__states.push(state);
                };
                new MutationObserver(record).observe(document.getElementById('main'), {subtree: true, childList: true, attributes: true});
                """)
            try await browser.click("#models-table tr[data-model='writer'] button[data-action='load']")
            let starting = try await browser.eventually {
                try await browser.text("#models-table tr[data-starting-of='writer']")?.contains("└") == true
            }
            #expect(starting, "a starting model shows how long it has been starting")
            let ready = try await browser.eventually(within: .seconds(30)) {
                try await Self.rowStates(browser)["writer"] == "ready"
            }
            #expect(ready)
            let counting = try await browser.eventually {
                try await browser.text("#models-table tr[data-model='writer'] td:nth-child(6)")?.hasSuffix(" left")
                    == true
            }
            #expect(counting, "an idle model with a ttl shows the time left before it is unloaded")
            let states = try await browser.run("return window.__states") as? [String] ?? []
            #expect(Array(states.drop { $0 == "stopped" }) == ["starting", "ready"], "states seen: \(states)")
            #expect(
                try await browser.run("return window.__swapMarker") as? String == "kept", "the page was not reloaded")
            try await Self.screenshot(browser, "models")
            try await browser.run("document.documentElement.dataset.theme = 'dark'")
            try await Self.screenshot(browser, "models-dark")
        }
    }

    /// Starts tracing the playground: each change of its status line and answer, in order.
    static let traceScript = """
        window.__trace = [];
        const take = () => {
          const answers = document.querySelectorAll('#pg-chat .message.assistant .content');
          const content = answers.length ? answers[answers.length - 1].textContent : '';
          const status = document.getElementById('pg-status').textContent;
          const last = window.__trace.at(-1);
          if (!last || last.content !== content || last.status !== status) window.__trace.push({content, status});
        };
        new MutationObserver(take).observe(document.getElementById('main'), {subtree: true, childList: true, characterData: true});
        """

    /// Picks `model` in the playground, sends `text`, and waits for the answer to end.
    static func chat(_ browser: WebDriver, model: String, _ text: String) async throws -> [[String: String]] {
        let listed = try await browser.eventually {
            try await browser.run(
                "return document.querySelector(`#pg-model option[value='${arguments[0]}']`) !== null", [model])
                as? Bool == true
        }
        #expect(listed, "the model picker offers \(model)")
        try await browser.run(
            "const s = document.getElementById('pg-model'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
            [model])
        try await browser.run(Self.traceScript)
        try await browser.type("#pg-input", text)
        try await browser.click("#pg-send")
        let done = try await browser.eventually(within: .seconds(40)) {
            try await browser.text("#pg-status")?.contains("first token") == true
        }
        let status = try await browser.text("#pg-status") ?? ""
        #expect(done, "status: \(status)")
        return try await browser.run("return window.__trace") as? [[String: String]] ?? []
    }

    @Test("a playground message shows the model loading as status, then streams tokens into the answer")
    func playgroundStreams() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/playground")
            let trace = try await Self.chat(browser, model: "writer", "hello there")
            let final = trace.last?["content"] ?? ""
            #expect(final.hasPrefix("tok0") && final.contains("tok29"), "answer: \(final)")
            #expect(trace.contains { $0["status"]?.hasPrefix("loading writer…") == true }, "\(trace)")
            #expect(
                trace.allSatisfy { !($0["content"] ?? "").contains("━") && !($0["content"] ?? "").contains("loading") },
                "the loading progress never shows as the answer")
            let partial = trace.filter { !($0["content"] ?? "").isEmpty && $0["content"] != final }
            #expect(partial.count >= 5, "the answer grew token by token: \(trace.map { $0["content"] ?? "" })")
            try await Self.screenshot(browser, "playground")
        }
    }

    @Test("the playground's cancel stops a streaming answer, and the server lets the request go")
    func playgroundCancel() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/playground")
            let listed = try await browser.eventually {
                try await browser.text("#pg-model option[value='coder']") != nil
            }
            #expect(listed)
            try await browser.run(
                "const s = document.getElementById('pg-model'); s.value = 'coder'; s.dispatchEvent(new Event('change'));"
            )
            try await browser.type("#pg-input", "a long answer please")
            try await browser.click("#pg-send")
            let streaming = try await browser.eventually(within: .seconds(20)) {
                try await browser.text("#pg-chat .message.assistant .content")?.contains("tok2") == true
            }
            #expect(streaming)
            try await browser.click("#pg-cancel")
            let cancelled = try await browser.eventually { try await browser.text("#pg-status") == "cancelled" }
            #expect(cancelled)
            let answer = try await browser.text("#pg-chat .message.assistant .content") ?? ""
            #expect(!answer.contains("tok39"), "the 40-token answer stopped early: \(answer)")
            let released = try await Polling.eventually(within: .seconds(10), every: .milliseconds(50)) {
                let running =
                    try await TestHTTP.send("GET", server.base + "/running").json?["running"] as? [[String: Any]]
                return running?.first { $0["model"] as? String == "coder" }?["inFlight"] as? Int == 0
            }
            #expect(released, "the server counts no request in flight once the browser cancelled")
        }
    }

    @Test("the playground shows which parameters the model's locks changed")
    func playgroundLockNote() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/playground")
            try await browser.run("document.getElementById('pg-temperature').value = '1.2'")
            _ = try await Self.chat(browser, model: "code", "hi")
            let note = try await browser.text("#pg-chat .lock-note") ?? ""
            #expect(note.contains("temperature 1.2 → 0"), "lock note: \(note)")
        }
    }

    @Test("the playground offers the rerank check only for a model whose capabilities say reranker")
    func playgroundRerankByCapability() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/playground")
            func rerankOffered(for model: String) async throws -> Bool? {
                try await browser.run(
                    """
                    const s = document.getElementById('pg-model'); s.value = arguments[0];
                    s.dispatchEvent(new Event('change'));
                    return !document.querySelector('#pg-endpoint option[value="rerank"]').disabled;
                    """, [model]) as? Bool
            }
            let loaded = try await browser.eventually { try await rerankOffered(for: "embedder") == true }
            #expect(loaded, "embedder declares reranker")
            #expect(try await rerankOffered(for: "writer") == false, "writer declares no capabilities")
        }
    }

    @Test("a broken config under --watch-config shows its diagnostic with line and column on the Config page")
    func configDiagnostic() async throws {
        try await Self.withUI(arguments: ["--watch-config"]) { server, browser in
            try await browser.open(server.base + "/ui/#/config")
            let shown = try await browser.eventually { try await browser.text("#last-reload") != nil }
            #expect(shown)
            let broken = Self.config.replacingOccurrences(of: "    ttl: 300", with: "    ttl: soon")
            try server.writeConfig(
                broken.replacingOccurrences(of: "{START_PORT}", with: "20000"))
            var diagnostic: [String: Any] = [:]
            let rejected = try await Polling.eventually(within: .seconds(20), every: .milliseconds(50)) {
                let status = try await TestHTTP.send("GET", server.base + "/api/config/status").json
                let last = status?["lastAttempt"] as? [String: Any]
                diagnostic = (last?["diagnostics"] as? [[String: Any]])?.first ?? [:]
                return last?["success"] as? Bool == false
            }
            #expect(rejected)
            let line = diagnostic["line"] as? Int ?? 0
            let column = diagnostic["column"] as? Int ?? 0
            #expect(line == 7 && column == 10, "\(diagnostic)")
            let place = ":\(line):\(column)"
            let rendered = try await browser.eventually {
                try await browser.text("#diagnostics")?.contains(place) == true
            }
            #expect(rendered, "the Config page shows \(place) without a reload")
            let text = try await browser.text("#diagnostics") ?? ""
            #expect(text.contains("error[\(diagnostic["code"] as? String ?? "?")]"), "\(text)")
            #expect(text.contains("7 |     ttl: soon"), "the source line: \(text)")
            #expect(text.contains(" |" + String(repeating: " ", count: 10) + "^"), "a caret under column 10: \(text)")
            try await Self.screenshot(browser, "config")
        }
    }

    @Test("a finished request appears in Activity with its token counts")
    func activityRow() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/activity")
            let reply = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions",
                json: ["model": "embedder", "messages": [["role": "user", "content": "count me"]]])
            #expect(reply.status == 200)
            let row = try await browser.eventually(within: .seconds(20)) {
                try await browser.run("return document.querySelectorAll('#activity-table tr[data-id]').length") as? Int
                    ?? 0 > 0
            }
            #expect(row)
            let cells =
                try await browser.run(
                    "return [...document.querySelector('#activity-table tr[data-id]').cells].map(c => c.textContent)")
                as? [String] ?? []
            #expect(cells.count > 6 && cells[2] == "embedder", "\(cells)")
            #expect(cells.count > 6 && cells[6] == "8", "generated tokens (the fake backend's 8): \(cells)")
            try await Self.screenshot(browser, "activity-request")
        }
    }

    @Test("an in-flight request shows in Activity and its cancel button ends it")
    func cancelInFlight() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/activity")
            let started = ContinuousClock.now
            let stream = Task {
                try await TestHTTP.stream(
                    server.base + "/v1/chat/completions",
                    json: ["model": "coder", "stream": true, "messages": [["role": "user", "content": "long"]]])
            }
            let shown = try await browser.eventually(within: .seconds(20)) {
                try await browser.text("#inflight-table tr[data-id] button[data-action='cancel']") != nil
            }
            #expect(shown)
            try await browser.click("#inflight-table tr[data-id] button[data-action='cancel']")
            let reply = try? await stream.value
            let text = reply?.chunks.map(\.1).joined() ?? ""
            #expect(!text.contains("tok39"), "the stream ended before its 40 tokens")
            #expect(ContinuousClock.now - started < .seconds(20))
            let gone = try await browser.eventually { try await browser.text("#inflight-table tr[data-id]") == nil }
            #expect(gone)
        }
    }

    @Test("Logs shows new lines live, filters them by regex, and shows one source")
    func logs() async throws {
        try await Self.withUI { server, browser in
            try await browser.open(server.base + "/ui/#/logs")
            let lines = "return [...document.querySelectorAll('#log-output .line')].map(l => l.textContent)"
            let history = try await browser.eventually {
                (try await browser.run(lines) as? [String] ?? []).contains { $0.contains("listening on") }
            }
            #expect(history, "the log's history is shown")
            _ = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions",
                json: ["model": "coder", "messages": [["role": "user", "content": "log me"]]])
            let live = try await browser.eventually(within: .seconds(20)) {
                (try await browser.run(lines) as? [String] ?? []).contains {
                    $0.hasPrefix("[coder]") && $0.contains("/v1/chat/completions")
                }
            }
            #expect(live, "the backend's line arrives without a reload")
            try await browser.type("main input[type='search']", "chat/(completions)")
            let filtered = try await browser.run(lines) as? [String] ?? []
            #expect(!filtered.isEmpty && filtered.allSatisfy { $0.contains("chat/completions") }, "\(filtered)")
            try await browser.run(
                "const s = document.querySelector('main select'); s.value = 'upstream'; s.dispatchEvent(new Event('change'));"
            )
            let upstream = try await browser.eventually {
                let shown = try await browser.run(lines) as? [String] ?? []
                return !shown.isEmpty && shown.allSatisfy { !$0.hasPrefix("[proxy]") }
            }
            #expect(upstream, "the upstream source shows the backends' lines only")
        }
    }

    @Test("with apiKeys the UI asks for Basic auth and works with the key as the password")
    func basicAuth() async throws {
        let config = Self.config + "\napiKeys: [\"sk-ui-test\"]\n"
        try await Self.withUI(config: config) { server, browser in
            for path in ["/ui/", "/api/config/status", "/v1/models"] {
                let denied = try await TestHTTP.send("GET", server.base + path)
                #expect(denied.status == 401, "\(path)")
                #expect(denied.header("WWW-Authenticate") == "Basic realm=\"swap\"", "\(path)")
            }
            let credentials = Data("user:sk-ui-test".utf8).base64EncodedString()
            try await browser.sendAuthorization("Basic \(credentials)")
            try await browser.open(server.base + "/ui/")
            let listed = try await browser.eventually { try await Self.rowStates(browser).count == 3 }
            #expect(listed)
            let url = try await browser.run("return location.href") as? String ?? ""
            #expect(!url.contains("sk-ui-test"))
        }
    }

    @Test("every page renders without a JavaScript error")
    func everyPage() async throws {
        try await Self.withUI { server, browser in
            _ = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions",
                json: ["model": "coder", "messages": [["role": "user", "content": "warm up"]]])
            for (page, probe) in [
                ("models", "#models-table tr[data-model]"), ("models/coder", "#activity-table, .note"),
                ("activity", "#inflight-table"), ("logs", "#log-output .line"), ("playground", "#pg-model option"),
                ("config", "#plan details"), ("system", "main h2"),
            ] {
                try await browser.open(server.base + "/ui/#/\(page)")
                let rendered = try await browser.eventually { try await browser.text(probe) != nil }
                #expect(rendered, "#/\(page) shows \(probe)")
                // The other pages' screenshots come from the tests that fill them.
                if ["activity", "logs", "system"].contains(page) { try await Self.screenshot(browser, page) }
            }
            try await browser.open(server.base + "/ui/#/config")
            _ = try await browser.eventually { try await browser.text("#reload-now") != nil }
            try await browser.click("#reload-now")
            // A reload compiles the config in a child process first: slow on a loaded machine.
            let reloaded = try await browser.eventually(within: .seconds(30)) {
                try await browser.text("#reload-message") == "unchanged"
            }
            let answer = try await browser.text("#reload-message") ?? ""
            #expect(reloaded, "\"Reload now\" reloads: \(answer)")
            try await browser.open(server.base + "/ui/#/models/coder?tab=plan")
            let locks = try await browser.eventually {
                try await browser.text("table.locks")?.contains("temperature") == true
            }
            #expect(locks, "the model page shows its locks with where each was declared")
            #expect(try await browser.text("table.locks")?.contains("config.yaml:") == true)
            try await Self.screenshot(browser, "model")
        }
    }
}
