/// Renders a plan for people and tools: deterministic JSON (sorted keys) or YAML.
///
/// The document is the plan's `Codable` encoding (through ``JSONValueEncoder``), so a
/// field added to a plan type shows up without an edit here. Two things are changed
/// for display: each model gets `argv` and `proxy` resolved to its offline `${PORT}`,
/// and API keys are redacted.
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

    /// What an API key prints as.
    static let redacted = "<redacted>"

    /// The plan (or one model of it) as text, ending in a newline; an unknown `model`
    /// renders as `null`.
    public static func render(_ plan: Plan, model: String? = nil, format: Format) -> String {
        let value = model.map { id in plan.models[id].map(display) ?? .null } ?? display(plan)
        switch format {
        case .json:
            var writer = JSONWriter(pretty: true)
            writer.value(value)
            writer.endLine()
            return writer.text
        case .yaml:
            return value.yamlText
        }
    }

    /// The plan as a JSON value with resolved argv/proxy and redacted keys.
    public static func display(_ plan: Plan) -> JSONValue {
        var plan = plan
        plan.settings.apiKeys = plan.settings.apiKeys.map { _ in redacted }
        for id in plan.peers.keys where plan.peers[id]?.apiKey != nil { plan.peers[id]?.apiKey = redacted }
        guard case .object(var document) = encoded(plan), case .object(var models)? = document["models"] else {
            return .null
        }
        document["models"] = nil
        for (id, model) in plan.models { models[id] = display(model, encoded: models.removeValue(forKey: id)) }
        document["models"] = .object(models)
        return .object(document)
    }

    /// One model as a JSON value with resolved argv, proxy and metadata.
    public static func display(_ model: ModelPlan) -> JSONValue {
        display(model, encoded: encoded(model))
    }

    private static func display(_ model: ModelPlan, encoded: JSONValue?) -> JSONValue {
        guard case .object(var members)? = encoded else { return .null }
        let port = model.port?.offline
        members["argv"] = .array(model.argv(port: port).map(JSONValue.string))
        members["proxy"] = .string(model.proxy(port: port))
        if let resolved = model.metadata(port: port), resolved != model.metadata {
            members["metadata"] = Self.encoded(resolved)
        }
        return .object(members)
    }

    /// The Codable encoding of a plan type, which cannot fail: plan types hold only
    /// strings, numbers, booleans and collections of them.
    private static func encoded<Value: Encodable>(_ value: Value) -> JSONValue {
        do {
            return try JSONValueEncoder.encode(value)
        } catch {
            preconditionFailure("a plan type failed to encode: \(error)")
        }
    }
}
