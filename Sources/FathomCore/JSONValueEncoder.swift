import Foundation

/// Builds a `JSONValue` straight from an `Encodable` value, the same value `JSONEncoder` followed by decoding the
/// text as `JSONValue` gives, without writing or parsing text (a re-ranking sample's reference holds a thousand
/// graded IDs; the text round trip cost most of a tokenizer pass over its 128K prompt). Strings, booleans, nulls
/// and integers that fit an `Int` are taken as they are; anything whose JSON text the text round trip could read
/// differently (floating-point numbers, `Data`, `Date`, `URL`, `Decimal`, integers beyond `Int`) takes that round
/// trip alone, so the result is identical.
struct JSONValueEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = Slot()
        try root.encode(value, codingPath: [])
        return root.finish()
    }
}

/// One place a value goes: empty, a finished value, or an object or array still being filled.
private final class Slot {
    enum Kind { case empty, value, object, array }
    var kind = Kind.empty
    var value = JSONValue.null
    var members: [String: Slot] = [:]
    var items: [Slot] = []

    func finish() -> JSONValue {
        switch kind {
        case .empty: .object([:])  // JSONEncoder writes a nested value that encoded nothing as {}
        case .value: value
        case .object: .object(members.mapValues { $0.finish() })
        case .array: .array(items.map { $0.finish() })
        }
    }

    func set(_ value: JSONValue) {
        kind = .value
        self.value = value
    }

    func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let v as String: set(.string(v))
        case let v as Bool: set(.bool(v))
        case let v as Int: set(.int(v))
        case let v as Int32: set(.int(Int(v)))
        case let v as Int64: set(.int(Int(v)))
        case let v as Int16: set(.int(Int(v)))
        case let v as Int8: set(.int(Int(v)))
        case let v as UInt8: set(.int(Int(v)))
        case let v as UInt16: set(.int(Int(v)))
        case let v as UInt32: set(.int(Int(v)))
        case is Double, is Float, is Data, is Date, is URL, is Decimal, is UInt, is UInt64:
            set(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)))
        default:
            try value.encode(to: SlotEncoder(slot: self, codingPath: codingPath))
        }
    }

    func object() -> Slot {
        if kind != .object {
            kind = .object
            members = [:]
        }
        return self
    }

    func makeArray() -> Slot {
        if kind != .array {
            kind = .array
            items = []
        }
        return self
    }

    func member(_ key: String) -> Slot {
        if let known = members[key] { return known }
        let slot = Slot()
        members[key] = slot
        return slot
    }

    func append() -> Slot {
        let slot = Slot()
        items.append(slot)
        return slot
    }
}

private struct SlotEncoder: Encoder {
    let slot: Slot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedSlot<Key>(slot: slot.object(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedSlot(slot: slot.makeArray(), codingPath: codingPath) }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleSlot(slot: slot, codingPath: codingPath) }
}

private struct KeyedSlot<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.member(key.stringValue).set(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try slot.member(key.stringValue).encode(value, codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedSlot<NestedKey>(slot: slot.member(key.stringValue).object(), codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedSlot(slot: slot.member(key.stringValue).makeArray(), codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SlotEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]) }
}

private struct UnkeyedSlot: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var count: Int { slot.items.count }

    mutating func encodeNil() throws { slot.append().set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.append().encode(value, codingPath: codingPath) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedSlot<NestedKey>(slot: slot.append().object(), codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedSlot(slot: slot.append().makeArray(), codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.append(), codingPath: codingPath) }
}

private struct SingleSlot: SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.encode(value, codingPath: codingPath) }
}
