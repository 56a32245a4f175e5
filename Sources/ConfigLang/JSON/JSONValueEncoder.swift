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
        let slot = Slot()
        try value.encode(to: ValueEncoder(slot: slot, codingPath: []))
        return slot.value
    }

    /// A double as a ``JSONValue``: an integer when it has no fraction and fits `Int`.
    static func number(_ value: Double) -> JSONValue {
        guard value.isFinite, value == value.rounded(.towardZero) else { return .double(value) }
        let text = value.description
        guard text.hasSuffix(".0"), let integer = Int(text.dropLast(2)) else { return .double(value) }
        return .integer(integer)
    }
}

/// Where one encoded value goes: a scalar, or the members or items a container fills.
private final class Slot {
    var scalar: JSONValue?
    var members: [String: Slot]?
    var items: [Slot]?

    /// The finished value (an object when nothing was encoded, as `JSONEncoder` writes `{}`).
    var value: JSONValue {
        if let scalar { return scalar }
        if let items { return .array(items.map(\.value)) }
        return .object((members ?? [:]).mapValues(\.value))
    }

    /// A slot that `value` was encoded into.
    static func encoding<Value: Encodable>(_ value: Value, at codingPath: [any CodingKey]) throws -> Slot {
        let slot = Slot()
        try value.encode(to: ValueEncoder(slot: slot, codingPath: codingPath))
        return slot
    }
}

private struct ValueEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.members == nil { slot.members = [:] }
        return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.items == nil { slot.items = [] }
        return UnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: slot, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        slot.members![key.stringValue] = Slot(scalar: .null)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        slot.members![key.stringValue] = try Slot.encoding(value, at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = Slot()
        slot.members![key.stringValue] = child
        return ValueEncoder(slot: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = Slot()
        slot.members![key.stringValue] = child
        return ValueEncoder(slot: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = Slot()
        slot.members![key.stringValue] = child
        return ValueEncoder(slot: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.items!.count }

    mutating func encodeNil() throws {
        slot.items!.append(Slot(scalar: .null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.items!.append(try Slot.encoding(value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = Slot()
        slot.items!.append(child)
        return ValueEncoder(slot: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = Slot()
        slot.items!.append(child)
        return ValueEncoder(slot: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = Slot()
        slot.items!.append(child)
        return ValueEncoder(slot: child, codingPath: codingPath)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

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
        try value.encode(to: ValueEncoder(slot: slot, codingPath: codingPath))
    }

    private static func unsigned(_ value: UInt64) -> JSONValue {
        Int(exactly: value).map(JSONValue.integer) ?? .double(Double(value))
    }
}

extension Slot {
    convenience init(scalar: JSONValue) {
        self.init()
        self.scalar = scalar
    }
}
