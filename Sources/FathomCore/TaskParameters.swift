import Foundation

/// A plugin's parameters, declared once as a type (as swift-argument-parser declares options): each stored
/// property is a manifest parameter; its name is the property's coding key (declare `CodingKeys` for snake_case
/// names), its type and default come from `init()`, and `documentation` gives the line of help and the limits.
/// Registry derives the schema (`specs`), applies the defaults, validates a manifest's `params:` against it (unknown
/// names, wrong types, values below a minimum or outside a choice, all reported with the file and key) and decodes
/// the result into this type, so a plugin reads `parameters.demos`, never `p.int("demos")`.
///
/// Allowed property types: `Int`, `Double`, `Bool`, `String`, a `ParameterChoice` enum, `[String]`, `[Int]`.
public protocol TaskParameters: Codable, Sendable, Hashable {
    /// Every parameter at its default.
    init()
    /// Help and limits per parameter name (the coding key). Every parameter must be documented.
    static var documentation: [String: ParameterDoc] { get }
}

/// A string parameter with a closed set of values: declare it as a `String`-backed, `CaseIterable` enum.
public protocol ParameterChoice: Codable, Sendable, Hashable, CaseIterable, RawRepresentable where RawValue == String {}

/// Help and limits of one parameter.
public struct ParameterDoc: Sendable {
    public var doc: String
    public var minimum: Int?
    /// Values a `String` parameter may take when it is not a `ParameterChoice` (rarely needed).
    public var allowed: [String]?

    public init(_ doc: String, minimum: Int? = nil, allowed: [String]? = nil) {
        self.doc = doc
        self.minimum = minimum
        self.allowed = allowed
    }
}

/// The parameters of a plugin that takes none.
public struct NoParameters: TaskParameters {
    public init() {}
    public static let documentation: [String: ParameterDoc] = [:]
}

extension TaskParameters {
    /// The schema: one spec per stored property, in declaration order.
    public static var specs: [ParameterSpec] {
        let encoder = SchemaEncoder()
        do { try Self().encode(to: encoder) } catch {
            preconditionFailure("\(Self.self) cannot describe its parameters: \(error)")
        }
        return encoder.box.fields.map { field in
            let doc = documentation[field.name]
            precondition(doc != nil, "\(Self.self): parameter '\(field.name)' has no documentation")
            return ParameterSpec(
                field.name, field.type, default: field.value, allowed: field.choices ?? doc?.allowed, minimum: doc?.minimum,
                doc: doc?.doc ?? "")
        }
    }

    /// Decodes resolved (validated, defaults applied) parameters into this type.
    public static func decode(_ parameters: ParameterSet) throws(FathomError) -> Self {
        do {
            return try JSONDecoder().decode(Self.self, from: Data(parameters.canonicalJSON.utf8))
        } catch let DecodingError.keyNotFound(key, _) {
            throw FathomError(.missingKey, "the parameter is missing", key: "params.\(key.stringValue)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw FathomError(.wrongType, context.debugDescription, key: "params." + context.codingPath.map(\.stringValue).joined(separator: "."))
        } catch {
            throw FathomError(.invalidValue, "\(error)", key: "params")
        }
    }
}

/// Records the parameters of `init()` as (name, type, default, choices) by encoding them.
private final class SchemaEncoder: Encoder {
    struct Field {
        var name: String
        var type: ParameterType
        var value: ParameterValue
        var choices: [String]?
    }

    final class Box { var fields: [Field] = [] }

    let box = Box()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Fields<Key>(box: box))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { preconditionFailure("parameters must be a struct of named fields") }
    func singleValueContainer() -> any SingleValueEncodingContainer { preconditionFailure("parameters must be a struct of named fields") }

    struct Fields<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        var codingPath: [any CodingKey] = []

        func add(_ key: Key, _ type: ParameterType, _ value: ParameterValue, _ choices: [String]? = nil) {
            box.fields.append(Field(name: key.stringValue, type: type, value: value, choices: choices))
        }
        mutating func encodeNil(forKey key: Key) { preconditionFailure("parameter '\(key.stringValue)' cannot be optional") }
        mutating func encode(_ value: Bool, forKey key: Key) { add(key, .bool, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) { add(key, .string, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) { add(key, .double, .double(value)) }
        mutating func encode(_ value: Int, forKey key: Key) { add(key, .int, .int(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) {
            switch value {
            case let choice as any ParameterChoice:
                add(key, .string, .string(choice.rawValue as String), Self.choices(of: choice))
            case let list as [String]: add(key, .stringList, .list(list.map { .string($0) }))
            case let list as [Int]: add(key, .intList, .list(list.map { .int($0) }))
            default: preconditionFailure("parameter '\(key.stringValue)' has an unsupported type \(T.self)")
            }
        }
        static func choices<C: ParameterChoice>(of value: C) -> [String] { C.allCases.map { $0.rawValue } }
        mutating func encode(_ value: Float, forKey key: Key) { add(key, .double, .double(Double(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: Int16, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: Int32, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: Int64, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: UInt, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: UInt8, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: UInt16, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: UInt32, forKey key: Key) { unsupported(key) }
        mutating func encode(_ value: UInt64, forKey key: Key) { unsupported(key) }
        func unsupported(_ key: Key) -> Never { preconditionFailure("parameter '\(key.stringValue)': use Int") }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("parameter '\(key.stringValue)' cannot be nested")
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("parameter '\(key.stringValue)' cannot be nested")
        }
        mutating func superEncoder() -> any Encoder { preconditionFailure("parameters cannot inherit") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("parameters cannot inherit") }
    }
}
