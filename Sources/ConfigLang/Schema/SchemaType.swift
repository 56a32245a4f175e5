/// The type of a config value, as the schema declares it.
///
/// One description drives three things: validation of a parsed file
/// (``SchemaValidator``), the JSON Schema `swap-lint schema` prints, and the
/// did-you-mean suggestions for unknown keys.
public indirect enum SchemaType: Sendable {
    /// Any scalar, read as text.
    case string
    /// A whole number, optionally bounded (inclusive).
    case integer(min: Int? = nil, max: Int? = nil)
    /// Any number, optionally bounded (inclusive).
    case number(min: Double? = nil, max: Double? = nil)
    /// `true` or `false` (YAML 1.1 words such as `yes` and `on` are not booleans).
    case boolean
    /// A Go-style duration such as `5s`, `1h30m` or `250ms`.
    case duration
    /// One of a fixed set of strings.
    case choice([String])
    /// A list whose items all have one type.
    case list(SchemaType)
    /// A mapping with free-form keys whose values all have one type.
    case map(SchemaType)
    /// A mapping with known keys.
    case object(ObjectSchema)
    /// Any value at all (parameters sent to a backend, metadata).
    case any
    /// The first alternative that fits.
    case oneOf([SchemaType])

    /// A phrase for messages: "an integer", "a list of strings".
    public var phrase: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean (`true` or `false`)"
        case .duration: "a duration such as `5s` or `1h30m`"
        case .choice(let options): "one of " + options.map { "`\($0)`" }.joined(separator: ", ")
        case .list(let item): "a list of " + item.pluralPhrase
        case .map: "a mapping"
        case .object: "a mapping"
        case .any: "any value"
        case .oneOf(let options): options.map(\.phrase).joined(separator: " or ")
        }
    }

    private var pluralPhrase: String {
        switch self {
        case .string: "strings"
        case .integer: "integers"
        case .number: "numbers"
        case .boolean: "booleans"
        case .object, .map: "mappings"
        default: "values (\(phrase))"
        }
    }
}

/// Whether swap acts on a key.
public enum FieldStatus: Sendable, Hashable {
    /// Implemented.
    case active
    /// Accepted for llama-swap compatibility, but has no effect yet (a warning says so).
    case noEffectYet
    /// Accepted for llama-swap compatibility, but swap behaves as the text says whatever
    /// the value (a warning says so).
    case fixedInSwap(String)
}

/// One key of an ``ObjectSchema``.
public struct FieldSchema: Sendable {
    /// The key as written in YAML.
    public var key: String
    /// The value's type.
    public var type: SchemaType
    /// One line saying what the key does (goes into the JSON Schema).
    public var summary: String
    /// Whether the key must be present.
    public var required: Bool
    /// Whether swap acts on it.
    public var status: FieldStatus
    /// Whether this key is ours, not llama-swap's.
    public var isExtension: Bool

    /// Creates a field.
    public init(
        _ key: String, _ type: SchemaType, _ summary: String, required: Bool = false,
        status: FieldStatus = .active, isExtension: Bool = false
    ) {
        self.key = key
        self.type = type
        self.summary = summary
        self.required = required
        self.status = status
        self.isExtension = isExtension
    }
}

/// A mapping with known keys: the top level, a model, a group, a peer…
public struct ObjectSchema: Sendable {
    /// A name for the object in messages and the JSON Schema ("model", "group").
    public var name: String
    /// What the object is.
    public var summary: String
    /// Its keys, in documentation order.
    public var fields: [FieldSchema] {
        didSet { index = FieldIndex(fields.map(\.key)) }
    }
    private var index: FieldIndex

    /// Creates an object schema.
    public init(_ name: String, _ summary: String, fields: [FieldSchema]) {
        self.name = name
        self.summary = summary
        self.fields = fields
        self.index = FieldIndex(fields.map(\.key))
    }

    /// The field named `key`, or nil.
    public func field(_ key: String) -> FieldSchema? {
        position(of: key).map { fields[$0] }
    }

    /// Where the field for `key` is in ``fields``, or nil when the object has none
    /// (for callers that read one or two of its properties without copying it).
    func position(of key: String) -> Int? {
        index.position(of: key, in: fields)
    }
}
