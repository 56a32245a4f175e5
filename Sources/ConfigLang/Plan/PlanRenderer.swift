/// Renders a plan for people and tools: deterministic JSON (sorted keys) or YAML, with
/// each model's argv and proxy resolved to its offline `${PORT}` and API keys redacted.
///
/// The output has the plan's Codable shape (the keys `JSONEncoder` would write, a nil
/// optional left out) plus `argv` and `proxy` on each model. It is built straight from
/// the plan and written into one buffer, so a 1000-model plan renders in milliseconds.
///
/// ```swift
/// let text = PlanRenderer.render(plan, model: "qwen-coder", format: .yaml)
/// ```
public enum PlanRenderer {
    /// Output formats of `swap-lint plan`.
    public enum Format: String, Sendable, CaseIterable {
        /// Pretty JSON with sorted keys.
        case json
        /// Block YAML with sorted keys.
        case yaml
    }

    /// The plan (or one model of it) as text; an unknown `model` renders as `null`.
    public static func render(_ plan: Plan, model: String? = nil, format: Format) -> String {
        let node: DisplayNode
        if let model {
            node = plan.models[model].map(DisplayNode.init) ?? .null
        } else {
            node = DisplayNode(plan)
        }
        var buffer = TextBuffer(capacity: 1024 + 2048 * plan.models.count)
        switch format {
        case .json:
            node.writeJSON(into: &buffer)
            buffer.append(byte: UInt8(ascii: "\n"))
        case .yaml:
            node.writeYAML(into: &buffer)
        }
        return buffer.text
    }

    /// The plan as a JSON value with resolved argv/proxy and redacted keys.
    public static func display(_ plan: Plan) -> JSONValue {
        DisplayNode(plan).jsonValue
    }
}
