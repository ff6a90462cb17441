import FathomCore

/// Number and string literals, with jinja2's regexes: floats `(\d+_)*\d+` with a fraction and/or exponent
/// (never right after a dot), integers in base 2/8/10/16 with `_` separators, and quoted strings decoded by
/// `StringEscapes`.
extension TemplateLexer {
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `(\d+_)*\d+` starting at i; returns the end.
    func digitRun(_ i: Int) -> Int? {
        guard i < src.count, isDigit(src[i]) else { return nil }
        var j = i
        while true {
            while j < src.count, isDigit(src[j]) { j += 1 }
            if j + 1 < src.count, src[j] == 0x5F, isDigit(src[j + 1]) { j += 1 } else { return j }
        }
    }

    mutating func lexNumber() throws(FathomError) {
        let start = pos
        // Float: digits, then (optional fraction + exponent) or a required fraction; not right after a dot.
        if start == 0 || src[start - 1] != 0x2E, let intEnd = digitRun(start) {
            var fracEnd: Int?
            if intEnd < src.count, src[intEnd] == 0x2E { fracEnd = digitRun(intEnd + 1) }
            let expStart = fracEnd ?? intEnd
            var expEnd: Int?
            if expStart < src.count, src[expStart] | 0x20 == 0x65 {
                var k = expStart + 1
                if k < src.count, src[k] == 0x2B || src[k] == 0x2D { k += 1 }
                expEnd = digitRun(k)
            }
            if let end = expEnd ?? fracEnd {
                let literal = text(start, end).replacingOccurrences(of: "_", with: "")
                pos = end
                emit(.float(Double(literal) ?? .infinity), at: start)
                return
            }
        }
        // Integer: 0b / 0o / 0x, [1-9](_?\d)*, 0(_?0)*.
        var end = start + 1
        var radix = 10
        var digitsStart = start
        if src[start] == 0x30, start + 1 < src.count {
            let p = src[start + 1] | 0x20
            let r = p == 0x62 ? 2 : (p == 0x6F ? 8 : (p == 0x78 ? 16 : 0))
            if r != 0 {
                var j = start + 2
                var any = false
                while true {
                    var k = j
                    if k < src.count, src[k] == 0x5F { k += 1 }
                    guard k < src.count, let d = Character(Unicode.Scalar(src[k])).hexDigitValue, d < r else { break }
                    j = k + 1
                    any = true
                }
                if any {
                    radix = r
                    digitsStart = start + 2
                    end = j
                }
            }
        }
        if radix == 10 {
            let zero = src[start] == 0x30
            end = start + 1
            while true {
                var k = end
                if k < src.count, src[k] == 0x5F { k += 1 }
                guard k < src.count, isDigit(src[k]), !zero || src[k] == 0x30 else { break }
                end = k + 1
            }
        }
        let digits = text(digitsStart, end).replacingOccurrences(of: "_", with: "")
        guard let value = Int(digits, radix: radix) else {
            throw error("integer literal too large: \(text(start, end)) (Python ints are unbounded; this engine's are 64-bit)", at: start)
        }
        pos = end
        emit(.integer(value), at: start)
    }

    mutating func lexString() throws(FathomError) {
        let start = pos
        let quote = src[pos]
        var i = pos + 1
        while i < src.count, src[i] != quote {
            i += src[i] == 0x5C ? 2 : 1
        }
        guard i < src.count else { throw error("unexpected char \(Py.stringRepr(String(UnicodeScalar(quote))))", at: start) }
        let body = String(decoding: src[(start + 1)..<i], as: UTF8.self)
        pos = i + 1
        do {
            emit(.string(try StringEscapes.decode(body)), at: start)
        } catch {
            throw self.error(error.message, at: start)
        }
    }
}
