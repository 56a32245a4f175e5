import Foundation
import SwapTestSupport
import Testing

/// `schemas/config.schema.json` in a real JSON Schema validator (check-jsonschema, the
/// engine of editor and CI schema checks): every example passes; configs that swap-lint
/// rejects or warns about for reasons a schema can state fail, naming the culprit.
@Suite("config schema in check-jsonschema")
struct ConfigSchemaToolTests {
    static let root = TestPaths.packageRoot
    static let schema = root.appendingPathComponent("schemas/config.schema.json").path

    static func check(_ files: [String]) async throws -> DeployTools.Outcome {
        let tool = try DeployTools.require("check-jsonschema")
        return try await DeployTools.run(tool, ["--schemafile", schema] + files)
    }

    @Test(
        "every example config passes",
        .enabled(if: DeployTools.available("check-jsonschema"), DeployTools.skipReason("check-jsonschema")))
    func examplesPass() async throws {
        let examples = try FileManager.default.contentsOfDirectory(
            atPath: Self.root.appendingPathComponent("examples").path
        )
        .filter { $0.hasSuffix(".yaml") }.sorted().map { "examples/" + $0 }
        #expect(examples.count >= 5)
        let outcome = try await Self.check(examples.map { Self.root.appendingPathComponent($0).path })
        #expect(outcome.status == 0, "\(outcome.all)")
    }

    /// Broken configs (with the swap-lint diagnostics they are paired with in
    /// examples/broken) and what the schema check must name.
    static let broken: [(file: String, mentions: [String])] = [
        ("examples/broken/10-unknown-top-level-keys.yaml", ["globalTTl", "logLevl", "tll"]),  // SL201
        ("examples/broken/11-unknown-model-keys.yaml", ["cmdd", "aliasses"]),  // SL201, SL305
        ("examples/broken/12-unknown-group-keys.yaml", ["exclusiv", "member"]),  // SL201
        ("examples/broken/13-unknown-filter-keys.yaml", ["setparams", "stripParam"]),  // SL201
        ("examples/broken/17-out-of-range.yaml", ["-5"]),  // SL203 (startPort 70000 is SL211, not a schema range)
        ("examples/broken/18-invalid-choices.yaml", ["all"]),  // SL204 (an unknown logLevel is only a warning)
        ("examples/broken/35-missing-cmd.yaml", ["'cmd' is a required property"]),  // SL305
    ]

    @Test(
        "broken configs fail and the failure names the problem",
        .enabled(if: DeployTools.available("check-jsonschema"), DeployTools.skipReason("check-jsonschema")),
        arguments: broken.map(\.file))
    func brokenFail(file: String) async throws {
        let mentions = try #require(Self.broken.first { $0.file == file }?.mentions)
        let outcome = try await Self.check([Self.root.appendingPathComponent(file).path])
        #expect(outcome.status != 0, "\(file) passed the schema:\n\(outcome.all)")
        for text in mentions {
            #expect(outcome.all.contains(text), "\(file): `\(text)` not in:\n\(outcome.all)")
        }
    }

    /// The swap-lint codes a JSON Schema can state: unknown keys, wrong types, ranges,
    /// choices, required keys, duration syntax, and a model with neither `cmd` nor `proxy`.
    static let schemaCodes: Set<String> = ["SL201", "SL202", "SL203", "SL204", "SL205", "SL208", "SL305"]

    @Test(
        "over the real configs of the corpus, the schema fails exactly where swap-lint reports what a schema can say",
        .enabled(
            if: (TestPaths.corpusExists || TestPaths.isCI) && DeployTools.available("check-jsonschema"),
            "needs the corpus and check-jsonschema (scripts/setup-tools.sh)"))
    func agreesWithSwapLintOnCorpus() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 50)
        let lint = try await DeployTools.run(
            ServerHarness.binaries.appendingPathComponent("swap-lint").path, ["check", "--format", "gnu"] + files,
            in: TestPaths.corpus)
        var flaggedByLint: Set<String> = []
        for line in lint.output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let open = line.lastIndex(of: "[") else { continue }
            if Self.schemaCodes.contains(String(line[line.index(after: open)...].dropLast())) {
                flaggedByLint.insert(String(line[..<colon]))
            }
        }
        let schema = try await DeployTools.run(
            try DeployTools.require("check-jsonschema"), ["--schemafile", Self.schema] + files, in: TestPaths.corpus)
        var flaggedBySchema: Set<String> = []
        for line in schema.output.split(separator: "\n") where line.hasPrefix("  ") && line.contains("::") {
            flaggedBySchema.insert(String(line.dropFirst(2).prefix { $0 != ":" }))
        }
        #expect(!flaggedByLint.isEmpty, "the corpus has configs with unknown keys")
        #expect(
            flaggedBySchema == flaggedByLint,
            "schema only: \(flaggedBySchema.subtracting(flaggedByLint)); swap-lint only: \(flaggedByLint.subtracting(flaggedBySchema))"
        )
    }
}
