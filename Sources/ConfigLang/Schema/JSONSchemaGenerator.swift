/// Renders ``ConfigSchema`` as a JSON Schema (draft 2020-12) for editors.
///
/// The output follows what ``SchemaValidator`` accepts, so an editor and `swap-lint`
/// agree:
/// - unknown keys are rejected (`additionalProperties: false`) in every mapping with
///   known keys, where `swap-lint` warns SL201, so an editor underlines a misspelt key;
/// - a model needs `cmd` or `proxy` (SL305), as an `anyOf` of two `required` lists;
/// - bounded numbers carry their `minimum` and `maximum`;
/// - any value may be null, because an empty YAML value is accepted everywhere;
/// - a string field also takes numbers and booleans, which are read as text;
/// - a typed scalar (integer, number, boolean, duration, choice) also takes a string
///   holding a `${macro}` reference, whose type is known only after expansion.
///
/// The text is deterministic: keys sorted, two-space indent, one trailing newline.
/// `schemas/config.schema.json` holds a copy that a test keeps in sync.
public enum JSONSchemaGenerator {
    /// The schema's `$id`.
    public static let identifier = "urn:swap:schemas:config"

    /// The JSON Schema of the whole config file, as text ending in a newline.
    public static func generate() -> String {
        var root = object(ConfigSchema.root)
        root["$schema"] = .string("https://json-schema.org/draft/2020-12/schema")
        root["$id"] = .string(identifier)
        root["title"] = .string("swap configuration")
        root["type"] = .string("object")
        var text = ""
        Node.object(root).write(to: &text, indent: 0)
        return text + "\n"
    }

    /// A JSON value with the subset of features the schema needs.
    fileprivate enum Node {
        case string(String)
        case integer(Int)
        case number(Double)
        case boolean(Bool)
        case array([Node])
        case object([String: Node])

        static func strings(_ values: [String]) -> Node { .array(values.map(Node.string)) }
    }

    private static let macroReference: [String: Node] = [
        "type": .string("string"), "pattern": .string("\\$\\{"),
    ]
    private static let null: [String: Node] = ["type": .string("null")]
    private static let anyScalarTypes = ["string", "number", "boolean"]
    private static let durationPattern = "^(0|([0-9]*\\.?[0-9]+(ns|us|µs|ms|s|m|h))+)$"

    private static func object(_ schema: ObjectSchema) -> [String: Node] {
        var properties: [String: Node] = [:]
        for field in schema.fields {
            var property = node(field.type)
            var summary = field.summary
            if field.isExtension { summary += " Swap extension." }
            switch field.status {
            case .active: break
            case .noEffectYet: summary += " Accepted for compatibility; no effect yet."
            case .fixedInSwap(let behaviour): summary += " Accepted for compatibility; in swap, " + behaviour
            }
            property["description"] = .string(summary)
            properties[field.key] = .object(property)
        }
        var result: [String: Node] = [
            "type": .strings(["object", "null"]),
            "description": .string(schema.summary),
            "properties": .object(properties),
            "additionalProperties": .boolean(false),
        ]
        let required = schema.fields.filter(\.required).map(\.key)
        if !required.isEmpty { result["required"] = .strings(required) }
        if let keys = needsOneOf[schema.name] {
            result["anyOf"] = .array(keys.map { .object(["required": .strings([$0])]) })
        }
        return result
    }

    /// Objects that need at least one of some keys, by ``ObjectSchema/name``. The
    /// compiler checks these after expansion (SL305 for a model without `cmd` or
    /// `proxy`); a schema can say it up front.
    private static let needsOneOf: [String: [String]] = [ConfigSchema.model.name: ["cmd", "proxy"]]

    private static func node(_ type: SchemaType) -> [String: Node] {
        switch type {
        case .any:
            return [:]
        case .object(let schema):
            return object(schema)
        case .map(let value):
            return ["type": .strings(["object", "null"]), "additionalProperties": .object(node(value))]
        case .list(let item):
            return ["type": .strings(["array", "null"]), "items": .object(node(item))]
        case .string:
            return ["type": .strings(anyScalarTypes + ["null"])]
        case .integer, .number, .boolean, .duration, .choice, .oneOf:
            let (options, takesMacro) = alternatives(type)
            if options.count == 1, !takesMacro { return acceptingNull(options[0]) }
            var all = options
            if takesMacro { all.append(macroReference) }
            all.append(null)
            return ["anyOf": .array(all.map(Node.object))]
        }
    }

    /// `shape` with `null` added to its `type`.
    private static func acceptingNull(_ shape: [String: Node]) -> [String: Node] {
        var result = shape
        switch shape["type"] {
        case .string(let single):
            result["type"] = .strings([single, "null"])
        case .array(let types):
            if !types.contains(where: { if case .string("null") = $0 { true } else { false } }) {
                result["type"] = .array(types + [.string("null")])
            }
        default:
            break
        }
        return result
    }

    /// The non-null shapes `type` accepts, and whether a `${macro}` string must be
    /// added because no shape already takes any string.
    private static func alternatives(_ type: SchemaType) -> ([[String: Node]], Bool) {
        switch type {
        case .string:
            return ([["type": .strings(anyScalarTypes)]], false)
        case .integer(let min, let max):
            var shape: [String: Node] = ["type": .string("integer")]
            shape["minimum"] = min.map(Node.integer)
            shape["maximum"] = max.map(Node.integer)
            return ([shape], true)
        case .number(let min, let max):
            var shape: [String: Node] = ["type": .string("number")]
            shape["minimum"] = min.map(Node.number)
            shape["maximum"] = max.map(Node.number)
            return ([shape], true)
        case .boolean:
            return ([["type": .string("boolean")]], true)
        case .duration:
            return ([["type": .string("string"), "pattern": .string(durationPattern)]], true)
        case .choice(let options):
            return ([["type": .string("string"), "enum": .strings(options)]], true)
        case .oneOf(let options):
            let takesAnyScalar = options.contains { if case .string = $0 { true } else { false } }
            var shapes: [[String: Node]] = []
            var takesMacro = false
            for option in options {
                if takesAnyScalar, option.isScalar, !option.isString { continue }
                let (more, macro) = alternatives(option)
                shapes += more
                takesMacro = takesMacro || macro
            }
            return (shapes, takesMacro && !takesAnyScalar)
        case .any, .object, .map, .list:
            return ([node(type)], false)
        }
    }
}

extension SchemaType {
    fileprivate var isString: Bool {
        if case .string = self { true } else { false }
    }

    fileprivate var isScalar: Bool {
        switch self {
        case .string, .integer, .number, .boolean, .duration, .choice: true
        case .oneOf(let options): options.allSatisfy(\.isScalar)
        case .any, .object, .map, .list: false
        }
    }
}

extension JSONSchemaGenerator.Node {
    fileprivate func write(to out: inout String, indent: Int) {
        switch self {
        case .string(let text):
            Self.writeString(text, to: &out)
        case .integer(let value):
            out += String(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 {
                out += String(Int(value))
            } else {
                out += String(value)
            }
        case .boolean(let value):
            out += value ? "true" : "false"
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(to: &out, indent: indent + 2)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                Self.writeString(key, to: &out)
                out += ": "
                members[key]!.write(to: &out, indent: indent + 2)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
