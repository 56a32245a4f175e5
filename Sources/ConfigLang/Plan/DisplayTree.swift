/// A JSON-shaped value laid out flat, in output order: the tree ``PlanRenderer`` prints.
///
/// The tree is its pre-order token list: `beginObject`, then `key` and value pairs,
/// then `endObject`; `beginArray`, values, `endArray`; scalars as single tokens. Object
/// members are already sorted by key (Swift `String` order), so writing the tree out
/// never sorts, hashes or allocates per node. Append with ``DisplaySink``'s `add…`
/// methods; they keep the tokens balanced and the keys of data-keyed objects sorted.
struct DisplayTree: DisplaySink, Sendable {
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
