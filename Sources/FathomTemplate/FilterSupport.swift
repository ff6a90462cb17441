import FathomCore
import Foundation

/// Sequence helpers for filters: Python's stable `sorted`, `batch`, `slice`.
enum Sequences {
    /// Python's `sorted(items, key=..., reverse=...)`: stable, comparing keys with `<` only.
    static func sorted(_ items: [TemplateValue], keys: [TemplateValue], reverse: Bool) throws(FathomError) -> [TemplateValue] {
        var order = Array(items.indices)
        var buffer = order
        func less(_ a: Int, _ b: Int) throws(FathomError) -> Bool {
            reverse ? try Ops.order(.lt, keys[b], keys[a]) : try Ops.order(.lt, keys[a], keys[b])
        }
        // bottom-up merge sort (stable)
        var width = 1
        while width < order.count {
            var lo = 0
            while lo < order.count {
                let mid = min(lo + width, order.count), hi = min(lo + 2 * width, order.count)
                var i = lo, j = mid, k = lo
                while i < mid && j < hi {
                    if try less(order[j], order[i]) {
                        buffer[k] = order[j]
                        j += 1
                    } else {
                        buffer[k] = order[i]
                        i += 1
                    }
                    k += 1
                }
                while i < mid { buffer[k] = order[i]; i += 1; k += 1 }
                while j < hi { buffer[k] = order[j]; j += 1; k += 1 }
                lo += 2 * width
            }
            swap(&order, &buffer)
            width *= 2
        }
        return order.map { items[$0] }
    }

    static func batch(_ items: [TemplateValue], _ n: Int, _ fill: TemplateValue?) -> [TemplateValue] {
        var out: [TemplateValue] = []
        var i = 0
        while i < items.count {
            var chunk = Array(items[i..<min(i + n, items.count)])
            if let fill, chunk.count < n { chunk += Array(repeating: fill, count: n - chunk.count) }
            out.append(.array(chunk))
            i += n
        }
        return out
    }

    static func slice(_ items: [TemplateValue], _ slices: Int, _ fill: TemplateValue?) -> [TemplateValue] {
        let perSlice = items.count / slices, withExtra = items.count % slices
        var offset = 0
        var out: [TemplateValue] = []
        for n in 0..<slices {
            let start = offset + n * perSlice
            if n < withExtra { offset += 1 }
            let end = offset + (n + 1) * perSlice
            var tmp = Array(items[start..<end])
            if let fill, n >= withExtra { tmp.append(fill) }
            out.append(.array(tmp))
        }
        return out
    }
}

/// The `int`, `float` and `round` filters.
enum Conversions {
    /// `float(value)`, nil where Python raises TypeError/ValueError (the filter then uses its default).
    static func toFloat(_ v: TemplateValue) throws(FathomError) -> TemplateValue? {
        if let n = v.number { return .double(n.asDouble) }
        if let s = v.text { return PyNum.parseFloat(s).map { .double($0) } }
        return nil
    }

    /// jinja2's `do_int`: `int(value, base)` for strings, `int(value)` otherwise, then `int(float(value))`.
    static func toInt(_ v: TemplateValue, base: Int) throws(FathomError) -> TemplateValue? {
        switch v.number {
        case .int(let i): return .int(i)
        case .double(let d): return try truncate(d)
        case nil: break
        }
        guard let s = v.text else { return nil }
        if let i = try PyNum.parseInt(s, base: base) { return .int(i) }
        if let d = PyNum.parseFloat(s) { return try truncate(d) }
        return nil
    }

    /// `int(float)`: nil for inf/nan (the filter's default), an error past Int's range (Python would go big).
    private static func truncate(_ d: Double) throws(FathomError) -> TemplateValue? {
        guard d.isFinite else { return nil }
        guard let i = Int(exactly: d.rounded(.towardZero)) else { throw PyNum.overflow("int") }
        return .int(i)
    }

    static func round(_ v: TemplateValue, _ precision: TemplateValue, method: String) throws(FathomError) -> TemplateValue {
        guard let p = Ops.intIndex(precision) else {
            throw Ops.typeError("'\(Py.typeName(precision))' object cannot be interpreted as an integer")
        }
        guard let n = v.number else {
            if v.isUndefined { throw FathomError(.invalidValue, "UndefinedError: round() of an undefined value") }
            throw Ops.typeError("type \(Py.typeName(v)) doesn't define __round__ method")
        }
        if method == "common" {
            switch n {
            case .int(let i):
                if p >= 0 { return .int(i) }
                return .int(try roundInt(i, -p))
            case .double(let d):
                return .double(PyNum.round(d, p))
            }
        }
        let scale = Foundation.pow(10.0, Double(p))
        let x = n.asDouble * scale
        let r = method == "ceil" ? x.rounded(.up) : x.rounded(.down)
        guard r.isFinite else { throw FathomError(.invalidValue, "OverflowError: cannot convert float infinity to integer") }
        return .double(r / scale)
    }

