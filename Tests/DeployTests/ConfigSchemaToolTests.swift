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
        ("examples/broken/17-out-of-range.yaml", ["70000", "-5"]),  // SL2xx ranges
        ("examples/broken/18-invalid-choices.yaml", ["verbose", "all"]),  // SL2xx choices
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
}
