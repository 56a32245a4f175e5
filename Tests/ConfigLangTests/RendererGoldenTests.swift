import Foundation
import Testing

@testable import ConfigLang

/// Renders one fixed set of diagnostics in every output format and compares the
/// text with the files in `Fixtures/golden/`.
///
/// To regenerate the golden files after an intended change, run the tests with
/// `SWAP_UPDATE_GOLDEN=1`, then review the diff.
@Suite("Diagnostic renderers")
struct RendererGoldenTests {
    /// The file the fixed diagnostics point into: a tab on line 4, a non-ASCII
    /// dash on line 3.
    static let source = SourceFile(
        name: "config.yaml",
        text: """
            models:
              "qwen":
                name: "Qwen 2.5 – 7B"
                cmd:\tllama-server --port ${PROT}
                ttl: 60
                ttl: 120
                proxy:

            """)

    /// A file the diagnostics name but the renderer is not given.
    static let missingFile = "conf.d/extra, v2.yaml"

    static func span(_ line: Int, _ start: Int, _ end: Int, file: String = "config.yaml") -> Span {
        span(from: line, start, to: line, end, file: file)
    }

    static func span(from line: Int, _ start: Int, to endLine: Int, _ end: Int, file: String = "config.yaml")
        -> Span
    {
        Span(
            file: file, start: SourceLocation(line: line, column: start),
            end: SourceLocation(line: endLine, column: end))
    }

    /// One of each shape a renderer must handle.
    static let diagnostics: [Diagnostic] = [
        Diagnostic(
            .unknownMacro, "unknown macro `PROT`", at: span(4, 30, 37), help: "did you mean `PORT`?"),
        Diagnostic(
            .duplicateKey, "duplicate key `ttl`", at: span(6, 5, 8),
            related: [RelatedSpan(span(5, 5, 8), "first defined here")], help: "remove one of the two"),
        Diagnostic(.typeMismatch, "`proxy` needs a URL, found nothing", at: span(7, 11, 11)),
        Diagnostic(
            .invalidValue, "name \"Qwen 2.5 – 7B\" contains a non-ASCII dash", at: span(3, 11, 26),
            severity: .warning),
        Diagnostic(
            .notImplemented, "model `qwen` sets keys that have no effect yet", at: span(from: 2, 3, to: 7, 11),
            severity: .note),
        Diagnostic(
            .unknownModel, "group `coders` lists unknown model `qwen-cod3r` (100% sure)",
            at: span(3, 9, 19, file: missingFile),
            related: [RelatedSpan(span(2, 3, 9), "`qwen` is defined here")],
            help: "did you mean `qwen-coder`?\nor add a model of that name"),
    ]

    static func render(_ format: OutputFormat, color: Bool = false) -> String {
        DiagnosticRenderer.render(diagnostics, format: format, sources: [source.name: source], color: color)
    }

    // MARK: - Golden files

    static let goldenCases: [(file: String, format: OutputFormat, color: Bool)] = [
        ("diagnostics.human.txt", .human, false),
        ("diagnostics.human-color.txt", .human, true),
        ("diagnostics.gnu.txt", .gnu, false),
        ("diagnostics.json", .json, false),
        ("diagnostics.sarif", .sarif, false),
        ("diagnostics.github.txt", .github, false),
    ]

    @Test("every format matches its golden file", arguments: 0..<6)
    func golden(index: Int) throws {
        let golden = Self.goldenCases[index]
        let actual = Self.render(golden.format, color: golden.color)
        if ProcessInfo.processInfo.environment["SWAP_UPDATE_GOLDEN"] == "1" {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/golden")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: directory.appendingPathComponent(golden.file))
            return
        }
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = fixtures.appendingPathComponent("golden/\(golden.file)")
        let expected = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        #expect(actual == expected, "\(golden.file) differs; rerun with SWAP_UPDATE_GOLDEN=1 if intended")
    }

    // MARK: - Human

