import FathomCore

/// The arguments of a call made by a template: positional ones, then keyword ones in source order.
public struct TemplateArguments: Sendable {
    public var positional: [TemplateValue]
    public var keywords: [(name: String, value: TemplateValue)]

    public init(positional: [TemplateValue] = [], keywords: [(name: String, value: TemplateValue)] = []) {
        self.positional = positional
        self.keywords = keywords
    }
}

/// A host function callable from a template. Errors it throws surface from `render` with the template line.
public typealias TemplateFunctionBody = @Sendable (TemplateArguments) throws(FathomError) -> TemplateValue

extension TemplateValue {
    /// A function the template can call, e.g. `raise_exception` or `strftime_now`.
    public static func function(_ name: String, _ body: @escaping TemplateFunctionBody) -> TemplateValue {
        .native(TemplateNative(.function(FunctionBox(name: name, body: .host(body)))))
    }
}

/// A value that exists only while a template renders. Its contents are internal to the engine.
public struct TemplateNative: Sendable, Hashable {
    indirect enum Storage: Sendable {
        /// A string marked safe (markupsafe's `Markup`): prints as its text; `+` escapes a plain-string partner.
        case markup(String)
        case namespace(NamespaceBox)
        case function(FunctionBox)
        /// `receiver.name` where `name` is a Python method of the receiver's type.
        case boundMethod(TemplateValue, String)
        case macro(MacroBox)
        case loop(LoopBox)
        /// `dict.keys()`, `dict.values()`, `dict.items()`.
        case view(ViewKind, TemplateObject)
        /// A one-shot iterator (what `map`, `select`, `reverse`, ... return in jinja2).
        case generator(GeneratorBox)
        case range(Int, Int, Int)
    }

    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    public static func == (lhs: TemplateNative, rhs: TemplateNative) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.markup(let a), .markup(let b)): return textEqual(a, b)
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.function(let a), .function(let b)): return a === b
        case (.boundMethod(let a, let m), .boundMethod(let b, let n)): return m == n && a == b
        case (.macro(let a), .macro(let b)): return a === b
        case (.loop(let a), .loop(let b)): return a === b
        case (.view(let k, let a), .view(let l, let b)): return k == l && k != .values && a == b
        case (.generator(let a), .generator(let b)): return a === b
        case (.range(let a, let b, let c), .range(let d, let e, let f)):
            let x = rangeCount(a, b, c), y = rangeCount(d, e, f)
            if x != y { return false }
            if x == 0 { return true }
            return a == d && (x == 1 || c == f)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .markup(let s): hasher.combine(TemplateValue.string(s))
        case .namespace(let b): hasher.combine(ObjectIdentifier(b))
        case .function(let b): hasher.combine(ObjectIdentifier(b))
        case .boundMethod(_, let n): hasher.combine(n)
        case .macro(let b): hasher.combine(ObjectIdentifier(b))
        case .loop(let b): hasher.combine(ObjectIdentifier(b))
        case .view(let k, _): hasher.combine(k)
        case .generator(let b): hasher.combine(ObjectIdentifier(b))
        case .range: hasher.combine(8)
        }
    }
}

enum ViewKind: String, Sendable { case keys, values, items }

/// The number of elements of Python's `range(start, stop, step)`.
func rangeCount(_ start: Int, _ stop: Int, _ step: Int) -> Int {
    if step > 0 { return start < stop ? Int((Int64(stop) - Int64(start) - 1) / Int64(step) + 1) : 0 }
    return start > stop ? Int((Int64(start) - Int64(stop) - 1) / Int64(-step) + 1) : 0
}

/// `namespace(...)`: the one mutable object a template may assign attributes on.
final class NamespaceBox: @unchecked Sendable {
    var attributes: TemplateObject
    init(_ attributes: TemplateObject) { self.attributes = attributes }
}

final class FunctionBox: Sendable {
    enum Body: Sendable {
        case host(TemplateFunctionBody)
        case builtin(@Sendable (TemplateArguments) throws(FathomError) -> TemplateValue)
    }
    let name: String
    let body: Body
    init(name: String, body: Body) {
        self.name = name
        self.body = body
    }
}

/// A macro (or a call block's `caller`) with the activation it was defined in (its closure).
final class MacroBox: @unchecked Sendable {
    let definition: MacroDefinition
    let activation: Activation
    init(definition: MacroDefinition, activation: Activation) {
        self.definition = definition
        self.activation = activation
    }
}

/// jinja2's `LoopContext`.
final class LoopBox: @unchecked Sendable {
    let source: LoopSource
    var index0 = -1
    var current: TemplateValue?
    /// The previous item (nil before the second iteration).
    var before: TemplateValue?
    let depth0: Int
    var lastChanged: TemplateValue?
    /// For `{% for ... recursive %}`: the loop to re-enter and the activation its statement runs in.
    let recursion: (node: ForNode, activation: Activation)?

    init(source: LoopSource, depth0: Int, recursion: (node: ForNode, activation: Activation)?) {
        self.source = source
        self.depth0 = depth0
        self.recursion = recursion
    }

    func advance(_ item: TemplateValue) {
        index0 += 1
        before = current
        current = item
    }

    /// `loop.length`: items taken so far plus those left (running the loop filter over the rest).
    func length() throws(FathomError) -> Int { index0 + 1 + (try source.remaining()) }
}

final class GeneratorBox: @unchecked Sendable {
    let typeName: String
    var items: [TemplateValue]
    var position = 0
    init(_ items: [TemplateValue], typeName: String = "generator") {
        self.items = items
        self.typeName = typeName
    }

    /// Takes all remaining items (iteration consumes a Python iterator).
    func drain() -> [TemplateValue] {
        let rest = position == 0 ? items : Array(items[position...])
        position = items.count
        return rest
    }

    func next() -> TemplateValue? {
        guard position < items.count else { return nil }
        position += 1
        return items[position - 1]
    }
}

extension TemplateValue {
    static func markup(_ s: String) -> TemplateValue { .native(TemplateNative(.markup(s))) }
    static func generator(_ items: [TemplateValue], _ typeName: String = "generator") -> TemplateValue {
        .native(TemplateNative(.generator(GeneratorBox(items, typeName: typeName))))
    }
    static func builtin(_ name: String, _ body: @escaping @Sendable (TemplateArguments) throws(FathomError) -> TemplateValue)
        -> TemplateValue {
        .native(TemplateNative(.function(FunctionBox(name: name, body: .builtin(body)))))
    }
}
