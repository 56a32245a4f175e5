import Foundation
import Testing

@testable import ConfigLang

/// A compile for diagnostics only (`swap-lint check`) skips the plan's locks,
/// provenance, metadata, fingerprints, and (without a matrix) its names and routing,
/// but must report exactly what a full compile reports.
@Suite("compile purposes")
struct CompilePurposeTests {
    /// Every broken case and every example: same diagnostics both ways.
    @Test("a diagnostics-only compile reports what a full compile reports", arguments: Self.configs())
    func sameDiagnostics(path: String) throws {
        let source = SourceFile(name: path, bytes: try TestPaths.bytes(URL(fileURLWithPath: path)))
        let environment = BrokenCaseTests.environment
        let full = PlanBuilder.compile([source], environment: environment)
        let check = PlanBuilder.compile([source], environment: environment, for: .diagnostics)
        #expect(check.diagnostics == full.diagnostics)
        #expect((check.plan == nil) == (full.plan == nil))
        if let plan = check.plan, let complete = full.plan {
            #expect(plan.models.keys.sorted() == complete.models.keys.sorted())
            for (id, model) in plan.models {
                #expect(model.argvTemplate == complete.models[id]?.argvTemplate)
                #expect(model.port == complete.models[id]?.port)
            }
            // Names and routing are resolved only when a matrix needs them for its checks.
            if full.config?.matrix != nil {
                #expect(plan.routing == complete.routing)
                #expect(plan.names == complete.names)
            } else {
                #expect(plan.routing.groups.isEmpty && plan.names.isEmpty)
            }
        }
    }

    /// The generated locks are left out of a diagnostics-only plan.
    @Test("a diagnostics-only plan carries no locks or fingerprints")
    func leanPlan() throws {
        let text = """
            models:
              coder:
                cmd: server --port ${PORT}
                filters:
                  setParams:
                    temperature: 0
            """
        let source = SourceFile(name: "lean.yaml", text: text)
        let full = try #require(PlanBuilder.compile([source], environment: [:]).plan)
        let check = try #require(PlanBuilder.compile([source], environment: [:], for: .diagnostics).plan)
        #expect(full.models["coder"]?.locks.set["temperature"] == .integer(0))
        #expect(full.models["coder"]?.processFingerprint.isEmpty == false)
        #expect(check.models["coder"]?.locks.isEmpty == true)
        #expect(check.models["coder"]?.processFingerprint.isEmpty == true)
    }

    static func configs() -> [String] {
        let root = TestPaths.packageRoot.appendingPathComponent("examples")
        let broken = BrokenCaseTests.cases.map { BrokenCaseTests.folder.appendingPathComponent($0).path }
        let examples = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { root.appendingPathComponent($0).path }
        return examples + broken
    }
}