    @Test("the underline sits under the span even after a tab")
    func underlineAlignsAfterTab() throws {
        let lines = Self.render(.human).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sourceIndex = try #require(lines.firstIndex { $0.hasPrefix("4 |") })
        let sourceLine = lines[sourceIndex]
        let underline = lines[sourceIndex + 1]
        #expect(!sourceLine.contains("\t"))
        let macro = try #require(sourceLine.range(of: "${PROT}"))
        let caret = try #require(underline.firstIndex(of: "^"))
        #expect(
            sourceLine.distance(from: sourceLine.startIndex, to: macro.lowerBound)
                == underline.distance(from: underline.startIndex, to: caret))
        #expect(underline.hasSuffix("^~~~~~~"))
    }

    @Test("the underline counts characters, not bytes, on a non-ASCII line")
    func underlineCountsScalars() throws {
        let lines = Self.render(.human).split(separator: "\n").map(String.init)
        let sourceIndex = try #require(lines.firstIndex { $0.hasPrefix("3 |") && $0.contains("Qwen") })
        let sourceLine = lines[sourceIndex]
        let underline = lines[sourceIndex + 1]
        let quote = try #require(sourceLine.firstIndex(of: "\""))
        let caret = try #require(underline.firstIndex(of: "^"))
        #expect(
            sourceLine.distance(from: sourceLine.startIndex, to: quote)
                == underline.distance(from: underline.startIndex, to: caret))
        #expect(underline.hasSuffix("^" + String(repeating: "~", count: 14)))
    }

    @Test("line layout: tabs, wide characters, combining marks and control characters")
    func lineLayout() {
        let tabbed = LineLayout("a\tb\t\tc")
        #expect(tabbed.text == "a   b       c")
        #expect(tabbed.cells == [0, 1, 4, 5, 8, 12, 13])
        #expect(LineLayout("日本x").cell(atColumn: 3) == 4)
        #expect(LineLayout("e\u{301}x").cell(atColumn: 3) == 1)
        #expect(LineLayout("a\u{1B}[31m").text == "a\u{FFFD}[31m")
        #expect(LineLayout("ab").cell(atColumn: 5) == 4)
    }

    @Test("colour escapes appear only when asked for")
    func colourOnlyWhenAsked() {
        #expect(!Self.render(.human).contains("\u{1B}["))
        #expect(Self.render(.human, color: true).contains("\u{1B}[31m"))
        for format in OutputFormat.allCases where format != .human {
            #expect(!Self.render(format, color: true).contains("\u{1B}["))
        }
    }

    @Test("the summary line pluralises")
    func summary() {
        let one = Diagnostic(.duplicateKey, "x", at: .file("a.yaml"))
        let warning = Diagnostic(.unknownKey, "x", at: .file("a.yaml"))
        #expect(HumanRenderer.summary([one]) == "1 error")
        #expect(HumanRenderer.summary([one, one, warning]) == "2 errors, 1 warning")
        #expect(HumanRenderer.summary([warning, warning]) == "2 warnings")
        #expect(Self.render(.human).hasSuffix("\n4 errors, 1 warning, 1 note\n"))
    }

    @Test("no diagnostics renders nothing in the line formats and an empty envelope in JSON")
    func empty() throws {
        for format in [OutputFormat.human, .gnu, .github] {
            #expect(DiagnosticRenderer.render([], format: format, sources: [:], color: true).isEmpty)
        }
        let json = DiagnosticRenderer.render([], format: .json, sources: [:], color: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["diagnostics"] as? [Any])?.isEmpty == true)
        #expect((object["summary"] as? [String: Int]) == ["errors": 0, "warnings": 0, "notes": 0])
    }

    // MARK: - JSON and SARIF

    @Test("the JSON envelope parses and carries every field")
    func jsonParses() throws {
        let text = Self.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let tool = try #require(object["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "swap-lint")
        #expect(tool["version"] as? String == SwapVersion.current)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == Self.diagnostics.count)
        let first = diagnostics[0]
        #expect(first["code"] as? String == "SL401")
        #expect(first["severity"] as? String == "error")
        #expect((first["start"] as? [String: Int]) == ["line": 4, "column": 30])
        #expect((first["end"] as? [String: Int]) == ["line": 4, "column": 37])
        #expect(first["help"] as? String == "did you mean `PORT`?")
        #expect(diagnostics[2]["help"] is NSNull)
        let related = try #require(diagnostics[1]["related"] as? [[String: Any]])
        #expect(related.first?["label"] as? String == "first defined here")
        #expect(diagnostics[3]["message"] as? String == "name \"Qwen 2.5 – 7B\" contains a non-ASCII dash")
        #expect((object["summary"] as? [String: Int]) == ["errors": 4, "warnings": 1, "notes": 1])
    }

    @Test("the SARIF log parses and has the required SARIF 2.1.0 structure")
    func sarifParses() throws {
        let text = Self.render(.sarif)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "swap-lint")
        #expect(driver["version"] as? String == SwapVersion.current)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ruleIDs = rules.compactMap { $0["id"] as? String }
        #expect(ruleIDs == Set(Self.diagnostics.map(\.code.rawValue)).sorted())
        for rule in rules {
            let code = try #require(DiagnosticCode(rawValue: rule["id"] as? String ?? ""))
            #expect(rule["name"] as? String == code.name)
            #expect(((rule["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == Self.diagnostics.count)
        for (result, diagnostic) in zip(results, Self.diagnostics) {
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(ruleIDs[ruleIndex] == diagnostic.code.rawValue)
            #expect(result["ruleId"] as? String == diagnostic.code.rawValue)
            let levels: [Severity: String] = [.error: "error", .warning: "warning", .note: "note"]
            #expect(result["level"] as? String == levels[diagnostic.severity])
            let message = try #require((result["message"] as? [String: Any])?["text"] as? String)
            #expect(message.hasPrefix(diagnostic.message))
            if let help = diagnostic.help { #expect(message.contains(help)) }
            let locations = try #require(result["locations"] as? [[String: Any]])
            let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
            #expect((physical["artifactLocation"] as? [String: Any])?["uri"] is String)
            let region = try #require(physical["region"] as? [String: Int])
            #expect(region["startLine"] == diagnostic.span.start.line)
            #expect(region["startColumn"] == diagnostic.span.start.column)
            #expect(region["endLine"] == diagnostic.span.end.line)
            #expect(region["endColumn"] == diagnostic.span.end.column)
            let related = result["relatedLocations"] as? [[String: Any]] ?? []
            #expect(related.count == diagnostic.related.count)
            for (location, span) in zip(related, diagnostic.related) {
                #expect(location["id"] is Int)
                #expect((location["message"] as? [String: Any])?["text"] as? String == span.label)
            }
        }
    }

    @Test("SARIF URIs percent-encode what a URI cannot hold")
    func sarifURIs() {
        #expect(SARIFRenderer.uri(forPath: "conf.d/a-b_c~1.yaml") == "conf.d/a-b_c~1.yaml")
        #expect(SARIFRenderer.uri(forPath: "my configs/ü,1.yaml") == "my%20configs/%C3%BC%2C1.yaml")
    }

    @Test("JSON strings are escaped, control characters as \\u00XX")
    func jsonEscaping() {
        #expect(JSONValue.quoted("a\"b\\c\nd\re\tf") == #""a\"b\\c\nd\re\tf""#)
        #expect(JSONValue.quoted("\u{01}\u{8}\u{C}\u{1F}\u{7F}") == "\"\\u0001\\b\\f\\u001f\u{7F}\"")
        #expect(JSONValue.quoted("Qwen – 7B / ü") == "\"Qwen – 7B / ü\"")
        #expect(JSONValue.quoted("a/b", escapingSlash: true) == #""a\/b""#)
        var empty = JSONWriter(pretty: true)
        empty.value(.object([:]))
        #expect(empty.text == "{}")
        var list = JSONWriter(pretty: true)
        list.value(.array([.integer(1), .null, .array([]), .object(["b": .bool(true), "a": .double(0.5)])]))
        #expect(list.text == "[\n  1,\n  null,\n  [],\n  {\n    \"a\": 0.5,\n    \"b\": true\n  }\n]")
        var compact = JSONWriter(pretty: false)
        compact.value(.object(["k": .array([.integer(1), .string("x")]), "e": .object([:])]))
        #expect(compact.text == #"{"e":{},"k":[1,"x"]}"#)
    }

    // MARK: - GitHub

    @Test("GitHub workflow commands escape data and properties")
    func githubEscaping() {
        #expect(GitHubRenderer.escapedData("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b")
        #expect(GitHubRenderer.escapedProperty("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A")
        let lines = Self.render(.github).split(separator: "\n")
        #expect(lines.count == Self.diagnostics.count)
        let commands = ["::error ", "::warning ", "::notice "]
        #expect(lines.allSatisfy { line in commands.contains { line.hasPrefix($0) } })
    }

    // MARK: - Explanations

    @Test("every code has a complete explanation", arguments: DiagnosticCode.allCases)
    func explanation(code: DiagnosticCode) {
        let explanation = code.explanation
        #expect(!explanation.title.isEmpty)
        #expect(explanation.summary.count > 40)
        #expect(!explanation.wrong.isEmpty)
        #expect(!explanation.right.isEmpty)
        #expect(explanation.wrong != explanation.right)
        #expect(!explanation.summary.contains("\n"), "summaries are one paragraph")
    }

    @Test("parse accepts the code, lower case, the number and the name", arguments: DiagnosticCode.allCases)
    func parseRoundTrips(code: DiagnosticCode) {
        #expect(DiagnosticCode.parse(code.rawValue) == code)
        #expect(DiagnosticCode.parse(code.rawValue.lowercased()) == code)
        #expect(DiagnosticCode.parse(String(code.rawValue.dropFirst(2))) == code)
        #expect(DiagnosticCode.parse(code.name) == code)
        #expect(DiagnosticCode.parse(" \(code.rawValue) ") == code)
    }

    @Test("parse rejects what is not a code")
    func parseRejects() {
        for text in ["", "SL", "SL999", "SL20", "unknown_key", "sl-201"] {
            #expect(DiagnosticCode.parse(text) == nil, "\(text)")
        }
    }
}
