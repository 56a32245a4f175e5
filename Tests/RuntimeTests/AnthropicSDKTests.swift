import Foundation
import Subprocess
import SwapTestSupport
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Anthropic's official Python SDK (from PyPI, in the venv scripts/setup-tools.sh
/// makes) against swap-server's `/v1/messages`: each error swap produces raises the
/// SDK's exception for its status, with swap's message in it.
@Suite("anthropic SDK errors", .serialized)
struct AnthropicSDKTests {
    /// The venv's Python: `$SWAP_CACHE/tools-venv/bin/python` (default `~/.cache/swap`).
    static var python: String {
        let environment = ProcessInfo.processInfo.environment
        let cache =
            environment["SWAP_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swap").path
        return cache + "/tools-venv/bin/python"
    }

    /// Whether the SDK is installed (under CI the test runs and fails without it).
    static var available: Bool {
        TestPaths.isCI || FileManager.default.isExecutableFile(atPath: python)
    }

    static let script = #"""
        import json, sys
        import anthropic

        base = sys.argv[1]
        results = {}
        messages = [{"role": "user", "content": "hi"}]

        def attempt(name, call):
            try:
                call()
                results[name] = ["no error", ""]
            except anthropic.APIStatusError as error:
                results[name] = [type(error).__name__, str(error.message), error.status_code]

        wrong = anthropic.Anthropic(base_url=base, api_key="wrong", max_retries=0)
        right = anthropic.Anthropic(base_url=base, api_key="k1", max_retries=0)
        attempt("401", lambda: wrong.messages.create(model="m", max_tokens=5, messages=messages))
        attempt("404", lambda: right.messages.create(model="nope", max_tokens=5, messages=messages))
        attempt("404 count_tokens", lambda: right.messages.count_tokens(model="nope", messages=messages))
        attempt("503", lambda: right.messages.create(model="broken", max_tokens=5, messages=messages))
        print(json.dumps(results))
        """#

    @Test(
        "401, 404 (create and count_tokens) and 503 raise the SDK's exceptions with swap's message",
        .enabled(if: available, "needs the anthropic package: run scripts/setup-tools.sh"))
    func sdkExceptions() async throws {
        let config = """
            startPort: {START_PORT}
            apiKeys: ["k1"]
            healthCheckTimeout: 15
            models:
              m:
                cmd: {FAKE} --port ${PORT}
              broken:
                cmd: /bin/sh -c 'exit 3' -- ${PORT}
            """
        try await ServerHarness.withServer(config: config) { server in
            let result = try await Subprocess.run(
                .path(FilePath(Self.python)), arguments: ["-c", Self.script, server.base],
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            #expect(result.terminationStatus == .exited(0), "\(result.standardError)")
            let data = Data(result.standardOutput.utf8)
            let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [Any]])
            let expected: [(String, String, String)] = [
                ("401", "AuthenticationError", "API key"),
                ("404", "NotFoundError", "`nope` does not exist"),
                ("404 count_tokens", "NotFoundError", "`nope` does not exist"),
                ("503", "ServiceUnavailableError", "exited with status 3 during start"),
            ]
            for (name, exception, message) in expected {
                let entry = results[name] ?? []
                #expect(entry.first as? String == exception, "\(name): \(entry)")
                #expect((entry.dropFirst().first as? String)?.contains(message) == true, "\(name): \(entry)")
            }
        }
    }
}
