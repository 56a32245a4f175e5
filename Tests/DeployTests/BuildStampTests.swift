import Foundation
import SwapTestSupport
import Testing

/// `build-stamp`, the tool behind the StampBuild plugin: the commit of a real git
/// checkout (a worktree too), "unknown" outside one, and the build time as RFC 3339.
@Suite("build stamp")
struct BuildStampTests {
    /// Git with no user config, and an identity for commits.
    static let environment = [
        "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    ]

    /// Runs build-stamp on `package` and returns the generated file.
    static func stamp(_ package: URL, into directory: URL) async throws -> String {
        let output = directory.appendingPathComponent("BuildStamp-\(UUID().uuidString).swift")
        let tool = ServerHarness.binaries.appendingPathComponent("build-stamp").path
        let outcome = try await DeployTools.run(tool, [package.path, output.path])
        #expect(outcome.status == 0, "\(outcome.all)")
        return try String(contentsOf: output, encoding: .utf8)
    }

    /// The value of `static let NAME = "…"` in a generated file.
    static func value(_ name: String, in swift: String) -> String? {
        guard let line = swift.split(separator: "\n").first(where: { $0.contains("static let \(name) = ") }) else {
            return nil
        }
        return line.split(separator: "\"").dropFirst().first.map(String.init)
    }

    @Test("a checkout's HEAD commit, then the new one after a commit; a worktree's own HEAD")
    func commitOfCheckout() async throws {
        let git = try DeployTools.require("git")
        try await ServerHarness.withTemporaryDirectory { directory in
            let repo = directory.appendingPathComponent("repo")
            try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
            func run(_ arguments: [String], in where: URL = repo) async throws -> String {
                let outcome = try await DeployTools.run(git, arguments, in: `where`, environment: Self.environment)
                #expect(outcome.status == 0, "git \(arguments.joined(separator: " ")): \(outcome.all)")
                return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            _ = try await run(["init", "-q"])
            try "one\n".write(to: repo.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            _ = try await run(["add", "-A"])
            _ = try await run(["commit", "-q", "-m", "one"])
            let first = try await run(["rev-parse", "HEAD"])
            let stamped = try await Self.stamp(repo, into: directory)
            #expect(Self.value("commit", in: stamped) == first)
            let date = try #require(Self.value("date", in: stamped))
            let parsed = try #require(try? Date(date, strategy: .iso8601), "\(date) is not RFC 3339")
            #expect(abs(parsed.timeIntervalSinceNow) < 600)

            _ = try await run(["commit", "-q", "--allow-empty", "-m", "two"])
            let second = try await run(["rev-parse", "HEAD"])
            #expect(second != first)
            #expect(Self.value("commit", in: try await Self.stamp(repo, into: directory)) == second)

            let worktree = directory.appendingPathComponent("worktree")
            _ = try await run(["worktree", "add", "-q", "--detach", worktree.path, first])
            #expect(Self.value("commit", in: try await Self.stamp(worktree, into: directory)) == first)
        }
    }

    @Test("outside a git checkout the commit is unknown and the stamp is still written")
    func noCheckout() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let plain = directory.appendingPathComponent("plain")
            try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
            let stamped = try await Self.stamp(plain, into: directory)
            #expect(Self.value("commit", in: stamped) == "unknown")
            #expect(Self.value("date", in: stamped).flatMap { try? Date($0, strategy: .iso8601) } != nil)
        }
    }
}
