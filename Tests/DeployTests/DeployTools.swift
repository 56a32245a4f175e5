import Foundation
import Subprocess
import SwapTestSupport
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The outside tools the deploy tests drive: Python tools from PyPI in the venv that
/// `scripts/setup-tools.sh` makes under `$SWAP_CACHE/tools-venv` (default
/// `~/.cache/swap`), and Debian programs on `PATH`.
///
/// Outside CI a missing tool skips its test with a message saying how to install it;
/// under CI (`CI` set) the test runs and fails, so a broken setup cannot pass unnoticed.
enum DeployTools {
    /// The cache root: `$SWAP_CACHE`, else `~/.cache/swap`.
    static var cache: URL {
        if let override = ProcessInfo.processInfo.environment["SWAP_CACHE"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swap")
    }

    /// The venv's `bin` directory.
    static var venvBin: URL { cache.appendingPathComponent("tools-venv/bin") }

    /// The path of `name`: the venv's copy first, then `PATH`; nil when neither has it.
    static func path(_ name: String) -> String? {
        let venv = venvBin.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// True when the test that needs `tools` should run: all are there, or this is CI.
    static func available(_ tools: String...) -> Bool {
        TestPaths.isCI || tools.allSatisfy { path($0) != nil }
    }

    /// The skip message for a test that needs `tools`.
    static func skipReason(_ tools: String...) -> Comment {
        Comment(
            rawValue: "needs \(tools.joined(separator: ", ")) (not found in \(venvBin.path) or on PATH): "
                + "run scripts/setup.sh (or scripts/setup-tools.sh) to install them")
    }

    /// The path of `name`, or an error saying how to install it.
    static func require(_ name: String) throws -> String {
        guard let found = path(name) else {
            throw HarnessError(
                "\(name) is not installed (looked in \(venvBin.path) and on PATH); run scripts/setup-tools.sh")
        }
        return found
    }

    /// What a finished command printed and how it ended.
    struct Outcome: Sendable {
        /// The exit status (128 + signal number when killed by a signal).
        var status: Int32
        /// Standard output.
        var output: String
        /// Standard error.
        var error: String
        /// Both, for messages.
        var all: String { output + error }
    }

    /// Runs `executable` with `arguments` to the end and collects what it printed.
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Outcome {
        var updates: [Environment.Key: String?] = [:]
        for (name, value) in environment { updates[Environment.Key(rawValue: name)!] = value }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments),
            environment: .inherit.updating(updates),
            workingDirectory: directory.map { FilePath($0.path) },
            input: .none, output: .string(limit: 8 << 20), error: .string(limit: 8 << 20))
        let status: Int32 =
            switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        return Outcome(status: status, output: result.standardOutput, error: result.standardError)
    }

    /// The documents of a YAML file as JSON values, read by the venv's Python (PyYAML
    /// comes with pre-commit).
    static func yamlDocuments(_ file: URL) async throws -> [[String: Any]] {
        let python = venvBin.appendingPathComponent("python").path
        let script = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
        let outcome = try await run(python, ["-c", script, file.path])
        guard outcome.status == 0 else { throw HarnessError("reading \(file.path) as YAML failed: \(outcome.all)") }
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [Any] ?? []
        return parsed.compactMap { $0 as? [String: Any] }
    }
}
