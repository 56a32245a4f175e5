/// A JSON-shaped value laid out flat, in output order: the tree ``PlanRenderer`` prints.
///
/// The tree is its pre-order token list: `beginObject`, then `key` and value pairs,
/// then `endObject`; `beginArray`, values, `endArray`; scalars as single tokens. Object
/// members are already sorted by key (Swift `String` order), so writing the tree out
/// never sorts, hashes or allocates per node. Append with the `add…` methods; they
/// keep the tokens balanced and the keys of data-keyed objects sorted.
struct DisplayTree: Sendable {
    /// One step of the pre-order walk.
    enum Token: Sendable, Equatable {
        /// `{`.
        case beginObject
        /// `}`.
        case endObject
        /// `[`.
        case beginArray
        /// `]`.
        case endArray
        /// The key of the object member whose value follows.
        case key(String)
        /// `null`.
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// An integer.
        case integer(Int)
        /// A double shown as itself (non-finite prints as `null`).
        case double(Double)
        /// A string.
        case string(String)
        /// A value already written in the output format (a model rendered on another
        /// core); only in trees built for writing, never for ``jsonValue``.
        case rendered([UInt8])
    }

    /// The tokens in output order.
    private(set) var tokens: [Token] = []

    /// Creates an empty tree with room for `capacity` tokens.
    init(capacity: Int = 0) {
        tokens.reserveCapacity(capacity)
    }

    /// Appends one token.
    mutating func add(_ token: Token) {
        tokens.append(token)
    }

    /// Appends an array of strings.
    mutating func add(strings: [String]) {
        tokens.append(.beginArray)
        for text in strings { tokens.append(.string(text)) }
        tokens.append(.endArray)
    }

    /// Appends a dictionary as an object with sorted keys, each value added by `addValue`.
    mutating func add<Value>(_ dictionary: [String: Value], _ addValue: (inout DisplayTree, Value) -> Void) {
        tokens.append(.beginObject)
        for index in dictionary.indices.sorted(by: { dictionary[$0].key < dictionary[$1].key }) {
            let entry = dictionary[index]
            tokens.append(.key(entry.key))
            addValue(&self, entry.value)
        }
        tokens.append(.endObject)
    }

    /// Appends a ``JSONValue``, object keys sorted and doubles as ``number(_:)`` shows them.
    mutating func add(json value: JSONValue) {
        switch value {
        case .null: tokens.append(.null)
        case .bool(let flag): tokens.append(.bool(flag))
        case .integer(let integer): tokens.append(.integer(integer))
        case .double(let number): tokens.append(Self.number(number))
        case .string(let text): tokens.append(.string(text))
        case .array(let items):
            tokens.append(.beginArray)
            for item in items { add(json: item) }
            tokens.append(.endArray)
        case .object(let members):
            add(members) { $0.add(json: $1) }
        }
    }

    /// A double as a Codable round trip through `JSONEncoder` and ``JSONValue`` shows it:
    /// `JSONEncoder` writes a double whose description ends in `.0` without it, which
    /// then reads back as an integer (`4096.0` → `4096`, `-0.0` → `0`).
    static func number(_ value: Double) -> Token {
        guard value.isFinite, value == value.rounded(.towardZero) else { return .double(value) }
        let text = value.description
        guard text.hasSuffix(".0"), let integer = Int(text.dropLast(2)) else { return .double(value) }
        return .integer(integer)
    }

    /// The tree as a ``JSONValue`` (member order is lost); `.null` when empty.
    var jsonValue: JSONValue {
        var index = 0
        return tokens.isEmpty ? .null : value(at: &index)
    }

    private func value(at index: inout Int) -> JSONValue {
        let token = tokens[index]
        index += 1
        switch token {
        case .beginObject:
            var object: [String: JSONValue] = [:]
            while case .key(let key) = tokens[index] {
                index += 1
                object[key] = value(at: &index)
            }
            index += 1
            return .object(object)
        case .beginArray:
            var array: [JSONValue] = []
            while tokens[index] != .endArray { array.append(value(at: &index)) }
            index += 1
            return .array(array)
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let integer): return .integer(integer)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .key, .endObject, .endArray: preconditionFailure("unbalanced display tree at token \(index - 1)")
        case .rendered: preconditionFailure("a rendered token has no JSON value")
        }
    }
}
