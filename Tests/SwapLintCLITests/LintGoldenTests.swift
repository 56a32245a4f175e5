import Foundation
import Subprocess
import SwapTestSupport
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// `swap-lint check --format json` and `swap-lint plan --format json` on every example,
/// every broken case and every corpus file give the output recorded in
/// `Fixtures/lint-golden/`, byte for byte.
///
/// The recorded output is written by this test, not by hand: run it with
/// `SWAP_UPDATE_LINT_GOLDEN=1` to record what the built binary prints. Examples and
/// broken cases are recorded in full (one file per input and command); corpus files,
/// which are read in place and never copied into the project, are recorded as the
/// length and FNV-1a 64 hash of each output. `SWAP_LINT_BINARY` runs another build
/// (the recordings were made with the binary of the commit before the compiler's
/// refactor, to prove that it kept every output).
@Suite struct LintGoldenTests {
    /// One run: the exit status and what went to standard output and standard error.
    struct Outcome: Equatable {
        var status: Int32
        var output: [UInt8]
        var error: [UInt8]

        /// The outcome as a recorded file: a status line, standard output, then standard
        /// error after a marker line when there is any.
        var recorded: [UInt8] {
            var text = Array("# exit \(status)\n".utf8) + output
            if !error.isEmpty { text += Array("\n# stderr\n".utf8) + error }
            return text
        }

        /// The outcome as a row of digests: status, then length and hash of each stream.
        var digest: String {
            "\(status)\t\(output.count)\t\(Self.fnv1a(output))\t\(error.count)\t\(Self.fnv1a(error))"
        }

        static func fnv1a(_ bytes: [UInt8]) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            let digits = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
    }

    static let commands = ["check", "plan"]
    static let golden = TestPaths.packageRoot.appendingPathComponent("Tests/SwapLintCLITests/Fixtures/lint-golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["SWAP_UPDATE_LINT_GOLDEN"] == "1" }

    /// The environment every run gets: a fixed home and user (many corpus files use
    /// `${env.HOME}`) plus the variables the input needs, nothing inherited.
    static func environment(_ extra: [String: String]) -> [Environment.Key: String] {
        var result: [Environment.Key: String] = ["HOME": "/home/golden", "USER": "golden"]
        for (name, value) in extra { result[Environment.Key(stringLiteral: name)] = value }
        return result
    }

    /// Runs `swap-lint COMMAND --format json NAME` in `directory`.
    static func run(_ command: String, _ name: String, in directory: URL, environment: [String: String] = [:])
        async throws -> Outcome
    {
        let binary =
            ProcessInfo.processInfo.environment["SWAP_LINT_BINARY"]
            ?? ServerHarness.binaries.appendingPathComponent("swap-lint").path
        let result = try await Subprocess.run(
            .path(FilePath(binary)), arguments: [command, "--format", "json", name],
            environment: .custom(Self.environment(environment)), workingDirectory: FilePath(directory.path),
            output: .bytes(limit: 64 << 20), error: .bytes(limit: 64 << 20))
        guard case .exited(let code) = result.terminationStatus else {
            Issue.record("swap-lint \(command) \(name) did not exit normally: \(result.terminationStatus)")
            return Outcome(status: -1, output: result.standardOutput, error: result.standardError)
        }
        return Outcome(status: code, output: result.standardOutput, error: result.standardError)
    }

    /// The 1-based number of the first line where `a` and `b` differ.
    static func firstDifferentLine(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let left = a.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let right = b.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        return
            (zip(left, right).enumerated().first { !$0.element.0.elementsEqual($0.element.1) }?.offset
            ?? min(left.count, right.count)) + 1
    }

    static func yamlFiles(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Compares (or records) the full output for every YAML file of `folder`.
    static func checkFolder(_ folder: String) async throws {
        let directory = TestPaths.packageRoot.appendingPathComponent(folder)
        let recordings = golden.appendingPathComponent(folder)
        if updating { try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true) }
        let files = try yamlFiles(in: directory)
        #expect(!files.isEmpty)
        for file in files {
            for command in commands {
                let outcome = try await run(command, file, in: directory)
                let url = recordings.appendingPathComponent("\(file.dropLast(5)).\(command).txt")
                if updating {
                    try Data(outcome.recorded).write(to: url)
                    continue
                }
                let expected = try [UInt8](Data(contentsOf: url))
                let same = outcome.recorded == expected
                #expect(
                    same,
                    "\(folder)/\(file) \(command) differs from \(url.lastPathComponent) from line \(Self.firstDifferentLine(outcome.recorded, expected))"
                )
            }
        }
    }

    @Test func examples() async throws {
        try await Self.checkFolder("examples")
    }

    @Test func brokenCases() async throws {
        try await Self.checkFolder("examples/broken")
    }

    @Test(
        .enabled(
            if: TestPaths.corpusExists || TestPaths.isCI,
            "skipping: corpus not found at \(TestPaths.corpus.path) (set SWAP_CORPUS_DIR; on CI this fails)"))
    func corpus() async throws {
        let table = try String(contentsOf: TestPaths.corpus.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)
        var rows: [String] = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var environment: [String: String] = [:]
            if fields.count > 2 {
                for pair in fields[2].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { environment[parts[0]] = parts[1] }
                }
            }
            for command in Self.commands {
                let outcome = try await Self.run(command, fields[0], in: TestPaths.corpus, environment: environment)
                rows.append("\(fields[0])\t\(command)\t\(outcome.digest)")
            }
        }
        let url = Self.golden.appendingPathComponent("corpus.tsv")
        let header = "# file\tcommand\texit\tstdout bytes\tstdout fnv1a64\tstderr bytes\tstderr fnv1a64"
        let text = ([header] + rows).joined(separator: "\n") + "\n"
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        #expect(rows.count == expected.count)
        for (row, recorded) in zip(rows, expected) {
            let same = row == recorded
            #expect(same, "corpus output differs: now \(row), recorded \(recorded)")
        }
    }
}
