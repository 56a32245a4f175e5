import Foundation

@testable import ConfigLang

/// The plan renderer as it was before the display tree: `JSONEncoder` with sorted keys,
/// parsed back into a ``JSONValue``, argv, proxy and `${PORT}` in metadata patched in, then printed by string
/// concatenation. Slow, but it is the Codable encoding itself, so it is the oracle the
/// direct renderer must match byte for byte.
enum ReferencePlanRenderer {
    static func render(_ plan: Plan, model: String? = nil, format: PlanRenderer.Format) throws -> String {
        var value = try display(plan)
        if let model, case .object(let root) = value, case .object(let models)? = root["models"] {
            value = models[model] ?? .null
        }
        switch format {
        case .json: return json(value, indent: 0) + "\n"
        case .yaml: return yaml(value, indent: 0)
        }
    }

    static func display(_ plan: Plan) throws -> JSONValue {
        var plan = plan
        plan.settings.apiKeys = plan.settings.apiKeys.map { _ in "<redacted>" }
        for id in plan.peers.keys where plan.peers[id]?.apiKey != nil { plan.peers[id]?.apiKey = "<redacted>" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var value = try JSONValue(parsing: [UInt8](try encoder.encode(plan)))
        if case .object(var root) = value, case .object(var models)? = root["models"] {
            for (id, model) in plan.models {
                guard case .object(var entry)? = models[id] else { continue }
                entry["argv"] = .array(model.argv(port: model.port?.offline).map { .string($0) })
                entry["proxy"] = .string(model.proxy(port: model.port?.offline))
                if let resolved = model.metadata(port: model.port?.offline), resolved != model.metadata {
                    entry["metadata"] = try JSONValue(parsing: [UInt8](try encoder.encode(resolved)))
                }
                models[id] = .object(entry)
            }
            root["models"] = .object(models)
            value = .object(root)
        }
        return value
    }

    static func json(_ value: JSONValue, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + json($0, indent: indent + 1) }.joined(separator: ",\n") + "\n\(close)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n"
                + members.keys.sorted().map {
                    pad + JSONValue.string($0).serialized() + ": " + json(members[$0]!, indent: indent + 1)
                }.joined(separator: ",\n") + "\n\(close)}"
        default:
            return value.serialized()
        }
    }

    static func yaml(_ value: JSONValue, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items):
            if items.isEmpty { return "[]\n" }
            return items.map { item -> String in
                let body = yaml(item, indent: indent + 1)
                return pad + "- " + body.drop { $0 == " " }
            }.joined()
        case .object(let members):
            if members.isEmpty { return "{}\n" }
            return members.keys.sorted().map { key -> String in
                let child = members[key]!
                let name = yamlKey(key)
                switch child {
                case .array(let items) where !items.isEmpty:
                    return pad + name + ":\n" + yaml(child, indent: indent)
                case .object(let inner) where !inner.isEmpty:
                    return pad + name + ":\n" + yaml(child, indent: indent + 1)
                default:
                    return pad + name + ": " + yaml(child, indent: indent + 1)
                }
            }.joined()
        default:
            return value.serialized() + "\n"
        }
    }

    static func yamlKey(_ key: String) -> String {
        let safe =
            !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) }
            && !(key.first?.isNumber ?? false)
        return safe ? key : JSONValue.string(key).serialized()
    }
}
