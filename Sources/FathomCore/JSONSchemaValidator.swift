import Foundation

/// A small JSON Schema validator for the subset Fathom's schemas use (leaderboard.json, run.json, a samples.jsonl
/// line): `type`, `properties`, `required`,
/// `additionalProperties` (bool or schema), `items`, `enum`, `const`, `minimum`, `maximum`, `minItems`, `maxItems`,
/// `oneOf` and local `$ref` (`#/$defs/...`). Any other keyword is reported as unsupported, so the subset stays honest.
public struct JSONSchemaValidator {
    let root: [String: Any]
    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    static let supported: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "enum", "const",
                                         "minimum", "maximum", "minItems", "maxItems", "$ref", "oneOf"]

    public init(schemaJSON: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: schemaJSON) as? [String: Any] else {
            throw FathomError(.parse, "a schema must be a JSON object")
        }
        self.root = root
    }

    /// Validates a JSON document; returns the violations as "path: message" (empty when valid).
    public func validate(json: Data) throws -> [String] {
        let value = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        var errors: [String] = []
        check(value, root, "$", &errors)
        return errors
    }

    func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let dict = node as? [String: Any], let next = dict[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    static func isBool(_ v: Any) -> Bool {
        type(of: v) == Bool.self || String(describing: type(of: v)) == "__NSCFBoolean"
    }

    static func number(_ v: Any) -> Double? {
        if isBool(v) { return nil }
        if let n = v as? NSNumber { return n.doubleValue }
        return nil
    }

    static func typeMatches(_ v: Any, _ type: String) -> Bool {
        switch type {
        case "object": return v is [String: Any]
        case "array": return v is [Any]
        case "string": return v is String
        case "boolean": return isBool(v)
        case "null": return v is NSNull
        case "number": return number(v) != nil
        case "integer": if let d = number(v) { return d == d.rounded(.towardZero) && d.isFinite } else { return false }
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if isBool(a) || isBool(b) { return isBool(a) && isBool(b) && (a as? Bool) == (b as? Bool) }
        if let x = number(a), let y = number(b) { return x == y }
        if let x = a as? String, let y = b as? String { return x == y }
        if a is NSNull && b is NSNull { return true }
        if let x = a as? [Any], let y = b as? [Any] { return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) } }
        if let x = a as? [String: Any], let y = b as? [String: Any] {
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        }
        return false
    }

    func check(_ value: Any, _ schema: [String: Any], _ path: String, _ errors: inout [String]) {
        for key in schema.keys.sorted() where !Self.supported.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): schema keyword '\(key)' is not supported by this validator")
        }
        if let ref = schema["$ref"] as? String {
            guard let target = resolve(ref) else { errors.append("\(path): unresolvable $ref \(ref)"); return }
            check(value, target, path, &errors)
        }
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            checkOneOf(value, alternatives, path, &errors)
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [(type as? String) ?? "?"]
            if !types.contains(where: { Self.typeMatches(value, $0) }) {
                errors.append("\(path): expected \(types.joined(separator: " or "))")
                return
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            errors.append("\(path): value not in enum")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            errors.append("\(path): value differs from const")
        }
        if let x = Self.number(value) {
            if let lo = schema["minimum"].flatMap(Self.number), x < lo { errors.append("\(path): \(x) < minimum \(lo)") }
            if let hi = schema["maximum"].flatMap(Self.number), x > hi { errors.append("\(path): \(x) > maximum \(hi)") }
        }
        if let array = value as? [Any] {
            if let lo = schema["minItems"].flatMap(Self.number), Double(array.count) < lo { errors.append("\(path): fewer than \(Int(lo)) items") }
            if let hi = schema["maxItems"].flatMap(Self.number), Double(array.count) > hi { errors.append("\(path): more than \(Int(hi)) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { check(item, items, "\(path)[\(i)]", &errors) }
            }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                errors.append("\(path): missing required property '\(key)'")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for key in object.keys.sorted() {
                let child = "\(path).\(key)"
                if let sub = properties[key] as? [String: Any] {
                    check(object[key]!, sub, child, &errors)
                } else if let additional = schema["additionalProperties"] {
                    if let sub = additional as? [String: Any] {
                        check(object[key]!, sub, child, &errors)
                    } else if Self.isBool(additional), (additional as? Bool) == false {
                        errors.append("\(path): property '\(key)' is not allowed")
                    }
                }
            }
        }
    }

    /// `oneOf`: exactly one alternative must hold. When none does and an alternative's `type` property is a `const`
    /// equal to the value's (a tagged message), that alternative's violations are reported, as the likely intent.
    func checkOneOf(_ value: Any, _ alternatives: [[String: Any]], _ path: String, _ errors: inout [String]) {
        var results: [[String]] = []
        for alternative in alternatives {
            var found: [String] = []
            check(value, alternative, path, &found)
            results.append(found)
        }
        let matches = results.filter { $0.isEmpty }.count
        if matches == 1 { return }
        if matches > 1 { errors.append("\(path): matches more than one of the allowed forms"); return }
        if let tag = (value as? [String: Any])?["type"] as? String {
            for (alternative, found) in zip(alternatives, results) {
                let target = (alternative["$ref"] as? String).flatMap(resolve) ?? alternative
                if let constant = ((target["properties"] as? [String: Any])?["type"] as? [String: Any])?["const"] as? String, constant == tag {
                    errors += found
                    return
                }
            }
            errors.append("\(path): unknown type '\(tag)'")
            return
        }
        errors.append("\(path): matches none of the allowed forms")
    }
}
