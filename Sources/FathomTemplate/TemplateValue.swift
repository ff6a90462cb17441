/// A value in a template's context, with Python semantics as jinja2 sees them: printing follows `str()`,
/// truthiness follows `bool()`, equality follows `==` (so `1 == 1.0 == true`, and strings compare by code
/// point, not by Unicode canonical equivalence), and dictionaries keep their insertion order.
public enum TemplateValue: Sendable {
    /// jinja2's default `Undefined`: prints as "", is falsy, iterates as empty; attribute access on it fails.
    case undefined
    /// Python's `None`.
    case none
    case bool(Bool)
    /// A Python int (bounded here: arithmetic that overflows `Int` is an error, never a wrong value).
    case int(Int)
    case double(Double)
    case string(String)
    /// A Python list.
    case array([TemplateValue])
    /// A Python tuple (prints as `(1, 2)`; `d.items()` pairs and literal `(a, b)` are tuples).
    case tuple([TemplateValue])
    /// A Python dict, in insertion order.
    case object(TemplateObject)
    /// A value that only exists while rendering (macros, namespaces, functions, safe strings, dict views,
    /// generators, ranges, loop objects). Build host functions with `TemplateValue.function(_:_:)`.
    case native(TemplateNative)
}

extension TemplateValue {
    public init(_ value: String) { self = .string(value) }
    public init(_ value: Int) { self = .int(value) }
    public init(_ value: Bool) { self = .bool(value) }
    public init(_ value: Double) { self = .double(value) }
    public init(_ value: [TemplateValue]) { self = .array(value) }
    /// A dict in the given order.
    public init(_ pairs: [(String, TemplateValue)]) { self = .object(TemplateObject(pairs)) }
    /// A dict from a Swift dictionary; Swift dictionaries have no order, so the keys are sorted.
    public init(_ dictionary: [String: TemplateValue]) {
        self = .object(TemplateObject(dictionary.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }))
    }

    /// The text of a string (or safe string), else nil.
    var text: String? {
        switch self {
        case .string(let s): return s
        case .native(let n): if case .markup(let s) = n.storage { return s }; return nil
        default: return nil
        }
    }

    var isUndefined: Bool { if case .undefined = self { return true }; return false }

    var isMarkup: Bool {
        if case .native(let n) = self, case .markup = n.storage { return true }
        return false
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .object(TemplateObject(elements)) }
}

/// A number as Python arithmetic sees it (bools are ints).
enum PyNumber {
    case int(Int)
    case double(Double)

    var isNegative: Bool {
        switch self {
        case .int(let i): return i < 0
        case .double(let d): return d.sign == .minus && !d.isNaN
        }
    }

    var asDouble: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }
}

extension TemplateValue {
    var number: PyNumber? {
        switch self {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        default: return nil
        }
    }
}

/// Python's `==` between numbers, exact across int and float.
func numbersEqual(_ a: PyNumber, _ b: PyNumber) -> Bool {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y
    case (.int(let i), .double(let d)), (.double(let d), .int(let i)):
        guard let e = Int(exactly: d) else { return false }
        return e == i
    }
}

/// Python's `<` between numbers (-1, 0, 1; nil when unordered, i.e. NaN).
func compareNumbers(_ a: PyNumber, _ b: PyNumber) -> Int? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
    case (.double(let x), .double(let y)):
        if x.isNaN || y.isNaN { return nil }
        return x < y ? -1 : (x == y ? 0 : 1)
    case (.int(let i), .double(let d)):
        if d.isNaN { return nil }
        if let e = Int(exactly: d) { return i < e ? -1 : (i == e ? 0 : 1) }
        if d.isInfinite || abs(d) >= 9.3e18 { return d > 0 ? -1 : 1 }
        let f = d.rounded(.down)
        if let e = Int(exactly: f) { return i <= e ? -1 : 1 }
        return Double(i) < d ? -1 : 1
    case (.double, .int):
        return compareNumbers(b, a).map { -$0 }
    }
}

func textEqual(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
}

extension TemplateValue: Hashable {
    public static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        if let a = lhs.number, let b = rhs.number { return numbersEqual(a, b) }
        if let a = lhs.text, let b = rhs.text { return textEqual(a, b) }
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.array(let a), .array(let b)), (.tuple(let a), .tuple(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.native(let a), .native(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        if let n = number {
            hasher.combine(2)
            switch n {
            case .int(let i): hasher.combine(i)
            case .double(let d): if let i = Int(exactly: d) { hasher.combine(i) } else { hasher.combine(d) }
            }
            return
        }
        if let s = text {
            hasher.combine(3)
            hasher.combine(s.utf8.count)
            for b in s.utf8 { hasher.combine(b) }
            return
        }
        switch self {
        case .undefined: hasher.combine(0)
        case .none: hasher.combine(1)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .tuple(let a): hasher.combine(5); hasher.combine(a)
        case .object(let o): hasher.combine(6); hasher.combine(o)
        case .native(let n): hasher.combine(7); hasher.combine(n)
        default: break
        }
    }
}

/// A Python dict: insertion-ordered, keyed with Python equality (`1`, `1.0` and `true` are one key).
public struct TemplateObject: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var keys: [TemplateValue] = []
    public private(set) var values: [TemplateValue] = []
    /// Index of keys, built once the dict is large enough for it to pay.
    private var slots: [TemplateValue: Int]?

    public init() {}

    public init(_ pairs: [(String, TemplateValue)]) {
        for (k, v) in pairs { self[.string(k)] = v }
    }

    public init(pairs: [(TemplateValue, TemplateValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        for (k, v) in elements { self[.string(k)] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    func index(of key: TemplateValue) -> Int? {
        if let slots { return slots[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: TemplateValue) -> TemplateValue? {
        get { index(of: key).map { values[$0] } }
        set {
            if let i = index(of: key) {
                if let newValue { values[i] = newValue } else { remove(at: i) }
                return
            }
            guard let newValue else { return }
            keys.append(key)
            values.append(newValue)
            if slots != nil {
                slots![key] = keys.count - 1
            } else if keys.count > 12 {
                var s: [TemplateValue: Int] = [:]
                for (i, k) in keys.enumerated() { s[k] = i }
                slots = s
            }
        }
    }

    public subscript(key: String) -> TemplateValue? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    private mutating func remove(at i: Int) {
        keys.remove(at: i)
        values.remove(at: i)
        if slots != nil {
            var s: [TemplateValue: Int] = [:]
            for (j, k) in keys.enumerated() { s[k] = j }
            slots = s
        }
    }

    public func makeIterator() -> Zip2Sequence<[TemplateValue], [TemplateValue]>.Iterator {
        zip(keys, values).makeIterator()
    }

    public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in lhs {
            guard let w = rhs[k], w == v else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)  // order-insensitive; Python dicts are unhashable anyway
    }
}
