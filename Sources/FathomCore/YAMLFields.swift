import Yams

/// Strict, typed reads from a YAML mapping that report the file, line and key of every problem.
struct YAMLFields {
    let file: String
    let pairs: [(key: String, value: Node)]
    let mark: Mark?
    let path: String

    /// Parses `text` and requires a mapping at the root.
    static func root(_ text: String, file: String) throws(FathomError) -> YAMLFields {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw FathomError(.parse, "not valid YAML: \(error)", file: file)
        }
        guard let node else { throw FathomError(.parse, "the file is empty", file: file) }
        return try mapping(node, file: file, path: "")
    }

    static func mapping(_ node: Node, file: String, path: String) throws(FathomError) -> YAMLFields {
        guard case .mapping(let mapping) = node else {
            throw FathomError(.wrongType, "expected a mapping", file: file, line: node.mark?.line, key: path.isEmpty ? nil : path)
        }
        // Yams already rejects duplicate keys as a parse error.
        var pairs: [(key: String, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                throw FathomError(.wrongType, "mapping keys must be strings", file: file, line: key.mark?.line)
            }
            pairs.append((name, value))
        }
        return YAMLFields(file: file, pairs: pairs, mark: node.mark, path: path)
    }

    private static func qualified(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ kind: FathomError.Kind, _ message: String, key: String, node: Node? = nil) -> FathomError {
        FathomError(kind, message, file: file, line: (node?.mark ?? mark)?.line, key: Self.qualified(path, key))
    }

    /// Fails on any key not in `allowed`.
    func requireOnly(_ allowed: [String]) throws(FathomError) {
        if let first = unknownKeys(allowed).first { throw first }
    }

    /// One error for each key not in `allowed`, suggesting the nearest allowed key.
    func unknownKeys(_ allowed: [String]) -> [FathomError] {
        pairs.filter { !allowed.contains($0.key) }.map { key, value in
            error(
                .unknownKey, "unknown key\(Suggestions.hint(for: key, among: allowed)) (allowed here: \(allowed.joined(separator: ", ")))",
                key: key, node: value)
        }
    }

    /// The line of every key, of every key one level down (`params.depth`) and of every list item (`metrics#1`).
    func lines() -> [String: Int] {
        var out: [String: Int] = [:]
        for (key, value) in pairs {
            let qualified = Self.qualified(path, key)
            out[qualified] = value.mark?.line ?? mark?.line
            switch value {
            case .mapping(let mapping):
                for (child, node) in mapping { if let name = child.string { out[qualified + "." + name] = node.mark?.line } }
            case .sequence(let items):
                for (index, item) in items.enumerated() { out[qualified + "#\(index)"] = item.mark?.line }
            default: break
            }
        }
        return out
    }

    func node(_ key: String) -> Node? { pairs.first { $0.key == key }?.value }

    func required(_ key: String) throws(FathomError) -> Node {
        guard let value = node(key) else { throw error(.missingKey, "required key is missing", key: key) }
        return value
    }

    func string(_ key: String) throws(FathomError) -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, value.tagName == .str else {
            throw error(.wrongType, "expected a string", key: key, node: value)
        }
        return scalar.string
    }

    func int(_ key: String) throws(FathomError) -> Int? {
        guard let value = node(key) else { return nil }
        guard value.tagName == .int, let number = value.int else {
            throw error(.wrongType, "expected a whole number", key: key, node: value)
        }
        return number
    }

    func double(_ key: String) throws(FathomError) -> Double? {
        guard let value = node(key) else { return nil }
        guard value.tagName == .int || value.tagName == .float, let number = value.float else {
            throw error(.wrongType, "expected a number", key: key, node: value)
        }
        return number
    }

    func strings(_ key: String) throws(FathomError) -> [String]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let items) = value else { throw error(.wrongType, "expected a list of strings", key: key, node: value) }
        var out: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item, item.tagName == .str else {
                throw error(.wrongType, "expected a list of strings", key: key, node: item)
            }
            out.append(scalar.string)
        }
        return out
    }

    /// A list of lengths written as numbers or `4k`-style strings.
    func lengths(_ key: String) throws(FathomError) -> [Int]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let items) = value, !items.isEmpty else {
            throw error(.wrongType, "expected a non-empty list of lengths (e.g. [4k, 8k])", key: key, node: value)
        }
        var out: [Int] = []
        for item in items {
            guard case .scalar(let scalar) = item, let length = ContextLength.parse(scalar.string) else {
                throw error(.invalidValue, "'\(item.string ?? "?")' is not a length (examples: 4096, 4k, 128k, 1m)", key: key, node: item)
            }
            out.append(length)
        }
        return out
    }

    func child(_ key: String) throws(FathomError) -> YAMLFields? {
        guard let value = node(key) else { return nil }
        return try Self.mapping(value, file: file, path: Self.qualified(path, key))
    }

    /// A free-form parameter map of scalars and lists of scalars.
    func parameters(_ key: String) throws(FathomError) -> [String: ParameterValue] {
        guard let fields = try child(key) else { return [:] }
        var out: [String: ParameterValue] = [:]
        for (name, value) in fields.pairs {
            out[name] = try fields.parameterValue(value, key: name)
        }
        return out
    }

    private func parameterValue(_ node: Node, key: String) throws(FathomError) -> ParameterValue {
        switch node {
        case .scalar(let scalar):
            switch node.tagName {
            case .int: if let value = node.int { return .int(value) }
            case .float: if let value = node.float { return .double(value) }
            case .bool: if let value = node.bool { return .bool(value) }
            case .str: return .string(scalar.string)
            default: break
            }
            throw error(.wrongType, "unsupported value '\(scalar.string)'", key: key, node: node)
        case .sequence(let items):
            var values: [ParameterValue] = []
            for item in items {
                guard case .scalar = item else { throw error(.wrongType, "lists may only hold scalars", key: key, node: item) }
                values.append(try parameterValue(item, key: key))
            }
            return .list(values)
        default:
            throw error(.wrongType, "expected a scalar or a list of scalars", key: key, node: node)
        }
    }
}

extension Node {
    /// The resolved tag's name (plain `42` is an int, `"42"` a string).
    fileprivate var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
