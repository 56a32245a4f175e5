import Foundation
import SwapTestSupport
import Testing

@testable import ConfigLang

/// `swap-lint plan`'s renderer: the display tree built straight from the plan must say
/// exactly what the plan's Codable encoding says, and print it byte for byte as the
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

    @Test("the display tree equals the JSONEncoder round trip of the plan")
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

    @Test("every object in the display tree lists its members in sorted key order")
    func membersSorted() {
        let tree = PlanRenderer.tree(RichPlan.plan, model: nil)
        var open: [[String]] = []
        var unsorted: [[String]] = []
        for token in tree.tokens {
            switch token {
            case .beginObject: open.append([])
            case .key(let key): open[open.count - 1].append(key)
            case .endObject:
                let keys = open.removeLast()
                if keys != keys.sorted() { unsorted.append(keys) }
            default: break
            }
        }
        #expect(open.isEmpty)
        #expect(unsorted.isEmpty, "\(unsorted)")
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
        "doubles show as the Codable round trip shows them",
        arguments: [
            4096.0, -0.0, 0.7, -2.5, 1e20, 1e15, 1e16, 123_456_789.0, 9_007_199_254_740_992,
            Double.leastNonzeroMagnitude, 1.5e300,
        ])
    func doubles(value: Double) throws {
        let buffer = TextBuffer()
        buffer.appendScalar(DisplayTree.number(value))
        let encoded = try JSONValue(parsing: [UInt8](try JSONEncoder().encode(value)))
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == encoded.serialized())
    }

    @Test("integral doubles show without a fraction", arguments: [(4096.0, "4096"), (-0.0, "0"), (0.5, "0.5")])
    func integralDoubles(value: Double, text: String) {
        let buffer = TextBuffer()
        buffer.appendScalar(DisplayTree.number(value))
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == text)
    }

    @Test("scalars are escaped and spelled as JSONValue.serialized() does")
    func scalars() {
        let strings = [
            "", "plain", "quote \" backslash \\ slash /", "\n\r\t\u{8}\u{C}", "\u{0}\u{1}\u{1F}\u{7F}",
            "ünïcødé 🦙", "e\u{301}", String(repeating: "long ", count: 100),
        ]
        let values: [JSONValue] =
            strings.map { .string($0) } + [.integer(0), .integer(-7), .integer(.max), .integer(.min)]
            + [.bool(true), .bool(false), .null, .double(0.1), .double(.infinity)]
        for value in values {
            var tree = DisplayTree()
            tree.add(json: value)
            let buffer = TextBuffer()
            buffer.appendScalar(tree.tokens[0])
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == value.serialized(), "\(value)")
        }
    }

    @Test("escaping agrees with JSONValue.serialized() wherever a special byte falls in an 8-byte word")
    func escapesAtEveryOffset() {
        // Every escapable byte and a few that must pass (0x20, 0x7F, multi-byte UTF-8),
        // placed at each offset of strings from 0 to 24 bytes, so every position of the
        // word-at-a-time scan and its tail meets each one.
        let specials: [String] = [
            "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{8}", " ", "\u{7F}", "é", "🦙", "!", "]", "#", "a",
        ]
        var generator = SplitMix64(state: 0x7E57_B0FF)
        for length in 0...24 {
            for offset in 0...length {
                for special in specials {
                    let filler = (0..<length).map { _ in
                        Character(UnicodeScalar(UInt8.random(in: 0x23...0x5B, using: &generator)))
                    }
                    let text = String(filler.prefix(offset)) + special + String(filler.dropFirst(offset))
                    let buffer = TextBuffer()
                    buffer.appendQuoted(text)
                    let written = String(decoding: buffer.bytes, as: UTF8.self)
                    #expect(written == JSONValue.string(text).serialized(), "\(text)")
                }
            }
        }
    }

    @Test(
        "YAML keys are plain only when the old rule says so",
        arguments: ["id", "a_b-c.d/e", "1st", "", "with space", "a:b", "ünï", "٣x", "x٣", "e\u{301}", "_\u{301}", "-"])
    func yamlKeys(key: String) {
        #expect(DisplayTree.isPlainYAMLKey(key) == (ReferencePlanRenderer.yamlKey(key) == key))
    }

    @Test(
        "${PORT} substitution agrees with ModelPlan.argv(port:)",
        arguments: [
            "", "no port", "${PORT}", "a${PORT}b${PORT}", "$${PORT}}", "${POR", "$", "é${PORT}", "${PORT}\u{301}",
        ])
    func portSubstitution(text: String) {
        var model = RichPlan.bare
        model.argvTemplate = [text]
        #expect([DisplayTree.resolving(text, "5801")] == model.argv(port: 5801))
        #expect(DisplayTree.resolving(text, nil) == text)
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
