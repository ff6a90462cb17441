import FathomCore
import Foundation

/// One condition of a structured probe: `field OP value`, with OP one of `=`, `!=`, `<`, `<=`, `>`, `>=`, `in`
/// (a comma-separated list) or `contains` (a substring, compared on Unicode scalars).
///
/// A sample's value on a field is an `AxisValue`: a number (length, amount, K…) or a label (task, family, query type…).
/// A literal is compared as a number when both sides are numbers (`4k` and `1M` read as lengths), else as text.
/// A sample without a value on the field (a task that does not declare that axis) matches no condition on it.
public struct ProbeCondition: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable, Codable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in`, contains
    }

    /// A value written in the expression: its text and, when it reads as one, its number.
    public struct Literal: Sendable, Hashable, Codable {
        public var text: String
        public var number: Double?
        init(_ raw: String) {
            text = raw
            number = Double(raw).flatMap { $0.isFinite ? $0 : nil } ?? ContextLength.parse(raw).map(Double.init)
        }
    }

    public var field: String
    public var op: Operator
    public var values: [Literal]

    public var description: String {
        "\(field) \(op.rawValue) \(values.map(\.text).joined(separator: ","))"
    }

    /// Parses `field OP value`; the field is a name of letters, digits and `_`.
    public init(parsing expression: String) throws {
        let scalars = Array(expression.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 } }
        func isNameScalar(_ u: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) || u == "_"
        }
        func invalid(_ why: String) -> RankError {
            .invalidOption("probe condition '\(expression)': \(why) (write FIELD OP VALUE with OP one of "
                + Operator.allCases.map(\.rawValue).joined(separator: " ") + ", e.g. 'length>=8k', 'task in a,b', 'query_type=join')")
        }
        skipSpaces()
        let nameStart = i
        while i < scalars.count, isNameScalar(scalars[i]) { i += 1 }
        guard i > nameStart else { throw invalid("no field name") }
        field = String(String.UnicodeScalarView(scalars[nameStart..<i]))
        skipSpaces()
        let rest = String(String.UnicodeScalarView(scalars[i...]))
        var op: Operator? = nil
        var valueText = ""
        for symbol in ["!=", "<=", ">=", "==", "=", "<", ">"] where rest.hasPrefix(symbol) {
            op = symbol == "==" ? .equal : Operator(rawValue: symbol)
            valueText = String(rest.unicodeScalars.dropFirst(symbol.unicodeScalars.count))
            break
        }
        if op == nil {
            for word in [Operator.in, .contains] {
                let name = word.rawValue
                if rest.lowercased().hasPrefix(name), rest.unicodeScalars.count > name.count,
                   [" ", "\t"].contains(rest.unicodeScalars[rest.unicodeScalars.index(rest.unicodeScalars.startIndex, offsetBy: name.count)]) {
                    op = word
                    valueText = String(rest.unicodeScalars.dropFirst(name.count))
                }
            }
        }
        guard let op else { throw invalid("no operator after '\(field)'") }
        self.op = op
        var raw = valueText.trimmingCharacters(in: .whitespaces)
        if op == .in, (raw.hasPrefix("[") && raw.hasSuffix("]")) || (raw.hasPrefix("(") && raw.hasSuffix(")")) {
            raw = String(raw.dropFirst().dropLast())
        }
        let pieces = op == .in ? raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init) : [raw]
        values = pieces.map { Literal(Self.unquoted($0.trimmingCharacters(in: .whitespaces))) }
        guard values.allSatisfy({ !$0.text.isEmpty }) else { throw invalid("an empty value") }
        if [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op), values[0].number == nil {
            throw invalid("'\(op.rawValue)' compares numbers, and '\(values[0].text)' is not one")
        }
    }

    static func unquoted(_ text: String) -> String {
        for q in ["\"", "'"] where text.count >= 2 && text.hasPrefix(q) && text.hasSuffix(q) { return String(text.dropFirst().dropLast()) }
        return text
    }

    /// Whether a sample whose value on `field` is `value` (nil: none) satisfies the condition.
    public func matches(_ value: AxisValue?) -> Bool {
        guard let value else { return false }
        switch op {
        case .equal: return equals(value, values[0])
        case .notEqual: return !equals(value, values[0])
        case .in: return values.contains { equals(value, $0) }
        case .contains:
            return value.description.unicodeScalars.containsScalars(values[0].text.unicodeScalars)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard case .number(let x) = value, let y = values[0].number else { return false }
            switch op {
            case .less: return x < y
            case .lessOrEqual: return x <= y
            case .greater: return x > y
            default: return x >= y
            }
        }
    }

    func equals(_ value: AxisValue, _ literal: Literal) -> Bool {
        switch value {
        case .number(let x): return literal.number == x
        case .label(let s): return s.unicodeScalars.elementsEqual(literal.text.unicodeScalars)
        }
    }
}

extension String.UnicodeScalarView {
    /// Substring search on scalars (a combining mark never merges with what precedes it, unlike `Character`s).
    func containsScalars(_ needle: String.UnicodeScalarView) -> Bool {
        let hay = Array(self), pin = Array(needle)
        guard !pin.isEmpty else { return true }
        guard hay.count >= pin.count else { return false }
        for start in 0...(hay.count - pin.count) where hay[start] == pin[0] {
            if hay[start..<(start + pin.count)].elementsEqual(pin) { return true }
        }
        return false
    }
}

/// A structured probe: conditions AND-ed over a sample's fields. Built against the fields a pool knows, so a
/// misspelt field is an error that lists the known ones, never an empty selection.
public struct ProbeFilter: Sendable, Hashable, Codable, CustomStringConvertible {
    public var conditions: [ProbeCondition]

    public var description: String { conditions.map(\.description).joined(separator: " and ") }

    /// Parses expressions (each one or more conditions joined by ` and `) and checks every field against `knownFields`.
    public init(parsing expressions: [String], knownFields: [String]) throws {
        var conditions: [ProbeCondition] = []
        for expression in expressions {
            for part in Self.splitAnd(expression) { conditions.append(try ProbeCondition(parsing: part)) }
        }
        let known = Set(knownFields)
        for c in conditions where !known.contains(c.field) {
            throw RankError.unknownName(kind: "probe field", value: c.field, allowed: knownFields.sorted())
        }
        self.conditions = conditions
    }

    /// ` and ` (any case) separates conditions.
    static func splitAnd(_ expression: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(expression)
        while let range = rest.range(of: " and ", options: .caseInsensitive) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Whether a sample with these field values satisfies every condition.
    public func matches(_ fields: [String: AxisValue]) -> Bool {
        conditions.allSatisfy { $0.matches(fields[$0.field]) }
    }
}
