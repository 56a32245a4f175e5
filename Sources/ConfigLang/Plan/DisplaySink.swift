/// Takes a JSON-shaped display value token by token, in output order.
///
/// What a plan looks like is said once, by the `add` methods in this protocol's
/// extensions (`DisplaySink+Plan.swift`); each sink decides what becomes of the
/// tokens. A ``DisplayTree`` keeps them (for YAML, which looks ahead, and for
/// ``DisplayTree/jsonValue``); a ``JSONTextWriter`` writes them as JSON at once, so a
/// plan rendered as JSON builds no token list.
protocol DisplaySink {
    /// Takes the next token. Object members come in sorted key order, each `key`
    /// followed by its value; containers are balanced.
    mutating func add(_ token: DisplayTree.Token)
}

extension DisplaySink {
    /// Adds an array of strings.
    mutating func add(strings: [String]) {
        add(.beginArray)
        for text in strings { add(.string(text)) }
        add(.endArray)
    }

    /// Adds a dictionary as an object with sorted keys, each value added by `addValue`.
    mutating func add<Value>(_ dictionary: [String: Value], _ addValue: (inout Self, Value) -> Void) {
        add(.beginObject)
        for entry in dictionary.sorted(by: { $0.key < $1.key }) {
            add(.key(entry.key))
            addValue(&self, entry.value)
        }
        add(.endObject)
    }

    /// Adds a ``JSONValue``, object keys sorted and doubles as ``DisplayTree/number(_:)`` shows them.
    mutating func add(json value: JSONValue) {
        switch value {
        case .null: add(.null)
        case .bool(let flag): add(.bool(flag))
        case .integer(let integer): add(.integer(integer))
        case .double(let number): add(DisplayTree.number(number))
        case .string(let text): add(.string(text))
        case .array(let items):
            add(.beginArray)
            for item in items { add(json: item) }
            add(.endArray)
        case .object(let members):
            add(members) { $0.add(json: $1) }
        }
    }
}
