// Python-compatible text primitives on Unicode scalars.
//
// The reference implementations (SQuAD, HELMET, rouge-score) are Python 3 programs, and their
// results depend on Python's `str.lower()`, `str.isspace()`, `str.split()`, `str.strip()` and
// the `re` module's Unicode `\w`, `\d` and `\s` classes. These helpers reproduce those rules on
// Unicode scalars (code points), never on Swift `Character`s: Swift `String` equality uses
// canonical equivalence, Python compares code points. Unicode tables come from the Swift
// runtime. Checked over all of U+0000...U+10FFFF against CPython 3.11 (Unicode 14.0): `isSpace`
// is identical everywhere; `isWordChar`, `isDecimalDigit` and single-code-point `lower` differ
// only on code points unassigned in Unicode 14.0 (assigned later, e.g. CJK extensions, U+1C89),
// where Swift's newer Unicode data is used.

/// Python-compatible text primitives, Fathom's one layer of them: character classes and case mapping on code points
/// here (the metrics' hot paths work on `[UInt32]`), `str` methods on Strings in PythonStrings.swift (the Jinja
/// engine's). Used wherever parity with a Python reference matters.
public enum PythonText {
    /// `str.isspace()` for one code point (CPython's `_PyUnicode_IsWhitespace` table).
    @inline(__always)
    public static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return v == 0x20 || (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x1F)
        }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Python `re` Unicode `\d`: general category Nd.
    @inline(__always)
    public static func isDecimalDigit(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    /// Python `re` Unicode `\w`: `str.isalnum()` or `_`.
    @inline(__always)
    public static func isWordChar(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        guard let s = Unicode.Scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return s.properties.numericType != nil
        }
    }

    /// Code points of a string (UTF-8 decoded; Swift strings are always valid Unicode).
    public static func scalars(_ s: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars { out.append(u.value) }
        return out
    }

    /// String from code points.
    public static func string(_ v: some Sequence<UInt32>) -> String {
        var s = String.UnicodeScalarView()
        for c in v { if let u = Unicode.Scalar(c) { s.append(u) } }
        return String(s)
    }

    /// Python `str.lower()`: full lowercase mapping (SpecialCasing unconditional mappings,
    /// e.g. U+0130 -> "i" U+0307) plus the Final_Sigma context rule for U+03A3.
    public static func lower(_ v: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(v.count)
        for i in 0..<v.count { appendLower(v, at: i, to: &out) }
        return out
    }

    /// Appends the lowercase of code point `v[i]`, in context (Final_Sigma for U+03A3).
    @inline(__always)
    static func appendLower(_ v: [UInt32], at i: Int, to out: inout [UInt32]) {
        let c = v[i]
        if c < 0x80 {
            out.append((c >= 0x41 && c <= 0x5A) ? c | 0x20 : c)
            return
        }
        if c == 0x03A3 {
            out.append(isFinalSigma(v, i) ? 0x03C2 : 0x03C3)
            return
        }
        guard let s = Unicode.Scalar(c), s.properties.changesWhenLowercased else {
            out.append(c)
            return
        }
        for m in s.properties.lowercaseMapping.unicodeScalars { out.append(m.value) }
    }

    /// CPython `handle_capital_sigma`: cased (case-ignorable)* SIGMA !((case-ignorable)* cased).
    private static func isFinalSigma(_ v: [UInt32], _ i: Int) -> Bool {
        var j = i - 1
        var c: UInt32 = 0
        while j >= 0 {
            c = v[j]
            if !isCaseIgnorable(c) { break }
            j -= 1
        }
        var finalSigma = j >= 0 && isCased(c)
        if finalSigma && i + 1 < v.count {
            j = i + 1
            while j < v.count {
                c = v[j]
                if !isCaseIgnorable(c) { break }
                j += 1
            }
            finalSigma = j == v.count || !isCased(c)
        }
        return finalSigma
    }

    private static func isCased(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.isCased
    }

    private static func isCaseIgnorable(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.isCaseIgnorable
    }

    /// Python `s.strip()` (no argument): trims `str.isspace()` code points at both ends.
    public static func strip(_ v: ArraySlice<UInt32>) -> ArraySlice<UInt32> {
        var lo = v.startIndex, hi = v.endIndex
        while lo < hi && isSpace(v[lo]) { lo += 1 }
        while hi > lo && isSpace(v[hi - 1]) { hi -= 1 }
        return v[lo..<hi]
    }

    /// Python `s.split()` (no argument): runs of `str.isspace()` separate, empty pieces dropped.
    public static func split(_ v: [UInt32]) -> [ArraySlice<UInt32>] {
        var out: [ArraySlice<UInt32>] = []
        var i = 0
        let n = v.count
        while i < n {
            while i < n && isSpace(v[i]) { i += 1 }
            if i >= n { break }
            let start = i
            while i < n && !isSpace(v[i]) { i += 1 }
            out.append(v[start..<i])
        }
        return out
    }

    /// One code point of a pattern against one of the text under Python `re.IGNORECASE`
    /// (Unicode). Exact for ASCII pattern characters, including the four non-ASCII letters
    /// Python also accepts for them (U+0130, U+0131, U+017F, U+212A); other pattern characters
    /// compare by single-code-point lower- or uppercase mapping.
    public static func caseInsensitiveEqual(_ pattern: UInt32, _ text: UInt32) -> Bool {
        if pattern == text { return true }
        if pattern < 0x80 {
            let p = (pattern >= 0x41 && pattern <= 0x5A) ? pattern | 0x20 : pattern
            if text < 0x80 {
                let t = (text >= 0x41 && text <= 0x5A) ? text | 0x20 : text
                return p == t && p >= 0x61 && p <= 0x7A
            }
            switch p {
            case 0x69: return text == 0x0130 || text == 0x0131
            case 0x73: return text == 0x017F
            case 0x6B: return text == 0x212A
            default: return false
            }
        }
        guard let a = Unicode.Scalar(pattern), let b = Unicode.Scalar(text) else { return false }
        if let la = single(a.properties.lowercaseMapping), let lb = single(b.properties.lowercaseMapping), la == lb {
            return true
        }
        if let ua = single(a.properties.uppercaseMapping), let ub = single(b.properties.uppercaseMapping), ua == ub {
            return true
        }
        return false
    }

    private static func single(_ s: String) -> UInt32? {
        var it = s.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first.value
    }

    /// UTF-8 bytes of code points.
    public static func utf8(_ v: some Sequence<UInt32>) -> [UInt8] {
        var out: [UInt8] = []
        for c in v {
            if c < 0x80 {
                out.append(UInt8(c))
            } else if c < 0x800 {
                out.append(UInt8(0xC0 | (c >> 6)))
                out.append(UInt8(0x80 | (c & 0x3F)))
            } else if c < 0x10000 {
                out.append(UInt8(0xE0 | (c >> 12)))
                out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (c & 0x3F)))
            } else {
                out.append(UInt8(0xF0 | (c >> 18)))
                out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (c & 0x3F)))
            }
        }
        return out
    }
}
