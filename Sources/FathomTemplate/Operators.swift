import FathomCore
import Foundation

/// Python operators on template values.
enum Ops {
    static func typeError(_ message: String) -> FathomError { FathomError(.invalidValue, "TypeError: " + message) }

    /// The most characters (or elements) one repetition or padding may build: no chat template needs more, and a
    /// hostile one (`' ' * 10**10`, `tojson(indent=4294967296)`) would otherwise run for minutes or exhaust memory
    /// (found by fuzzing). Python would try; here it is an error.
    static let sizeLimit = 1 << 26

    /// Throws when `unit` repeated `count` times would exceed `sizeLimit`.
    static func checkSize(_ unit: Int, times count: Int) throws(FathomError) {
        let (total, overflow) = max(1, unit).multipliedReportingOverflow(by: max(0, count))
        guard !overflow, total <= sizeLimit else {
            throw FathomError(.invalidValue, "MemoryError: the template builds a value of \(count) × \(unit) (over \(sizeLimit))")
        }
    }

    static func intIndex(_ v: TemplateValue) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// `s[key]` for an integer key, by code point.
    static func character(_ s: String, _ key: TemplateValue) -> String? {
        guard let i = intIndex(key) else { return nil }
        if i >= 0 {
            var k = 0
            for u in s.unicodeScalars {
                if k == i { return String(u) }
                k += 1
            }
            return nil
        }
        let scalars = Array(s.unicodeScalars)
        let j = i + scalars.count
        return j >= 0 ? String(scalars[j]) : nil
    }

    /// CPython's `PySlice_AdjustIndices`: first index, element count, step.
    static func sliceIndices(_ length: Int, _ a: Int?, _ b: Int?, _ c: Int?) -> (start: Int, count: Int, step: Int) {
        let step = c ?? 1
        func adjust(_ x: Int?, _ dflt: Int) -> Int {
            guard var v = x else { return dflt }
            if v < 0 {
                v += length
                if v < 0 { v = step < 0 ? -1 : 0 }
            } else if v >= length {
                v = step < 0 ? length - 1 : length
            }
            return v
        }
        let start = adjust(a, step < 0 ? length - 1 : 0)
        let stop = adjust(b, step < 0 ? -1 : length)
        var count = 0
        if step > 0, start < stop { count = (stop - start - 1) / step + 1 }
        if step < 0, stop < start { count = (start - stop - 1) / (-step) + 1 }
        return (start, count, step)
    }

    static func slice<T>(_ items: [T], _ a: Int?, _ b: Int?, _ c: Int?) -> [T] {
        let (start, count, step) = sliceIndices(items.count, a, b, c)
        if step == 1 { return Array(items[start..<(start + count)]) }
        return (0..<count).map { items[start + $0 * step] }
    }

    static func isHashable(_ v: TemplateValue) -> Bool {
        switch v {
        case .array, .object: return false
        case .tuple(let items): return items.allSatisfy(isHashable)
        case .native(let n):
            if case .view = n.storage { return false }
            return true
        default: return true
        }
    }

    static func requireHashable(_ v: TemplateValue) throws(FathomError) {
        if !isHashable(v) { throw typeError("unhashable type: '\(Py.typeName(v))'") }
    }

    static func negate(_ v: TemplateValue) throws(FathomError) -> TemplateValue {
        switch v.number {
        case .int(let i):
            if i == Int.min { throw PyNum.overflow("-") }
            return .int(-i)
        case .double(let d): return .double(-d)
        case nil: throw typeError("bad operand type for unary -: '\(Py.typeName(v))'")
        }
    }

    static func binary(_ op: BinaryOperator, _ a: TemplateValue, _ b: TemplateValue) throws(FathomError) -> TemplateValue {
        if let x = a.number, let y = b.number { return try arithmetic(op, x, y) }
        switch op {
        case .add:
            if let s = a.text, let t = b.text {
                if a.isMarkup || b.isMarkup {
                    return .markup((a.isMarkup ? s : Py.htmlEscape(s)) + (b.isMarkup ? t : Py.htmlEscape(t)))
                }
                return .string(s + t)
            }
            switch (a, b) {
            case (.array(let x), .array(let y)): return .array(x + y)
            case (.tuple(let x), .tuple(let y)): return .tuple(x + y)
            default: break
            }
            if a.text != nil {
                throw typeError("can only concatenate str (not \"\(Py.typeName(b))\") to str")
            }
            if case .array = a { throw typeError("can only concatenate list (not \"\(Py.typeName(b))\") to list") }
            if case .tuple = a { throw typeError("can only concatenate tuple (not \"\(Py.typeName(b))\") to tuple") }
        case .mul:
            if let n = intIndex(b), let r = try repeatValue(a, n) { return r }
            if let n = intIndex(a), let r = try repeatValue(b, n) { return r }
            if a.text != nil || isSequence(a) || b.text != nil || isSequence(b) {
                let other = a.text != nil || isSequence(a) ? b : a
                throw typeError("can't multiply sequence by non-int of type '\(Py.typeName(other))'")
            }
        case .mod:
            if let s = a.text {
                // Markup % args escapes the arguments and stays Markup (markupsafe)
                if a.isMarkup { return .markup(try PercentFormat.format(s, b, escaping: true)) }
                return .string(try PercentFormat.format(s, b))
            }
        default: break
        }
        throw typeError("unsupported operand type(s) for \(op.rawValue): '\(Py.typeName(a))' and '\(Py.typeName(b))'")
    }

    private static func isSequence(_ v: TemplateValue) -> Bool {
        switch v {
        case .array, .tuple: return true
        default: return false
        }
    }

