import Foundation
import Subprocess
import SwapTestSupport
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The built `swap-lint` executable, run as a pre-commit hook or an editor runs it:
/// its exit codes, what goes to standard output and what to standard error.
@Suite struct SwapLintBinaryTests {
    /// What one run printed and how it ended.
    struct Outcome {
        var status: Int32?
        var output: String
        var error: String
    }

    private static let clean = """
        models:
          coder:
            cmd: /opt/llama-server --port ${PORT}

        """

    private static let withWarning = """
        models:
          coder:
            cmd: /opt/llama-server --port ${PORT}
            colour: blue

        """

    private static let broken = """
        models:
          coder:
            cmd: /opt/llama-server --port ${PORT}
            cmd: /opt/other --port ${PORT}

        """

    private func swapLint(
        _ arguments: [String], in directory: URL? = nil, columns: String = "80",
        environment: [Environment.Key: String?] = [:]
    ) async throws -> Outcome {
        let binary = ServerHarness.binaries.appendingPathComponent("swap-lint").path
        let result = try await Subprocess.run(
            .path(FilePath(binary)), arguments: Arguments(arguments),
            environment: .inherit.updating(environment.merging(["COLUMNS": columns]) { mine, _ in mine }),
            workingDirectory: directory.map { FilePath($0.path) }, output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20))
        var status: Int32?
        if case .exited(let code) = result.terminationStatus { status = code }
        return Outcome(status: status, output: result.standardOutput, error: result.standardError)
    }

    private func withConfigs<T>(_ body: (URL) async throws -> T) async throws -> T {
        try await ServerHarness.withTemporaryDirectory { directory in
            for (name, text) in [("clean", Self.clean), ("warning", Self.withWarning), ("broken", Self.broken)] {
                try text.write(to: directory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
            }
            return try await body(directory)
        }
    }

    @Test("plan shows the user's own file in full; plan --redact hides what swap-server's API hides")
    func planRedact() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let config = """
                models:
                  m:
                    cmd: /opt/llama-server --port ${PORT} --api-key sk-lint-secret -m ${env.SWAP_LINT_SECRET}
                    env: ["HF_TOKEN=hf-lint-secret"]
                """
            try config.write(to: directory.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
            let environment: [Environment.Key: String?] = ["SWAP_LINT_SECRET": "env-lint-secret"]
            let secrets = ["sk-lint-secret", "hf-lint-secret", "env-lint-secret"]
            let full = try await swapLint(["plan", "c.yaml"], in: directory, environment: environment)
            #expect(full.status == 0)
            #expect(secrets.allSatisfy { full.output.contains($0) })
            let redacted = try await swapLint(["plan", "--redact", "c.yaml"], in: directory, environment: environment)
            #expect(redacted.status == 0)
            #expect(!secrets.contains { redacted.output.contains($0) }, "\(redacted.output)")
            #expect(redacted.output.contains("HF_TOKEN=<redacted>"))
        }
    }

    @Test func versionAndHelp() async throws {
        let version = try await swapLint(["--version"])
        #expect(version.status == 0 && version.output == "0.1.0\n" && version.error.isEmpty)
        let help = try await swapLint(["--help"])
        #expect(help.status == 0 && help.output.hasPrefix("OVERVIEW: Check swap / llama-swap configuration files"))
        #expect(help.output.contains("Exit codes: 0 no problems"))
        let checkHelp = try await swapLint(["check", "-h"])
        #expect(checkHelp.status == 0 && checkHelp.output.contains("--fail-level <fail-level>"))
        let wide = try await swapLint(["help", "check"], columns: "140")
        #expect(
            wide.output.contains("--format <format>       Output format: human, gnu, json, sarif or github. (values:"))
    }

    @Test func cleanConfigExitsZero() async throws {
        try await withConfigs { directory in
            let result = try await swapLint(["clean.yaml"], in: directory)
            #expect(result.status == 0 && result.output.isEmpty && result.error.isEmpty)
        }
    }

    @Test func warningsFailOnlyWhenAsked() async throws {
        try await withConfigs { directory in
            let relaxed = try await swapLint(["check", "--format", "gnu", "warning.yaml"], in: directory)
            #expect(relaxed.status == 0)
            #expect(relaxed.output.hasPrefix("warning.yaml:4:5: warning: unknown key `colour` in a model"))
            let strict = try await swapLint(["--strict", "--format=gnu", "warning.yaml"], in: directory)
            #expect(strict.status == 1 && strict.output == relaxed.output)
            let level = try await swapLint(["--fail-level", "warning", "--format=gnu", "warning.yaml"], in: directory)
            #expect(level.status == 1)
        }
    }

    @Test func problemsExitOne() async throws {
        try await withConfigs { directory in
            let result = try await swapLint(["check", "--format=gnu", "clean.yaml", "broken.yaml"], in: directory)
            #expect(result.status == 1)
            #expect(result.output.hasPrefix("broken.yaml:4:5: error: "))
            #expect(result.output.contains("[SL102]"))
        }
    }

    @Test func configDirectoryIsOneConfig() async throws {
        try await withConfigs { directory in
            let result = try await swapLint(["--format", "gnu", "--config-dir", "."], in: directory)
            #expect(result.status == 1 && result.output.contains("[SL102]"))
        }
    }

    @Test func badCommandLineExitsTwo() async throws {
        let unknown = try await swapLint(["--strcit", "clean.yaml"])
        #expect(unknown.status == 2 && unknown.output.isEmpty)
        #expect(unknown.error.hasPrefix("error: unknown option `--strcit`; did you mean `--strict`?\n"))
        #expect(unknown.error.hasSuffix("run `swap-lint check --help` to see every option\n"))
        let missing = try await swapLint(["check"])
        #expect(missing.status == 2 && missing.error.hasPrefix("error: give at least one config file"))
        let choice = try await swapLint(["plan", "x.yaml", "--format", "toml"])
        #expect(choice.status == 2 && choice.error.contains("use one of: json, yaml"))
        let explain = try await swapLint(["explain", "SL999"])
        #expect(explain.status == 2 && explain.error.contains("unknown diagnostic code `SL999`"))
    }

    @Test func unreadableInputExitsThree() async throws {
        try await withConfigs { directory in
            let file = try await swapLint(["missing.yaml"], in: directory)
            #expect(file.status == 3)
            #expect(file.error == "swap-lint: cannot read missing.yaml: no such file or not readable\n")
            let folder = try await swapLint(["--config-dir", "nowhere"], in: directory)
            #expect(folder.status == 3 && folder.error == "swap-lint: cannot read directory nowhere\n")
        }
    }

    @Test func planAndDiff() async throws {
        try await withConfigs { directory in
            let plan = try await swapLint(["plan", "clean.yaml", "--model=coder", "--format", "yaml"], in: directory)
            #expect(plan.status == 0 && plan.output.contains("/opt/llama-server"))
            let absent = try await swapLint(["plan", "clean.yaml", "--model", "nobody"], in: directory)
            #expect(absent.status == 1 && absent.error == "swap-lint: no model `nobody` in clean.yaml\n")
            let diff = try await swapLint(["diff", "clean.yaml", "warning.yaml"], in: directory)
            #expect(diff.status == 0 && diff.output == "unchanged: coder\n")
            let json = try await swapLint(["diff", "--format", "json", "clean.yaml", "clean.yaml"], in: directory)
            #expect(json.status == 0 && json.output.contains("\"unchanged\": [\n    \"coder\"\n  ]\n}\n"))
        }
    }
}
