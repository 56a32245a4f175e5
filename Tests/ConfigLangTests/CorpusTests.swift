import Foundation
import Testing

@testable import ConfigLang

/// Every real config in the shared corpus gets the outcome its `EXPECTED.tsv` row gives.
@Suite(
    "llama-swap corpus",
    .enabled(
        if: TestPaths.corpusExists || TestPaths.isCI,
        "skipping: corpus not found at \(TestPaths.corpus.path) (set SWAP_CORPUS_DIR; on CI this fails)"))
struct CorpusTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var file: String
        var expect: String
        var environment: [String: String]
        var testDescription: String { file }
    }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: TestPaths.corpus.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // The variables a row lists are set on top of the usual environment (HOME, USER…),
            // as they were when llama-swap was run on the file.
            var environment = ProcessInfo.processInfo.environment
            if fields.count > 2 {
                for pair in fields[2].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { environment[parts[0]] = parts[1] }
                }
            }
            return Row(file: fields[0], expect: fields[1], environment: environment)
        }
    }

    /// Where each file that llama-swap rejects must be reported: code, line, column.
    static func expectedErrors() throws -> [String: (String, Int, Int)] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("corpus-errors.tsv")
        var result: [String: (String, Int, Int)] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 4, let row = Int(fields[2]), let column = Int(fields[3]) else { continue }
            result[fields[0]] = (fields[1], row, column)
        }
        return result
    }

    static func check(_ row: Row) throws -> ConfigChecker.Result {
        let url = TestPaths.corpus.appendingPathComponent(row.file)
        let source = SourceFile(name: row.file, bytes: try TestPaths.bytes(url))
        return ConfigChecker.check([source], environment: row.environment)
    }

    @Test("the corpus is present and complete")
    func corpusPresent() throws {
        #expect(TestPaths.corpusExists, "corpus missing at \(TestPaths.corpus.path)")
        let rows = try Self.rows()
        #expect(rows.filter { $0.expect == "compile" }.count == 50)
        #expect(rows.filter { $0.expect == "errors" }.count == 8)
    }

    @Test(
        "configs marked compile have zero errors", arguments: try CorpusTests.rows().filter { $0.expect == "compile" })
    func compiles(_ row: Row) throws {
        let result = try Self.check(row)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(
            errors.isEmpty,
            "\(row.file): \(errors.map { "\($0.span.start.line):\($0.span.start.column) \($0.code.rawValue) \($0.message)" })"
        )
        #expect(result.config != nil)
    }

    /// Files EXPECTED.tsv marks `errors` whose content is valid under the current
    /// upstream format, with the reason. They must compile cleanly; the disagreement is
    /// reported to whoever maintains the corpus instead of being papered over.
    static let disputed: [String: String] = [
        "15-cameronr-dotfiles.yaml":
            "profiles are written as name -> {pins: {id: target}}, the shape config.example.yaml documents; "
            + "v235 rejected the file only because it read profiles as lists"
    ]

    @Test(
        "configs marked errors are reported at the real problem",
        arguments: try CorpusTests.rows().filter { $0.expect == "errors" })
    func rejects(_ row: Row) throws {
        let result = try Self.check(row)
        if let reason = Self.disputed[row.file] {
            let errors = result.diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(row.file) is disputed (\(reason)) and should compile: \(errors.map(\.message))")
            return
        }
        let expected = try #require(
            try Self.expectedErrors()[row.file], "no expectation for \(row.file) in corpus-errors.tsv")
        let errors = result.diagnostics.filter { $0.severity == .error }
        let found = errors.contains {
            $0.code.rawValue == expected.0 && $0.span.start.line == expected.1 && $0.span.start.column == expected.2
        }
        #expect(
            found,
            "\(row.file): expected \(expected) among \(errors.map { "\($0.code.rawValue) \($0.span.start.line):\($0.span.start.column) \($0.message)" })"
        )
    }
}
