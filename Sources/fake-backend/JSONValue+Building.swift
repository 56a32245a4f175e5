import ConfigLang
import Foundation

/// What the fake backend needs of ConfigLang's ``JSONValue`` beyond the type itself:
/// literals to build responses with, member access to read requests, and the bytes of
/// a body.
extension JSONValue {
    /// Parses `data` as one JSON document.
    init(parsing data: Data) throws {
        try self.init(parsing: [UInt8](data))
    }

    /// The member named `key` when this is an object, else `nil`.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string payload, or `nil` for any other kind.
    var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The Boolean payload, or `nil` for any other kind.
    var boolValue: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    /// Compact UTF-8 JSON text with sorted keys (deterministic for tests).
    func encoded() -> [UInt8] {
        Array(serialized().utf8)
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A Boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A dictionary literal; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
