import FathomCore

/// A loop's items, pulled lazily through its `if` filter as jinja2's filter generator is: the filter of an
/// item runs when the loop reaches it (or when `loop.last`, `loop.nextitem` or `loop.length` look ahead), so
/// it sees what earlier iterations changed.
final class LoopSource: @unchecked Sendable {
    private let items: [TemplateValue]
    private var position = 0
    private var ahead: [TemplateValue] = []
    private let accept: ((TemplateValue) throws(FathomError) -> Bool)?

    init(items: [TemplateValue], accept: ((TemplateValue) throws(FathomError) -> Bool)?) {
        self.items = items
        self.accept = accept
    }

    private func pull() throws(FathomError) -> TemplateValue? {
        while position < items.count {
            let item = items[position]
            position += 1
            if let accept, !(try accept(item)) { continue }
            return item
        }
        return nil
    }

    func next() throws(FathomError) -> TemplateValue? {
        if !ahead.isEmpty { return ahead.removeFirst() }
        return try pull()
    }

    func peek() throws(FathomError) -> TemplateValue? {
        if ahead.isEmpty, let x = try pull() { ahead.append(x) }
        return ahead.first
    }

    /// The number of items not yet taken (running the filter over all of them).
    func remaining() throws(FathomError) -> Int {
        if accept == nil { return items.count - position + ahead.count }
        while let x = try pull() { ahead.append(x) }
        return ahead.count
    }
}

extension Interpreter {
    /// Runs a for loop over `iterable` (also re-entered by `loop(...)` in recursive loops). `definedIn` is the
    /// activation the loop statement runs in; a recursive loop's body runs in a function of its own. Returns the
    /// flow of the else branch: a `break` or `continue` there acts on the enclosing loop.
    @discardableResult
    func runLoop(_ node: ForNode, iterable: TemplateValue, depth0: Int, definedIn: Activation) throws(FathomError) -> Flow {
        var items: [TemplateValue]
        do { items = try iterate(iterable) } catch { throw located(error, node.line) }
        let saved = activation
        if node.recursive { activation = Activation(parent: definedIn, size: slotCount) }
        defer { activation = saved }
        var accept: ((TemplateValue) throws(FathomError) -> Bool)?
        if let filter = node.filter {
            var filterActivation: Activation?
            accept = { [unowned self] (item: TemplateValue) throws(FathomError) -> Bool in
                let outer = self.activation
                defer { self.activation = outer }
                if let a = filterActivation {
                    self.activation = a
                } else {
                    let a = Activation(parent: definedIn, size: self.slotCount)
                    filterActivation = a
                    self.activation = a
                    self.enter(node.filterFrame)
                }
                do throws(FathomError) { try self.assign(node.target, item) } catch { throw self.located(error, node.line) }
                return Py.truthy(try self.eval(filter))
            }
        }
        let box = LoopBox(source: LoopSource(items: items, accept: accept), depth0: depth0,
                          recursion: node.recursive ? (node, definedIn) : nil)
        let loopValue = TemplateValue.native(TemplateNative(.loop(box)))
        // jinja2 runs the else branch unless some iteration reached the end of the body (break and continue
        // skip the flag it clears there).
        var completed = false
        while let item = try box.source.next() {
            box.advance(item)
            do { try assign(node.target, item) } catch { throw located(error, node.line) }
            if let slot = node.loopSlot { activation.slots[slot] = loopValue }
            enter(node.bodyFrame)
            let flow = try execute(node.body)
            if flow == .normal { completed = true }
            if flow == .breakLoop { break }
        }
        if !(node.recursive && node.otherwise.isEmpty) { leave(node.bodyFrame) }
        if !completed && !node.otherwise.isEmpty {
            enter(node.elseFrame)
            defer { leave(node.elseFrame) }
            return try execute(node.otherwise)
        }
        return .normal
    }

    /// `loop.<name>`.
    func loopAttribute(_ box: LoopBox, _ name: String, node: Expr?) throws(FathomError) -> TemplateValue? {
        switch name {
        case "index0": return .int(box.index0)
        case "index": return .int(box.index0 + 1)
        case "revindex": return .int(try box.length() - box.index0)
        case "revindex0": return .int(try box.length() - box.index0 - 1)
        case "first": return .bool(box.index0 == 0)
        case "last": return .bool(try box.source.peek() == nil)
        case "length": return .int(try box.length())
        case "depth": return .int(box.depth0 + 1)
        case "depth0": return .int(box.depth0)
        case "previtem":
            return box.before ?? undefined(node, "UndefinedError: there is no previous item")
        case "nextitem":
            return try box.source.peek() ?? undefined(node, "UndefinedError: there is no next item")
        case "cycle", "changed":
            return .native(TemplateNative(.boundMethod(.native(TemplateNative(.loop(box))), name)))
        default: return nil
        }
    }
}

/// Python's iteration protocol and `len()` on template values.
extension Interpreter {
    /// `list(iter(value))`; consuming for generators.
    func iterate(_ v: TemplateValue) throws(FathomError) -> [TemplateValue] {
        switch v {
        case .undefined: return []
        case .array(let a), .tuple(let a): return a
        case .object(let o): return o.keys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .native(let n):
            switch n.storage {
            case .markup(let s): return s.unicodeScalars.map { .string(String($0)) }
            case .view(let kind, let o):
                switch kind {
                case .keys: return o.keys
                case .values: return o.values
                case .items: return o.map { .tuple([$0.0, $0.1]) }
                }
            case .generator(let g): return g.drain()
            case .range(let a, let b, let c): return (0..<rangeCount(a, b, c)).map { .int(a + $0 * c) }
            default: break
            }
        default: break
        }
        throw FathomError(.invalidValue, "TypeError: '\(Py.typeName(v))' object is not iterable")
    }

    /// `len(value)`.
    func length(_ v: TemplateValue) throws(FathomError) -> Int {
        switch v {
        case .undefined: return 0
        case .string(let s): return s.unicodeScalars.count
        case .array(let a), .tuple(let a): return a.count
        case .object(let o): return o.count
        case .native(let n):
            switch n.storage {
            case .markup(let s): return s.unicodeScalars.count
            case .view(_, let o): return o.count
            case .range(let a, let b, let c): return rangeCount(a, b, c)
            case .loop(let l): return try l.length()
            default: break
            }
        default: break
        }
        throw FathomError(.invalidValue, "TypeError: object of type '\(Py.typeName(v))' has no len()")
    }
}