    private static func repeatValue(_ v: TemplateValue, _ n: Int) throws(FathomError) -> TemplateValue? {
        let k = max(0, n)
        switch v {
        case .string(let s): try checkSize(s.utf8.count, times: k)
        case .array(let a), .tuple(let a): try checkSize(a.count, times: k)
        case .native(let nv): if case .markup(let s) = nv.storage { try checkSize(s.utf8.count, times: k) }
        default: break
        }
        switch v {
        case .string(let s): return .string(String(repeating: s, count: k))
        case .array(let a): return .array(Array([[TemplateValue]](repeating: a, count: k).joined()))
        case .tuple(let a): return .tuple(Array([[TemplateValue]](repeating: a, count: k).joined()))
        case .native(let nv):
            if case .markup(let s) = nv.storage { return .markup(String(repeating: s, count: k)) }
            return nil
        default: return nil
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ x: PyNumber, _ y: PyNumber) throws(FathomError) -> TemplateValue {
        if case .int(let a) = x, case .int(let b) = y {
            switch op {
            case .add:
                let (r, o) = a.addingReportingOverflow(b)
                if o { throw PyNum.overflow("+") }
                return .int(r)
            case .sub:
                let (r, o) = a.subtractingReportingOverflow(b)
                if o { throw PyNum.overflow("-") }
                return .int(r)
            case .mul:
                let (r, o) = a.multipliedReportingOverflow(by: b)
                if o { throw PyNum.overflow("*") }
                return .int(r)
            case .div:
                if b == 0 { throw FathomError(.invalidValue, "ZeroDivisionError: division by zero") }
                return .double(Double(a) / Double(b))
            case .floorDiv: return .int(try PyNum.floorDiv(a, b))
            case .mod: return .int(try PyNum.mod(a, b))
            case .pow: return try PyNum.pow(a, b)
            }
        }
        let a = x.asDouble, b = y.asDouble
        switch op {
        case .add: return .double(a + b)
        case .sub: return .double(a - b)
        case .mul: return .double(a * b)
        case .div:
            if b == 0 { throw FathomError(.invalidValue, "ZeroDivisionError: float division by zero") }
            return .double(a / b)
        case .floorDiv: return .double(try PyNum.divmod(a, b, "float floor division by zero").0)
        case .mod: return .double(try PyNum.divmod(a, b, "float modulo").1)
        case .pow: return .double(try PyNum.pow(a, b))
        }
    }

    static func compare(_ op: CompareOperator, _ a: TemplateValue, _ b: TemplateValue) throws(FathomError) -> Bool {
        switch op {
        case .eq: return a == b
        case .ne: return !(a == b)
        case .in: return try contains(b, a)
        case .notIn: return !(try contains(b, a))
        case .lt, .le, .gt, .ge: return try order(op, a, b)
        }
    }

    /// Python's rich comparison for `<`, `<=`, `>`, `>=`.
    static func order(_ op: CompareOperator, _ a: TemplateValue, _ b: TemplateValue) throws(FathomError) -> Bool {
        func result(_ c: Int) -> Bool {
            switch op {
            case .lt: return c < 0
            case .le: return c <= 0
            case .gt: return c > 0
            default: return c >= 0
            }
        }
        if let x = a.number, let y = b.number {
            guard let c = compareNumbers(x, y) else { return false }
            return result(c)
        }
        if let s = a.text, let t = b.text {
            if textEqual(s, t) { return result(0) }
            return result(s.utf8.lexicographicallyPrecedes(t.utf8) ? -1 : 1)
        }
        switch (a, b) {
        case (.array(let x), .array(let y)), (.tuple(let x), .tuple(let y)):
            for (u, v) in zip(x, y) where !(u == v) { return try order(op, u, v) }
            return result(x.count < y.count ? -1 : (x.count == y.count ? 0 : 1))
        default:
            throw typeError("'\(op.rawValue)' not supported between instances of '\(Py.typeName(a))' and '\(Py.typeName(b))'")
        }
    }

    /// Python's `item in container`.
    static func contains(_ container: TemplateValue, _ item: TemplateValue) throws(FathomError) -> Bool {
        if let s = container.text {
            guard let t = item.text else {
                throw typeError("'in <string>' requires string as left operand, not \(Py.typeName(item))")
            }
            return PythonText.contains(s, t)
        }
        switch container {
        case .undefined: return false
        case .array(let a), .tuple(let a): return a.contains(item)
        case .object(let o):
            try requireHashable(item)
            return o[item] != nil
        case .native(let n):
            switch n.storage {
            case .view(.keys, let o): return isHashable(item) && o[item] != nil
            case .view(.values, let o): return o.values.contains(item)
            case .view(.items, let o):
                guard case .tuple(let kv) = item, kv.count == 2, isHashable(kv[0]), let v = o[kv[0]] else { return false }
                return v == kv[1]
            case .range(let a, let b, let c):
                guard let x = item.number, case .int(let i) = x else {
                    if case .double(let d)? = item.number, let i = Int(exactly: d) { return rangeContains(a, b, c, i) }
                    return false
                }
                return rangeContains(a, b, c, i)
            case .generator(let g):
                while let x = g.next() { if x == item { return true } }
                return false
            default: break
            }
        default: break
        }
        throw typeError("argument of type '\(Py.typeName(container))' is not iterable")
    }

    private static func rangeContains(_ a: Int, _ b: Int, _ c: Int, _ i: Int) -> Bool {
        let inBounds = c > 0 ? (i >= a && i < b) : (i <= a && i > b)
        return inBounds && (i - a) % c == 0
    }
}
