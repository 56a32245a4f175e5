import ConfigLang
import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// `/api/config/status`' `lastAttempt` tells what an applied reload did to each model and
/// quotes each diagnostic's source, so the UI can render it as `swap-lint` does.
@Suite("config status details", .serialized)
struct ConfigStatusDetailTests {
    static let config = """
        startPort: {START_PORT}
        models:
          alpha:
            cmd: {FAKE} --port ${PORT} --model-name alpha
            filters:
              setParams: {temperature: 0.1}
          beta:
            cmd: {FAKE} --port ${PORT} --model-name beta
        """

    static func lastAttempt(_ server: RunningServer) async throws -> [String: Any] {
        try await TestHTTP.send("GET", server.base + "/api/config/status").json?["lastAttempt"] as? [String: Any] ?? [:]
    }

    @Test("changes lists the models a reload restarted, updated, added and removed")
    func changes() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let start = try await Self.lastAttempt(server)
            #expect(
                start["changes"] as? [String: [String]]
                    == ["restarted": [], "updated": [], "added": [], "removed": []])
            let port =
                try String(contentsOf: server.configURL, encoding: .utf8)
                .split(separator: "\n").first.map(String.init) ?? ""
            try server.writeConfig(
                """
                \(port)
                models:
                  alpha:
                    cmd: {FAKE} --port ${PORT} --model-name alpha
                    filters:
                      setParams: {temperature: 0.5}
                  beta:
                    cmd: {FAKE} --port ${PORT} --model-name beta --tokens 3
                  gamma:
                    cmd: {FAKE} --port ${PORT} --model-name gamma
                """)
            let reply = try await TestHTTP.send("POST", server.base + "/api/config/reload")
            #expect(reply.json?["success"] as? Bool == true)
            let applied = try await Self.lastAttempt(server)
            #expect(
                applied["changes"] as? [String: [String]]
                    == ["restarted": ["beta"], "updated": ["alpha"], "added": ["gamma"], "removed": []])
            try server.writeConfig(
                """
                \(port)
                models:
                  gamma:
                    cmd: {FAKE} --port ${PORT} --model-name gamma
                """)
            _ = try await TestHTTP.send("POST", server.base + "/api/config/reload")
            let removed = try await Self.lastAttempt(server)
            #expect((removed["changes"] as? [String: [String]])?["removed"] == ["alpha", "beta"])
        }
    }

    @Test("each diagnostic carries its source line, end column, help and notes")
    func diagnostics() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let port =
                try String(contentsOf: server.configURL, encoding: .utf8)
                .split(separator: "\n").first.map(String.init) ?? ""
            try server.writeConfig(
                """
                \(port)
                models:
                  alpha:
                    cmd: {FAKE} --port ${PORT} --model-name alpha
                    ttl: 10
                    ttl: 20
                """)
            let reply = try await TestHTTP.send("POST", server.base + "/api/config/reload")
            #expect(reply.json?["success"] as? Bool == false)
            let attempt = try await Self.lastAttempt(server)
            let diagnostics = attempt["diagnostics"] as? [[String: Any]] ?? []
            let duplicate = try #require(diagnostics.first { ($0["message"] as? String)?.contains("ttl") == true })
            #expect(duplicate["line"] as? Int == 6)
            #expect(duplicate["column"] as? Int == 5)
            #expect(duplicate["source_line"] as? String == "    ttl: 20")
            #expect(duplicate["end_column"] as? Int == 8, "the span covers `ttl`: \(duplicate)")
            #expect(duplicate.keys.contains("help"), "help is always present, null when there is none")
            let notes = duplicate["notes"] as? [[String: Any]] ?? []
            #expect(notes.count == 1)
            #expect(notes.first?["line"] as? Int == 5)
            #expect(notes.first?["source_line"] as? String == "    ttl: 10")
            #expect((notes.first?["message"] as? String)?.isEmpty == false)
            #expect(
                attempt["changes"] as? [String: [String]] == [
                    "restarted": [], "updated": [], "added": [], "removed": [],
                ])
        }
    }

    @Test("a line longer than the quoting limit is not quoted, so one huge line cannot swell every diagnostic")
    func longLineNotQuoted() throws {
        let long = String(repeating: "x", count: ConfigStatus.AttemptDiagnostic.quotedLineLimit + 1)
        let text = "models:\n  a:\n    cmd: run\n    ttl: \(long)\n"
        let result = PlanBuilder.compile([SourceFile(name: "c.yaml", text: text)], environment: [:])
        let diagnostic = try #require(result.diagnostics.first { $0.span.start.line == 4 })
        let sources = ["c.yaml": SourceFile(name: "c.yaml", text: text)]
        #expect(ConfigStatus.AttemptDiagnostic(diagnostic, sources: sources).sourceLine == nil)
        let short = "models:\n  a:\n    cmd: run\n    ttl: soon\n"
        let shortResult = PlanBuilder.compile([SourceFile(name: "c.yaml", text: short)], environment: [:])
        let shortDiagnostic = try #require(shortResult.diagnostics.first { $0.span.start.line == 4 })
        let quoted = ConfigStatus.AttemptDiagnostic(
            shortDiagnostic, sources: ["c.yaml": SourceFile(name: "c.yaml", text: short)])
        #expect(quoted.sourceLine == "    ttl: soon")
    }
}
