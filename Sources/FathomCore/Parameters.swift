/// A parameter value from a manifest: scalars and lists of scalars.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([ParameterValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(Int.self) { self = .int(value); return }
        if let value = try? container.decode(Double.self) { self = .double(value); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        self = .list(try container.decode([ParameterValue].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        }
    }

    /// Canonical JSON text (no spaces; shortest round-trip doubles), the input of stable hashes.
    public var canonicalJSON: String {
        switch self {
        case .string(let value): return jsonQuoted(value)
        case .int(let value): return String(value)
        case .double(let value): return value.description
        case .bool(let value): return value ? "true" : "false"
        case .list(let values): return "[" + values.map { $0.canonicalJSON }.joined(separator: ",") + "]"
        }
    }

    public var description: String {
        switch self {
        case .string(let value): return value
        case .list(let values): return "[" + values.map { $0.description }.joined(separator: ", ") + "]"
        default: return canonicalJSON
        }
    }
}

/// Quotes a string as a JSON string literal.
public func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// The declared type of a plugin parameter.
public enum ParameterType: String, Sendable, Codable {
    case string, int, double, bool, stringList = "list[string]", intList = "list[int]"
}

/// One parameter a plugin kind accepts: name, type, default, allowed values and a line of documentation.
public struct ParameterSpec: Sendable, Codable, Hashable {
    public var name: String
    public var type: ParameterType
    public var defaultValue: ParameterValue
    public var allowed: [String]?
    public var minimum: Int?
    public var doc: String

    public init(
        _ name: String, _ type: ParameterType, default defaultValue: ParameterValue, allowed: [String]? = nil,
        minimum: Int? = nil, doc: String
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.minimum = minimum
        self.doc = doc
    }

    /// Checks and normalises one value (an int is accepted where a double is declared).
    public func validate(_ value: ParameterValue) -> Result<ParameterValue, FathomError> {
        func wrong() -> Result<ParameterValue, FathomError> {
            .failure(FathomError(.wrongType, "expected \(type.rawValue), found '\(value)'", key: "params.\(name)"))
        }
        switch (type, value) {
        case (.string, .string(let text)):
            if let allowed, !allowed.contains(text) {
                return .failure(
                    FathomError(
                        .invalidValue, "'\(text)' is not one of: \(allowed.joined(separator: ", "))\(Suggestions.hint(for: text, among: allowed))",
                        key: "params.\(name)"))
            }
            return .success(value)
        case (.int, .int(let number)):
            if let minimum, number < minimum {
                return .failure(FathomError(.invalidValue, "\(number) is below the minimum \(minimum)", key: "params.\(name)"))
            }
            return .success(value)
        case (.double, .double): return .success(value)
        case (.double, .int(let number)): return .success(.double(Double(number)))
        case (.bool, .bool): return .success(value)
        case (.stringList, .list(let items)):
            return items.allSatisfy({ if case .string = $0 { true } else { false } }) ? .success(value) : wrong()
        case (.intList, .list(let items)):
            return items.allSatisfy({ if case .int = $0 { true } else { false } }) ? .success(value) : wrong()
        default: return wrong()
        }
    }
}

/// Resolved parameters of a task: every declared parameter has a validated value.
public struct ParameterSet: Sendable, Hashable, Codable {
    public private(set) var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

    /// Applies defaults and validates `given` against `specs`; unknown names are errors.
    public static func resolve(_ given: [String: ParameterValue], specs: [ParameterSpec]) -> Result<ParameterSet, FathomError> {
        switch resolveAll(given, specs: specs) {
        case .success(let set): return .success(set)
        case .failure(let errors): return .failure(errors.errors[0])
        }
    }

    /// Like `resolve`, but reports every unknown name and every invalid value, not only the first.
    public static func resolveAll(_ given: [String: ParameterValue], specs: [ParameterSpec]) -> Result<ParameterSet, ManifestErrors> {
        var values: [String: ParameterValue] = [:]
        var errors: [FathomError] = []
        let names = specs.map { $0.name }
        for name in given.keys.sorted() where !names.contains(name) {
            errors.append(
                FathomError(
                    .unknownKey,
                    "unknown parameter\(Suggestions.hint(for: name, among: names)) (this plugin accepts: \(names.sorted().joined(separator: ", ")))",
                    key: "params.\(name)"))
        }
        for spec in specs {
            switch spec.validate(given[spec.name] ?? spec.defaultValue) {
            case .success(let value): values[spec.name] = value
            case .failure(let error): errors.append(error)
            }
        }
        return errors.isEmpty ? .success(ParameterSet(values)) : .failure(ManifestErrors(errors: errors))
    }

    /// Written as a plain JSON object of the values; read back from that (or from schema_version 1's
    /// `{"values": {...}}` wrapper).
    public init(from decoder: any Decoder) throws {
        if let flat = try? decoder.singleValueContainer().decode([String: ParameterValue].self) {
            values = flat
        } else {
            values = try decoder.container(keyedBy: Wrapper.self).decode([String: ParameterValue].self, forKey: .values)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    private enum Wrapper: String, CodingKey { case values }

    public var canonicalJSON: String {
        "{" + values.keys.sorted().map { jsonQuoted($0) + ":" + values[$0]!.canonicalJSON }.joined(separator: ",") + "}"
    }

    public func string(_ name: String) -> String {
        if case .string(let value)? = values[name] { return value }
        preconditionFailure("parameter \(name) is not a resolved string")
    }

    public func int(_ name: String) -> Int {
        if case .int(let value)? = values[name] { return value }
        preconditionFailure("parameter \(name) is not a resolved int")
    }

    public func double(_ name: String) -> Double {
        switch values[name] {
        case .double(let value)?: return value
        case .int(let value)?: return Double(value)
        default: preconditionFailure("parameter \(name) is not a resolved double")
        }
    }

    public func bool(_ name: String) -> Bool {
        if case .bool(let value)? = values[name] { return value }
        preconditionFailure("parameter \(name) is not a resolved bool")
    }

    public func ints(_ name: String) -> [Int] {
        if case .list(let items)? = values[name] { return items.compactMap { if case .int(let v) = $0 { v } else { nil } } }
        preconditionFailure("parameter \(name) is not a resolved int list")
    }
}
