/// A JSON-shaped value whose object members are already in output order: the tree
/// ``PlanRenderer`` prints.
///
/// Unlike ``JSONValue``, an object is a list of members sorted by key (Swift `String`
/// order), so writing it out never sorts or hashes. Build objects with
/// ``object(sorting:)`` when the keys come from data, or list members in sorted order
/// when they are fixed field names.
enum DisplayNode: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case integer(Int)
    /// A non-integral double (or one too large for `Int`); non-finite prints as `null`.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([DisplayNode])
    /// An object with members sorted by key.
    case object([DisplayMember])

    /// An object from members in any order, sorted by key.
    static func object(sorting members: [DisplayMember]) -> DisplayNode {
        .object(members.sorted { $0.key < $1.key })
    }

    /// A dictionary as an object, keys sorted, each value converted by `transform`.
    static func object<Value>(_ dictionary: [String: Value], _ transform: (Value) -> DisplayNode) -> DisplayNode {
        .object(dictionary.sorted { $0.key < $1.key }.map { DisplayMember($0.key, transform($0.value)) })
    }

    /// An array of strings.
    static func strings(_ items: [String]) -> DisplayNode {
        .array(items.map { .string($0) })
    }

    /// A double as a Codable round trip through `JSONEncoder` and ``JSONValue`` shows it:
    /// `JSONEncoder` writes a double whose description ends in `.0` without it, which
    /// then reads back as an integer (`4096.0` → `4096`, `-0.0` → `0`).
    static func number(_ value: Double) -> DisplayNode {
        guard value.isFinite, value == value.rounded(.towardZero) else { return .double(value) }
        let text = value.description
        guard text.hasSuffix(".0"), let integer = Int(text.dropLast(2)) else { return .double(value) }
        return .integer(integer)
    }

    /// A ``JSONValue`` with its object keys sorted and doubles shown as ``number(_:)``
    /// shows them.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let integer): self = .integer(integer)
        case .double(let number): self = Self.number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(DisplayNode.init))
        case .object(let members): self = .object(members, DisplayNode.init)
        }
    }

    /// The same value as a ``JSONValue`` (member order is lost).
    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let integer): .integer(integer)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(\.jsonValue))
        case .object(let members):
            .object(Dictionary(members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { _, last in last }))
        }
    }

    /// True for `[]` and `{}`.
    var isEmptyContainer: Bool {
        switch self {
        case .array(let items): items.isEmpty
        case .object(let members): members.isEmpty
        default: false
        }
    }
}

/// One member of a ``DisplayNode`` object.
struct DisplayMember: Sendable, Equatable {
    /// The key.
    var key: String
    /// The value.
    var value: DisplayNode

    /// Creates a member.
    init(_ key: String, _ value: DisplayNode) {
        self.key = key
        self.value = value
    }
}
