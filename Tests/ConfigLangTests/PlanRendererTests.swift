import Foundation
import SwapTestSupport
import Testing

@testable import ConfigLang

/// `swap-lint plan`'s renderer: its own encoder (``JSONValueEncoder``) must say exactly
/// what Foundation's `JSONEncoder` says of the plan, and print it byte for byte as the
/// `JSONEncoder`-based renderer did.
struct PlanRendererTests {
    @Test("the rich plan sets every optional field and fills every collection somewhere")
    func richPlanIsRich() {
        var filled: [String: Bool] = [:]
        Self.survey(RichPlan.plan, into: &filled)
        let unfilled = filled.filter { !$0.value }.keys.sorted()
        #expect(
            unfilled.isEmpty,
            "set these in RichPlan so the renderer is compared on them: \(unfilled)")
        #expect(filled.keys.contains("ModelPlan.useModelName"))
    }

    @Test("the display value equals the JSONEncoder round trip of the plan")
    func displayMatchesCodable() throws {
        #expect(PlanRenderer.display(RichPlan.plan) == (try ReferencePlanRenderer.display(RichPlan.plan)))
    }

    @Test(
        "rendering the rich plan is byte-identical to the JSONEncoder-based renderer",
        arguments: PlanRenderer.Format.allCases, [nil, "qwen-coder", "embed", "missing"])
    func richPlanText(format: PlanRenderer.Format, model: String?) throws {
        let expected = try ReferencePlanRenderer.render(RichPlan.plan, model: model, format: format)
        #expect(PlanRenderer.render(RichPlan.plan, model: model, format: format) == expected)
    }

    @Test("every bundled example renders as the JSONEncoder-based renderer did", arguments: Self.examples())
    func exampleText(file: String) throws {
        let url = TestPaths.packageRoot.appendingPathComponent("examples").appendingPathComponent(file)
        let result = PlanBuilder.compile([SourceFile(name: file, bytes: try TestPaths.bytes(url))], environment: [:])
        let plan = try #require(result.plan, "\(file): \(result.diagnostics.map(\.message))")
        for format in PlanRenderer.Format.allCases {
            #expect(
                PlanRenderer.render(plan, format: format)
                    == (try ReferencePlanRenderer.render(plan, format: format)), "\(file) as \(format)")
        }
    }

    @Test("API keys are redacted and argv/proxy resolve to the offline port")
    func redactionAndPorts() throws {
        let text = PlanRenderer.render(RichPlan.plan, format: .json)
        #expect(!text.contains("sk-"))
        let display = PlanRenderer.display(RichPlan.plan)
        guard case .object(let root) = display, case .object(let models)? = root["models"],
            case .object(let coder)? = models["qwen-coder"], case .object(let embed)? = models["embed"]
        else {
            Issue.record("unexpected shape: \(display)")
            return
        }
        #expect(
            coder["argv"]
                == .array(["/bin/llama-server", "--port", "5801", "--alias=58015801", "é5801"].map { .string($0) }))
        #expect(coder["proxy"] == .string("http://127.0.0.1:5801/v1"))
        #expect(embed["port"] == nil && embed["proxy"] == .string("http://127.0.0.1:9000"))
    }

    @Test("a non-finite number in metadata prints as null where it is, not as a null plan")
    func nonFiniteMetadata() {
        var plan = RichPlan.plan
        plan.models["embed"]?.metadata = .object(["big": .double(.infinity), "nan": .double(.nan)])
        let text = PlanRenderer.render(plan, model: "embed", format: .json)
        #expect(text.contains("\"big\": null,\n    \"nan\": null\n"))
        #expect(text.contains("\"id\": \"embed\""))
    }

    @Test(
        "doubles encode as the Codable round trip shows them",
        arguments: [
            4096.0, -0.0, 0.7, -2.5, 1e20, 1e15, 1e16, 123_456_789.0, 9_007_199_254_740_992,
            Double.leastNonzeroMagnitude, 1.5e300,
        ])
    func doubles(value: Double) throws {
        let encoded = try JSONValue(parsing: [UInt8](try JSONEncoder().encode(value)))
        #expect(try JSONValueEncoder.encode(value) == encoded)
    }

    @Test("integral doubles show without a fraction", arguments: [(4096.0, "4096"), (-0.0, "0"), (0.5, "0.5")])
    func integralDoubles(value: Double, text: String) throws {
        #expect(try JSONValueEncoder.encode(value).serialized() == text)
    }

    @Test(
        "YAML keys are plain only when the old rule says so",
        arguments: ["id", "a_b-c.d/e", "1st", "", "with space", "a:b", "ünï", "٣x", "x٣", "e\u{301}", "_\u{301}", "-"])
    func yamlKeys(key: String) {
        #expect(JSONValue.isPlainYAMLKey(key) == (ReferencePlanRenderer.yamlKey(key) == key))
    }

    static func examples() -> [String] {
        let directory = TestPaths.packageRoot.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Records, for every stored property of every plan type reachable from `value`,
    /// whether some instance has it non-nil and non-empty.
    static func survey(_ value: Any, into filled: inout [String: Bool]) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct where String(reflecting: type(of: value)).hasPrefix("ConfigLang."):
            let typeName = String(describing: type(of: value))
            for child in mirror.children {
                guard let label = child.label else { continue }
                let inner = Mirror(reflecting: child.value)
                let isFilled: Bool
                switch inner.displayStyle {
                case .optional, .collection, .dictionary, .set: isFilled = !inner.children.isEmpty
                default: isFilled = true
                }
                filled["\(typeName).\(label)", default: false] =
                    filled["\(typeName).\(label)", default: false] || isFilled
                survey(child.value, into: &filled)
            }
        case .optional, .collection, .dictionary, .set, .tuple:
            for child in mirror.children { survey(child.value, into: &filled) }
        default:
            break
        }
    }
}