    /// Python's `round(int, -k)`: to a multiple of 10^k, ties to even.
    private static func roundInt(_ i: Int, _ k: Int) throws(FathomError) -> Int {
        var m = 1
        for _ in 0..<k {
            let (r, o) = m.multipliedReportingOverflow(by: 10)
            if o { return 0 }
            m = r
        }
        let q = try PyNum.floorDiv(i, m), r = try PyNum.mod(i, m)
        let twice = r * 2
        var rounded = q
        if twice > m || (twice == m && q % 2 != 0) { rounded += 1 }
        let (res, o) = rounded.multipliedReportingOverflow(by: m)
        if o { throw PyNum.overflow("round") }
        return res
    }
}

/// `map`, `select` / `reject` / `selectattr` / `rejectattr` and `reverse`: what they yield, as generators.
extension Interpreter {
    func mapFilter(_ v: TemplateValue, _ args: TemplateArguments) throws(FathomError) -> TemplateValue {
        if !Py.truthy(v) { return .generator([]) }
        let items = try iterate(v)
        if args.positional.isEmpty, let attribute = args.keywords.first(where: { $0.name == "attribute" })?.value {
            let dflt = args.keywords.first(where: { $0.name == "default" })?.value
            if let extra = args.keywords.first(where: { $0.name != "attribute" && $0.name != "default" }) {
                throw FathomError(.invalidValue, "FilterArgumentError: Unexpected keyword argument '\(extra.name)'")
            }
            let getter = attributeGetter(attribute, default: dflt.flatMap { $0 == .none ? nil : $0 })
            return .generator(try items.map { x throws(FathomError) in try getter(x) })
        }
        guard let filterName = args.positional.first?.text else {
            throw FathomError(.invalidValue, "FilterArgumentError: map requires a filter argument")
        }
        let rest = TemplateArguments(positional: Array(args.positional.dropFirst()), keywords: args.keywords)
        var out: [TemplateValue] = []
        for item in items { out.append(try applyFilter(filterName, item, rest, node: nil)) }
        return .generator(out)
    }

    func selectFilter(_ v: TemplateValue, _ args: TemplateArguments, reject: Bool, attribute: Bool) throws(FathomError) -> TemplateValue {
        if !Py.truthy(v) { return .generator([]) }
        let items = try iterate(v)
        var getter: Getter = attributeGetter(.none)
        var offset = 0
        if attribute {
            guard let a = args.positional.first else {
                throw FathomError(.invalidValue, "FilterArgumentError: Missing parameter for attribute name")
            }
            getter = attributeGetter(a)
            offset = 1
        }
        var testName: String?
        if args.positional.count > offset {
            guard let t = args.positional[offset].text else { throw Ops.typeError("test name must be a string") }
            testName = t
        }
        let rest = TemplateArguments(positional: Array(args.positional.dropFirst(offset + 1)), keywords: args.keywords)
        var out: [TemplateValue] = []
        for item in items {
            let x = try getter(item)
            let ok = try testName.map { t throws(FathomError) in try applyTest(t, x, rest, inputNode: nil) } ?? Py.truthy(x)
            if ok != reject { out.append(item) }
        }
        return .generator(out)
    }

    func reverseFilter(_ v: TemplateValue) throws(FathomError) -> TemplateValue {
        switch v {
        case .array(let a): return .generator(a.reversed(), "list_reverseiterator")
        case .tuple(let a): return .generator(a.reversed(), "reversed")
        case .object(let o): return .generator(o.keys.reversed(), "dict_reversekeyiterator")
        case .undefined: return .generator([], "reversed")
        case .native(let n):
            switch n.storage {
            case .range: return .generator(try iterate(v).reversed(), "range_iterator")
            case .view(let k, _): return .generator(try iterate(v).reversed(), k == .items ? "dict_reverseitemiterator" : (k == .keys ? "dict_reversekeyiterator" : "dict_reversevalueiterator"))
            case .generator: return .array(try iterate(v).reversed())
            default: break
            }
        default: break
        }
        throw FathomError(.invalidValue, "FilterArgumentError: argument must be iterable")
    }
}
