/// Python `str` methods on Strings, by code point (never by grapheme or canonical equivalence, as Swift would).
extension PythonText {
    /// `str.isspace()` for one code point.
    public static func isSpace(_ u: Unicode.Scalar) -> Bool { isSpace(u.value) }

    public static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        if u == " " { return true }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default: return true
        }
    }

    public static func isAlpha(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    public static func isDecimal(_ u: Unicode.Scalar) -> Bool { u.properties.numericType == .decimal }
    public static func isDigit(_ u: Unicode.Scalar) -> Bool {
        let t = u.properties.numericType
        return t == .decimal || t == .digit
    }
    public static func isNumeric(_ u: Unicode.Scalar) -> Bool { u.properties.numericType != nil }
    public static func isAlnum(_ u: Unicode.Scalar) -> Bool { isAlpha(u) || isNumeric(u) }
    /// `\w` in Python's `re` (str patterns).
    public static func isWord(_ u: Unicode.Scalar) -> Bool { isWordChar(u.value) }

    // MARK: case mapping

    public static func lower(_ s: String) -> String { string(lower(scalars(s))) }

    public static func upper(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.uppercased() }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(contentsOf: u.properties.uppercaseMapping.unicodeScalars) }
        return String(out)
    }

    /// `str.title()`: title-case after an uncased character, lower-case after a cased one.
    public static func title(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars), values = scalars.map(\.value)
        var out = String.UnicodeScalarView()
        var previousCased = false
        for (i, u) in scalars.enumerated() {
            if previousCased {
                appendLower(values, at: i, to: &out)
            } else {
                out.append(contentsOf: u.properties.titlecaseMapping.unicodeScalars)
            }
            previousCased = u.properties.isCased
        }
        return String(out)
    }

    /// `str.capitalize()`: the first character title-cased, the rest lower-cased.
    public static func capitalize(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars), values = scalars.map(\.value)
        var out = String.UnicodeScalarView()
        for (i, u) in scalars.enumerated() {
            if i == 0 {
                out.append(contentsOf: u.properties.titlecaseMapping.unicodeScalars)
            } else {
                appendLower(values, at: i, to: &out)
            }
        }
        return String(out)
    }

    public static func swapcase(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars), values = scalars.map(\.value)
        var out = String.UnicodeScalarView()
        for (i, u) in scalars.enumerated() {
            if u.properties.isUppercase {
                appendLower(values, at: i, to: &out)
            } else if u.properties.isLowercase {
                out.append(contentsOf: u.properties.uppercaseMapping.unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Lower-cases code point `v[i]` in context (CPython's Final_Sigma rule for U+03A3) onto a scalar view.
    private static func appendLower(_ v: [UInt32], at i: Int, to out: inout String.UnicodeScalarView) {
        var lowered: [UInt32] = []
        appendLower(v, at: i, to: &lowered)
        for c in lowered { out.append(Unicode.Scalar(c)!) }
    }

    public static func isLower(_ s: String) -> Bool {
        var cased = false
        for u in s.unicodeScalars {
            if u.properties.isUppercase || u.properties.generalCategory == .titlecaseLetter { return false }
            if u.properties.isLowercase { cased = true }
        }
        return cased
    }

    public static func isUpper(_ s: String) -> Bool {
        var cased = false
        for u in s.unicodeScalars {
            if u.properties.isLowercase || u.properties.generalCategory == .titlecaseLetter { return false }
            if u.properties.isUppercase { cased = true }
        }
        return cased
    }

    // MARK: stripping and splitting

    /// `str.strip(chars)` (`left`/`right` select lstrip/rstrip); nil chars strip whitespace.
    public static func strip(_ s: String, _ chars: String?, left: Bool = true, right: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let strip: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? isSpace($0) }
        let v = s.unicodeScalars
        var start = v.startIndex, end = v.endIndex
        if left { while start < end, strip(v[start]) { start = v.index(after: start) } }
        if right {
            while end > start {
                let p = v.index(before: end)
                if !strip(v[p]) { break }
                end = p
            }
        }
        if start == v.startIndex && end == v.endIndex { return s }
        return String(v[start..<end])
    }

    /// `str.split()` with no separator: runs of whitespace, at most `maxsplit` splits (-1: no limit).
    public static func splitWhitespace(_ s: String, maxsplit: Int) -> [String] {
        let v = Array(s.unicodeScalars)
        var parts: [String] = []
        var i = 0
        while i < v.count {
            while i < v.count, isSpace(v[i]) { i += 1 }
            if i == v.count { break }
            if maxsplit >= 0, parts.count == maxsplit {
                parts.append(scalarsString(v[i...]))
                return parts
            }
            let start = i
            while i < v.count, !isSpace(v[i]) { i += 1 }
            parts.append(scalarsString(v[start..<i]))
        }
        return parts
    }

    /// `str.rsplit()` with no separator.
    public static func rsplitWhitespace(_ s: String, maxsplit: Int) -> [String] {
        let v = Array(s.unicodeScalars)
        var parts: [String] = []
        var i = v.count
        while i > 0 {
            while i > 0, isSpace(v[i - 1]) { i -= 1 }
            if i == 0 { break }
            if maxsplit >= 0, parts.count == maxsplit {
                parts.append(scalarsString(v[..<i]))
                break
            }
            let end = i
            while i > 0, !isSpace(v[i - 1]) { i -= 1 }
            parts.append(scalarsString(v[i..<end]))
        }
        return parts.reversed()
    }

    /// `str.split(sep, maxsplit)` for a non-empty separator (byte search on UTF-8 is code-point exact).
    public static func split(_ s: String, _ sep: String, maxsplit: Int) -> [String] {
        let hay = Array(s.utf8), needle = Array(sep.utf8)
        var parts: [String] = []
        var start = 0, i = 0
        while i + needle.count <= hay.count {
            if maxsplit >= 0, parts.count == maxsplit { break }
            if matches(hay, at: i, needle) {
                parts.append(bytesString(hay[start..<i]))
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(bytesString(hay[start...]))
        return parts
    }

    public static func rsplit(_ s: String, _ sep: String, maxsplit: Int) -> [String] {
        let hay = Array(s.utf8), needle = Array(sep.utf8)
        var parts: [String] = []
        var end = hay.count, i = hay.count - needle.count
        while i >= 0 {
            if maxsplit >= 0, parts.count == maxsplit { break }
            if matches(hay, at: i, needle) {
                parts.append(bytesString(hay[(i + needle.count)..<end]))
                end = i
                i -= needle.count
            } else {
                i -= 1
            }
        }
        parts.append(bytesString(hay[..<end]))
        return parts.reversed()
    }

    /// `str.splitlines(keepends)`.
    public static func splitlines(_ s: String, keepends: Bool = false) -> [String] {
        let v = Array(s.unicodeScalars)
        var lines: [String] = []
        var start = 0, i = 0
        while i < v.count {
            let c = v[i].value
            let isBreak = c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C || (0x1C...0x1E).contains(c) || c == 0x85
                || c == 0x2028 || c == 0x2029
            if !isBreak {
                i += 1
                continue
            }
            var next = i + 1
            if c == 0x0D, next < v.count, v[next] == "\n" { next += 1 }
            lines.append(scalarsString(v[start..<(keepends ? next : i)]))
            start = next
            i = next
        }
        if start < v.count { lines.append(scalarsString(v[start...])) }
        return lines
    }

    // MARK: searching

    public static func matches(_ hay: [UInt8], at i: Int, _ needle: [UInt8]) -> Bool {
        if i < 0 || i + needle.count > hay.count { return false }
        var k = 0
        while k < needle.count {
            if hay[i + k] != needle[k] { return false }
            k += 1
        }
        return true
    }

    public static func contains(_ s: String, _ sub: String) -> Bool { findByte(Array(s.utf8), Array(sub.utf8), from: 0) != nil }

    /// The first byte offset at or after `from` where `needle` occurs in `hay` (Python's `str.find` on UTF-8, which is
    /// code-point exact). Linear in the worst case: needles longer than 32 bytes use Knuth–Morris–Pratt, so hostile text
    /// ("aaaa…" against "aaa…b") cannot make it quadratic.
    public static func findByte(_ hay: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        if needle.isEmpty { return from <= hay.count ? from : nil }
        guard from >= 0, hay.count - from >= needle.count else { return nil }
        if needle.count > 32 { return knuthMorrisPratt(hay, needle, from: from) }
        let first = needle[0]
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == first, matches(hay, at: i, needle) { return i }
            i += 1
        }
        return nil
    }

    private static func knuthMorrisPratt(_ hay: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        // failure[k]: the length of the longest proper border of needle[0...k]
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for q in 1..<needle.count {
            while k > 0 && needle[k] != needle[q] { k = failure[k - 1] }
            if needle[k] == needle[q] { k += 1 }
            failure[q] = k
        }
        var matched = 0
        var i = from
        while i < hay.count {
            while matched > 0 && needle[matched] != hay[i] { matched = failure[matched - 1] }
            if needle[matched] == hay[i] { matched += 1 }
            if matched == needle.count { return i - needle.count + 1 }
            i += 1
        }
        return nil
    }

    /// `str.count(sub)`: non-overlapping occurrences; the empty string occurs len+1 times.
    public static func count(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return s.unicodeScalars.count + 1 }
        let hay = Array(s.utf8), needle = Array(sub.utf8)
        var n = 0, i = 0
        while let j = findByte(hay, needle, from: i) {
            n += 1
            i = j + needle.count
        }
        return n
    }

    /// `str.replace(old, new, count)`.
    public static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var out = String.UnicodeScalarView()
            var n = 0
            for u in s.unicodeScalars {
                if count < 0 || n < count { out.append(contentsOf: new.unicodeScalars); n += 1 }
                out.append(u)
            }
            if count < 0 || n < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        let hay = Array(s.utf8), needle = Array(old.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var i = 0, n = 0
        while count < 0 || n < count, let j = findByte(hay, needle, from: i) {
            out.append(contentsOf: hay[i..<j])
            out.append(contentsOf: new.utf8)
            i = j + needle.count
            n += 1
        }
        if n == 0 { return s }
        out.append(contentsOf: hay[i...])
        return String(decoding: out, as: UTF8.self)
    }

    /// The code-point index of the byte offset `byte` in `s`.
    public static func scalarIndex(_ s: [UInt8], byteOffset: Int) -> Int {
        var n = 0
        for i in 0..<byteOffset where s[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    public static func scalarsString<C: Collection>(_ c: C) -> String where C.Element == Unicode.Scalar {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: c)
        return String(v)
    }

    public static func bytesString<C: Collection>(_ c: C) -> String where C.Element == UInt8 {
        String(decoding: c, as: UTF8.self)
    }
}
