import Foundation
import SwapTestSupport
import Testing

/// The repository's pre-commit hook (`.pre-commit-hooks.yaml`), run by the real
/// `pre-commit` on a scratch repository that holds a good config, a broken config and
/// YAML files that are not swap configs.
@Suite("pre-commit hook", .serialized)
struct PreCommitHookTests {
    static let good = """
        models:
          coder:
            cmd: llama-server --port ${PORT} --model /models/coder.gguf
        """
    /// A model with neither `cmd` nor `proxy` (SL305, an error).
    static let broken = """
        models:
          coder:
            name: Coder
        """
    static let workflow = """
        name: CI
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: swift test
        """
    static let compose = """
        services:
          swap:
            image: swap-server:0.1.0
        """

    @Test(
        "lints the configs only: the broken one fails, the workflow and compose files are skipped",
        .enabled(if: DeployTools.available("pre-commit", "git"), DeployTools.skipReason("pre-commit", "git")))
    func hook() async throws {
        let preCommit = try DeployTools.require("pre-commit")
        let git = try DeployTools.require("git")
        try await ServerHarness.withTemporaryDirectory { directory in
            let repo = directory.appendingPathComponent("repo")
            let files: [String: String] = [
                "configs/good.yaml": Self.good, "configs/broken.yaml": Self.broken,
                ".github/workflows/ci.yml": Self.workflow, "compose.yaml": Self.compose,
                ".pre-commit-config.yaml": "repos: []\n",
            ]
            for (path, text) in files {
                let url = repo.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            // swap-lint from this build on PATH, pre-commit's cache in the scratch directory.
            let environment = [
                "PATH": ServerHarness.binaries.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
                "PRE_COMMIT_HOME": directory.appendingPathComponent("cache").path,
                "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
            ]
            for arguments in [["init", "-q"], ["add", "-A"]] {
                let outcome = try await DeployTools.run(git, arguments, in: repo, environment: environment)
                #expect(outcome.status == 0, "\(outcome.all)")
            }
            // try-repo runs the hook as defined in this checkout (uncommitted edits included).
            let tryRepo = ["try-repo", TestPaths.packageRoot.path, "swap-lint", "--all-files", "--verbose"]
            let failing = try await DeployTools.run(preCommit, tryRepo, in: repo, environment: environment)
            #expect(failing.status == 1, "\(failing.all)")
            #expect(failing.all.contains("configs/broken.yaml") && failing.all.contains("SL305"), "\(failing.all)")
            #expect(!failing.all.contains("configs/good.yaml:"), "the good config has no diagnostic")
            #expect(failing.all.contains("skipping compose.yaml"), "\(failing.all)")
            #expect(!failing.all.contains("ci.yml:") && !failing.all.contains("SL205"), "\(failing.all)")

            try FileManager.default.removeItem(at: repo.appendingPathComponent("configs/broken.yaml"))
            _ = try await DeployTools.run(git, ["add", "-A"], in: repo, environment: environment)
            let passing = try await DeployTools.run(preCommit, tryRepo, in: repo, environment: environment)
            #expect(passing.status == 0, "\(passing.all)")
        }
    }
}
