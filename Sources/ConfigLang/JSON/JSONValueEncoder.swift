/// Encodes any `Encodable` value as a ``JSONValue``, the way `JSONEncoder` would write
/// it: keyed containers become objects, unkeyed ones arrays, `nil` optionals that
/// synthesized conformances skip are left out. A double with no fraction that fits an
/// `Int` becomes an integer, as `JSONEncoder`'s text read back would (`4096.0` → `4096`).
///
/// Written here because swap-lint links no Foundation (see Package.swift).
///
/// ```swift
/// let value = try JSONValueEncoder.encode(plan)
/// ```
public enum JSONValueEncoder {
    /// `value` as a JSON value.
    public static func encode<Value: Encodable>(_ value: Value) throws -> JSONValue {
        try Slot.encoding(value)
    }

    /// A double as a ``JSONValue``: an integer when it has no fraction and fits `Int`.
    static func number(_ value: Double) -> JSONValue {
        guard value.isFinite, value == value.rounded(.towardZero) else { return .double(value) }
        let text = value.description
        guard text.hasSuffix(".0"), let integer = Int(text.dropLast(2)) else { return .double(value) }
        return .integer(integer)
    }
}

/// Where one value's encoding goes while its `encode(to:)` runs: a scalar, or the
/// members or items of its container. A nested value is encoded whole and stored as
/// its finished ``JSONValue`` before the next one starts; only a container opened with
/// `nestedContainer` or `superEncoder` stays a slot until this one is finished.
private final class Slot {
    var scalar: JSONValue?
    var members: [String: JSONValue]?
    var items: [JSONValue]?
    /// Nested containers still being filled: their member key or item index.
    var nested: [(key: String?, index: Int, slot: Slot)] = []

    /// The finished value (an object when nothing was encoded, as `JSONEncoder` writes `{}`).
    func finished() -> JSONValue {
        for entry in nested {
            if let key = entry.key {
                members?[key] = entry.slot.finished()
            } else {
                items?[entry.index] = entry.slot.finished()
            }
        }
        nested = []
        if let scalar { return scalar }
        if let items { return .array(items) }
        return .object(members ?? [:])
    }

    /// `value` encoded: strings, numbers and booleans directly, anything else through
    /// its `encode(to:)`.
    static func encoding<Value: Encodable>(_ value: Value) throws -> JSONValue {
        switch value {
        case let text as String: return .string(text)
        case let number as Int: return .integer(number)
        case let flag as Bool: return .bool(flag)
        case let number as Double: return JSONValueEncoder.number(number)
        default:
            let slot = Slot()
            try value.encode(to: ValueEncoder(slot: slot))
            return slot.finished()
        }
    }

    /// A slot for a nested container at member `key`, or at the next item.
    func nestedSlot(key: String?) -> Slot {
        let child = Slot()
        if let key {
            members?[key] = .null
            nested.append((key, 0, child))
        } else {
            items?.append(.null)
            nested.append((nil, (items?.count ?? 1) - 1, child))
        }
        return child
    }
}

private struct ValueEncoder: Encoder {
    let slot: Slot
    /// Not tracked: plan types never fail to encode, so no error needs the path.
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.members == nil { slot.members = [:] }
        return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.items == nil { slot.items = [] }
        return UnkeyedContainer(slot: slot)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: slot)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    /// Not tracked: plan types never fail to encode, so no error needs the path.
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        slot.members![key.stringValue] = .null
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        slot.members![key.stringValue] = try Slot.encoding(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = slot.nestedSlot(key: key.stringValue)
        return ValueEncoder(slot: child).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.nestedSlot(key: key.stringValue)
        return ValueEncoder(slot: child).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = slot.nestedSlot(key: key.stringValue)
        return ValueEncoder(slot: child)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let slot: Slot
    /// Not tracked: plan types never fail to encode, so no error needs the path.
    var codingPath: [any CodingKey] { [] }
    var count: Int { slot.items!.count }

    mutating func encodeNil() throws {
        slot.items!.append(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.items!.append(try Slot.encoding(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = slot.nestedSlot(key: nil)
        return ValueEncoder(slot: child).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = slot.nestedSlot(key: nil)
        return ValueEncoder(slot: child).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = slot.nestedSlot(key: nil)
        return ValueEncoder(slot: child)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let slot: Slot
    /// Not tracked: plan types never fail to encode, so no error needs the path.
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { slot.scalar = .null }
    mutating func encode(_ value: Bool) throws { slot.scalar = .bool(value) }
    mutating func encode(_ value: String) throws { slot.scalar = .string(value) }
    mutating func encode(_ value: Double) throws { slot.scalar = JSONValueEncoder.number(value) }
    mutating func encode(_ value: Float) throws { slot.scalar = JSONValueEncoder.number(Double(value)) }
    mutating func encode(_ value: Int) throws { slot.scalar = .integer(value) }
    mutating func encode(_ value: Int8) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: Int16) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: Int32) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: Int64) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: UInt) throws { slot.scalar = Self.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: UInt16) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: UInt32) throws { slot.scalar = .integer(Int(value)) }
    mutating func encode(_ value: UInt64) throws { slot.scalar = Self.unsigned(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: ValueEncoder(slot: slot))
    }

    private static func unsigned(_ value: UInt64) -> JSONValue {
        Int(exactly: value).map(JSONValue.integer) ?? .double(Double(value))
    }
}
