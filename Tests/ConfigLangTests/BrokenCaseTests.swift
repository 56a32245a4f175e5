import Foundation
import Testing

@testable import ConfigLang

/// Every broken config in `examples/broken/` produces exactly the diagnostics its
/// `.expected` file lists: one `CODE LINE:COLUMN` per line, warnings included.
@Suite("broken example configs")
struct BrokenCaseTests {
    /// The folder holding the cases, read in place.
    static let folder: URL = TestPaths.packageRoot.appendingPathComponent("examples/broken")

    /// The only environment the cases are checked with.
    static let environment = ["SWAP_TEST_SET": "value"]

    /// Codes no case has to cover: the `paths` group (opt-in `--check-paths`, so
    /// `ConfigChecker.check` never reports it) and codes the compiler cannot produce yet.
    /// When a code here becomes reachable, add a case for it and remove it from this list.
    static let uncoveredCodes: Set<DiagnosticCode> = [
        // paths: only with `--check-paths` (covered by the CLI, which does the file-system look-up)
        .commandNotFound,  // SL701
        .commandNotExecutable,  // SL702
        // reload only: the server's child-process compile check crashed or passed a limit
        .compileStopped,  // SL705
    ]

    /// File names in the folder with the given extension, sorted.
    static func names(withExtension ext: String) -> [String] {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return contents.filter { $0.hasSuffix("." + ext) }.sorted()
    }

    /// Every `*.yaml` case, by file name.
    static var cases: [String] { names(withExtension: "yaml") }

    /// The non-empty lines of a case's `.expected` file.
    static func expectedLines(for yamlName: String) throws -> [String] {
        let url = folder.appendingPathComponent(String(yamlName.dropLast(".yaml".count)) + ".expected")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    static func key(_ diagnostic: Diagnostic) -> String {
        "\(diagnostic.code.rawValue) \(diagnostic.span.start.line):\(diagnostic.span.start.column)"
    }

    /// Removes one occurrence of each element of `other` from `base` (multiset difference).
    static func subtracting(_ other: [String], from base: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for item in other { counts[item, default: 0] += 1 }
        var result: [String] = []
        for item in base {
            if let count = counts[item], count > 0 {
                counts[item] = count - 1
            } else {
                result.append(item)
            }
        }
        return result
    }

    @Test("the case reports exactly its expected diagnostics", arguments: cases)
    func brokenCase(_ fileName: String) throws {
        let bytes = try TestPaths.bytes(Self.folder.appendingPathComponent(fileName))
        let result = PlanBuilder.compile([SourceFile(name: fileName, bytes: bytes)], environment: Self.environment)
        let expected = try Self.expectedLines(for: fileName)
        let actual = result.diagnostics.map(Self.key)

        let missing = Self.subtracting(actual, from: expected)
        let unexpectedKeys = Self.subtracting(expected, from: actual)
        guard !missing.isEmpty || !unexpectedKeys.isEmpty else { return }

        // Pair each unexpected key with its diagnostic so the message can be shown.
        var remaining = unexpectedKeys
        var unexpected: [String] = []
        for diagnostic in result.diagnostics {
            let key = Self.key(diagnostic)
            if let index = remaining.firstIndex(of: key) {
                remaining.remove(at: index)
                unexpected.append("\(key) [\(diagnostic.severity)] \(diagnostic.message)")
            }
        }
        var report = ["\(fileName): diagnostics differ from the .expected file"]
        if !missing.isEmpty {
            report.append("missing (expected, not reported):")
            report += missing.map { "  " + $0 }
        }
        if !unexpected.isEmpty {
            report.append("unexpected (reported, not expected):")
            report += unexpected.map { "  " + $0 }
        }
        report.append("all reported:")
        report += result.diagnostics.map { "  \(Self.key($0)) \($0.message)" }
        Issue.record(Comment(rawValue: report.joined(separator: "\n")))
    }

    @Test("there are enough cases and every case has a .yaml and a .expected")
    func casesArePaired() {
        let yamls = Set(Self.names(withExtension: "yaml").map { String($0.dropLast(".yaml".count)) })
        let expecteds = Set(Self.names(withExtension: "expected").map { String($0.dropLast(".expected".count)) })
        #expect(yamls.count >= 40, "only \(yamls.count) broken cases in \(Self.folder.path)")
        #expect(yamls.subtracting(expecteds).isEmpty, "no .expected for: \(yamls.subtracting(expecteds).sorted())")
        #expect(expecteds.subtracting(yamls).isEmpty, "no .yaml for: \(expecteds.subtracting(yamls).sorted())")
    }

    @Test("every .expected line is well formed and the lines are sorted")
    func expectedFilesAreWellFormed() throws {
        for name in Self.cases {
            let lines = try Self.expectedLines(for: name)
            var positions: [(Int, Int)] = []
            for line in lines {
                let parts = line.split(separator: " ")
                let place = parts.count == 2 ? parts[1].split(separator: ":") : []
                guard parts.count == 2, DiagnosticCode(rawValue: String(parts[0])) != nil, place.count == 2,
                    let row = Int(place[0]), let column = Int(place[1])
                else {
                    Issue.record("\(name): malformed .expected line `\(line)`")
                    continue
                }
                positions.append((row, column))
            }
            let sorted = positions.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            #expect(positions.elementsEqual(sorted, by: ==), "\(name): .expected lines are not sorted by line, column")
        }
    }

    @Test("every first line of a case is a comment")
    func casesStartWithAComment() throws {
        for name in Self.cases {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("#"), "\(name) must start with a `#` comment saying what is wrong")
        }
    }

    @Test("the cases together cover every code the compiler can produce")
    func everyCodeIsCovered() throws {
        var covered = Set<DiagnosticCode>()
        for name in Self.cases {
            for line in try Self.expectedLines(for: name) {
                if let word = line.split(separator: " ").first, let code = DiagnosticCode(rawValue: String(word)) {
                    covered.insert(code)
                }
            }
        }
        let required = Set(DiagnosticCode.allCases).subtracting(Self.uncoveredCodes)
        let notCovered = required.subtracting(covered).map(\.rawValue).sorted()
        #expect(notCovered.isEmpty, "no broken case expects: \(notCovered.joined(separator: ", "))")
        let coveredButListed = covered.intersection(Self.uncoveredCodes).map(\.rawValue).sorted()
        #expect(
            coveredButListed.isEmpty,
            "now covered by a case; remove from `uncoveredCodes`: \(coveredButListed.joined(separator: ", "))")
    }
}
