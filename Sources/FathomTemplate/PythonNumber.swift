import FathomCore
import Foundation

/// Python's numeric operations where they differ from Swift's (floor division, modulo, `round`, `int()`,
/// `float()`), exactly.
enum PyNum {
    static func overflow(_ op: String) -> FathomError {
        FathomError(.invalidValue, "integer overflow in '\(op)' (Python ints are unbounded; this engine's are 64-bit)")
    }

    static func floorDiv(_ a: Int, _ b: Int) throws(FathomError) -> Int {
        if b == 0 { throw FathomError(.invalidValue, "ZeroDivisionError: integer division or modulo by zero") }
        if a == Int.min && b == -1 { throw overflow("//") }
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    static func mod(_ a: Int, _ b: Int) throws(FathomError) -> Int {
        if b == 0 { throw FathomError(.invalidValue, "ZeroDivisionError: integer division or modulo by zero") }
        if b == -1 { return 0 }
        let r = a % b
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r
    }

    /// CPython's `float_divmod`.
    static func divmod(_ vx: Double, _ wx: Double, _ what: String = "float divmod()") throws(FathomError) -> (Double, Double) {
        if wx == 0 { throw FathomError(.invalidValue, "ZeroDivisionError: " + what) }
        var mod = fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) {
                mod += wx
                div -= 1.0
            }
        } else {
            mod = copysign(0.0, wx)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = Foundation.floor(div)
            if div - floordiv > 0.5 { floordiv += 1.0 }
        } else {
            floordiv = copysign(0.0, vx / wx)
        }
        return (floordiv, mod)
    }

    static func pow(_ a: Int, _ b: Int) throws(FathomError) -> TemplateValue {
        if b < 0 {
            if a == 0 { throw FathomError(.invalidValue, "ZeroDivisionError: 0.0 cannot be raised to a negative power") }
            return .double(Foundation.pow(Double(a), Double(b)))
        }
        var result = 1, base = a, e = b
        while e > 0 {
            if e & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: base)
                if o { throw overflow("**") }
                result = r
            }
            e >>= 1
            if e > 0 {
                let (r, o) = base.multipliedReportingOverflow(by: base)
                if o { throw overflow("**") }
                base = r
            }
        }
        return .int(result)
    }

    static func pow(_ a: Double, _ b: Double) throws(FathomError) -> Double {
        if a == 0 && b < 0 { throw FathomError(.invalidValue, "ZeroDivisionError: 0.0 cannot be raised to a negative power") }
        if a < 0 && b != b.rounded() && b.isFinite {
            throw FathomError(.invalidValue, "a negative number raised to a fractional power is complex in Python (unsupported)")
        }
        let r = Foundation.pow(a, b)
        if r.isInfinite && a.isFinite && b.isFinite { throw FathomError(.invalidValue, "OverflowError: (34, 'Numerical result out of range')") }
        return r
    }

    /// Python's `round(x, ndigits)` for floats: correctly rounded, ties to even, on the exact binary value.
    static func round(_ x: Double, _ ndigits: Int) -> Double {
        if !x.isFinite || x == 0 { return x }
        if ndigits > 325 { return x }
        if ndigits < -308 { return copysign(0.0, x) }
        let (intDigits, fracDigits) = exactDecimal(abs(x))
        var all = Array(intDigits.utf8).map { Int($0) - 48 } + Array(fracDigits.utf8).map { Int($0) - 48 }
        let pointPos = intDigits.count
        let keep = pointPos + ndigits  // digits kept (from the left)
        if keep < 0 { return copysign(0.0, x) }
        if keep >= all.count { return x }
        let rest = all[keep...]
        let first = rest.first!
        var roundUp = false
        if first > 5 {
            roundUp = true
        } else if first == 5 {
            let tail = rest.dropFirst().contains { $0 != 0 }
            let prev = keep > 0 ? all[keep - 1] : 0
            roundUp = tail || prev % 2 == 1
        }
        all = Array(all[..<keep])
        if roundUp {
            var i = all.count - 1
            var carry = true
            while carry && i >= 0 {
                all[i] += 1
                if all[i] == 10 { all[i] = 0; i -= 1 } else { carry = false }
            }
            if carry { all.insert(1, at: 0) }
        }
        let digits = all.isEmpty ? "0" : all.map { String($0) }.joined()
        // value = digits × 10^(pointPos - keep) (+1 digit if the carry grew the number)
        let exponent = pointPos - keep
        let text = digits + "e" + String(exponent)
        let r = Double(text) ?? 0
        return copysign(r, x)
    }

    /// The exact decimal expansion of a positive finite double: integer digits and fraction digits.
    static func exactDecimal(_ x: Double) -> (String, String) {
        let e = Int(x.exponent) - 52
        var m = x.significandBitPattern | (x.isNormal ? (1 << 52) : 0)
        var exp2 = e
        if !x.isNormal { exp2 = -1074 }
        while m & 1 == 0 && exp2 < 0 {
            m >>= 1
            exp2 += 1
        }
        var big = BigUInt(m)
        if exp2 >= 0 {
            for _ in 0..<exp2 { big.multiply(by: 2) }
            return (big.decimalString(), "")
        }
        // x = m / 2^k = m * 5^k / 10^k
        let k = -exp2
        for _ in 0..<k { big.multiply(by: 5) }
        var s = big.decimalString()
        if s.count <= k { s = String(repeating: "0", count: k - s.count + 1) + s }
        let cut = s.index(s.endIndex, offsetBy: -k)
        return (String(s[..<cut]), String(s[cut...]))
    }

    /// Python's `int(text, base)` (whitespace, sign, underscores between digits, 0x/0o/0b prefixes).
    static func parseInt(_ text: String, base: Int) throws(FathomError) -> Int? {
        var s = Substring(PythonText.strip(text, nil))
        var negative = false
        if let f = s.first, f == "+" || f == "-" {
            negative = f == "-"
            s = s.dropFirst()
        }
        var b = base
        let lower = s.lowercased()
        if b == 0 || b == 16 || b == 8 || b == 2, lower.count > 2 {
            let p = lower.prefix(2)
            let prefixBase = p == "0x" ? 16 : (p == "0o" ? 8 : (p == "0b" ? 2 : 0))
            if prefixBase != 0 && (b == 0 || b == prefixBase) {
                b = prefixBase
                s = s.dropFirst(2)
                if s.first == "_" { s = s.dropFirst() }
            }
        }
        if b == 0 {
            b = 10
            if s.count > 1, s.first == "0", s.contains(where: { $0 != "0" && $0 != "_" }) { return nil }
        }
        guard !s.isEmpty, s.first != "_", s.last != "_", !s.contains("__") else { return nil }
        var value = 0
        for c in s where c != "_" {
            guard let d = c.hexDigitValue ?? (c.isLetter && c.isASCII ? Int(c.lowercased().unicodeScalars.first!.value) - 87 : nil),
                  d < b else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: b)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { throw overflow("int") }
            value = a
        }
        return negative ? -value : value
    }

    /// Python's `float(text)`.
    static func parseFloat(_ text: String) -> Double? {
        var s = PythonText.strip(text, nil)
        guard !s.isEmpty else { return nil }
        let lower = s.lowercased()
        var body = Substring(lower)
        var sign = 1.0
        if let f = body.first, f == "+" || f == "-" {
            sign = f == "-" ? -1 : 1
            body = body.dropFirst()
        }
        if body == "inf" || body == "infinity" { return sign * .infinity }
        if body == "nan" { return .nan }
        // digits with single underscores between digits
        let chars = Array(s)
        for (i, c) in chars.enumerated() where c == "_" {
            guard i > 0, i + 1 < chars.count, chars[i - 1].isNumber, chars[i + 1].isNumber else { return nil }
        }
        s = s.replacingOccurrences(of: "_", with: "")
        let allowed = Set("0123456789+-.eE")
        guard s.allSatisfy({ allowed.contains($0) }), s.contains(where: { $0.isNumber }) else { return nil }
        return Double(s)
    }
}

/// A minimal unsigned big integer (multiply by small factors, print in decimal).
struct BigUInt {
    var limbs: [UInt32]  // little-endian base 2^32

    init(_ v: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)]
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by f: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let p = UInt64(limbs[i]) * UInt64(f) + carry
            limbs[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    func decimalString() -> String {
        var n = limbs
        var chunks: [UInt32] = []
        while !(n.count == 1 && n[0] == 0) && !n.isEmpty {
            var rem: UInt64 = 0
            for i in stride(from: n.count - 1, through: 0, by: -1) {
                let cur = (rem << 32) | UInt64(n[i])
                n[i] = UInt32(cur / 1_000_000_000)
                rem = cur % 1_000_000_000
            }
            chunks.append(UInt32(rem))
            while n.count > 1 && n.last == 0 { n.removeLast() }
        }
        if chunks.isEmpty { return "0" }
        var s = String(chunks.last!)
        for c in chunks.dropLast().reversed() {
            let t = String(c)
            s += String(repeating: "0", count: 9 - t.count) + t
        }
        return s
    }
}
