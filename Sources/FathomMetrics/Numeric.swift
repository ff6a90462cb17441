// Numbers in free text and tolerant numeric comparison (LongGenBench-style arithmetic answers,
// HoloBench-style aggregates).

/// A number found in text, with its position (UTF-8 byte offsets into the source string).
public struct ExtractedNumber: Sendable, Equatable {
    public var value: Double
    /// The matched text, e.g. "-1,234.5".
    public var text: String
    public var utf8Range: Range<Int>
}

/// Extracts the numbers of `text`, left to right. ASCII only, scanned on UTF-8 bytes.
///
/// Grammar: `[+-]? digits ( . digits )? ( [eE] [+-]? digits )?` or `[+-]? . digits ...`, where
/// `digits` may contain thousands separators written as `,` followed by exactly three digits
/// ("1,234,567"; "1,23" yields 1 and 23). A sign counts only when it does not
/// follow a letter, digit or `.` (so "COVID-19" yields 19, "3-4" yields 3 and 4). An exponent is
/// taken only when at least one digit follows it. A trailing `.` is not part of the number
/// ("It was 42." yields 42), and a digit run right after a number's `.` starts no new number
/// ("1.5.3" yields 1.5). Percent signs and units are ignored ("15%" yields 15).
public func extractNumbers(_ text: String) -> [ExtractedNumber] {
    var out: [ExtractedNumber] = []
    var s = text
    s.withUTF8 { b in
        let n = b.count
        func isDigit(_ i: Int) -> Bool { i < n && b[i] >= 0x30 && b[i] <= 0x39 }
        func isAlnumOrDot(_ i: Int) -> Bool {
            let c = b[i]
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c >= 0x80
        }
        var i = 0
        while i < n {
            let start = i
            var j = i
            var negative = false
            if (b[j] == 0x2D || b[j] == 0x2B) && (j == 0 || !isAlnumOrDot(j - 1)) {
                negative = b[j] == 0x2D
                j += 1
            }
            var intDigits: [UInt8] = []
            var fracDigits: [UInt8] = []
            let afterSign = j
            // a number cannot start in the middle of a digit run or right after '.'
            if j > 0 && j == i && (isDigit(j - 1) || b[j - 1] == 0x2E) && (isDigit(j) || b[j] == 0x2E) {
                i += 1
                continue
            }
            while isDigit(j) {
                intDigits.append(b[j])
                j += 1
                // thousands separator: ',' followed by exactly three digits and then no digit
                if j < n && b[j] == 0x2C && isDigit(j + 1) && isDigit(j + 2) && isDigit(j + 3) && !isDigit(j + 4) {
                    intDigits.append(b[j + 1]); intDigits.append(b[j + 2]); intDigits.append(b[j + 3])
                    j += 4
                    // continue only if another separator group follows
                    while j < n && b[j] == 0x2C && isDigit(j + 1) && isDigit(j + 2) && isDigit(j + 3) && !isDigit(j + 4) {
                        intDigits.append(b[j + 1]); intDigits.append(b[j + 2]); intDigits.append(b[j + 3])
                        j += 4
                    }
                    break
                }
            }
            if j < n && b[j] == 0x2E && isDigit(j + 1) {
                j += 1
                while isDigit(j) { fracDigits.append(b[j]); j += 1 }
            }
            if intDigits.isEmpty && fracDigits.isEmpty {
                i = max(i + 1, afterSign)
                continue
            }
            var expDigits: [UInt8] = []
            var expNegative = false
            if j < n && (b[j] == 0x65 || b[j] == 0x45) {
                var k = j + 1
                var neg = false
                if k < n && (b[k] == 0x2D || b[k] == 0x2B) { neg = b[k] == 0x2D; k += 1 }
                if isDigit(k) {
                    while isDigit(k) { expDigits.append(b[k]); k += 1 }
                    expNegative = neg
                    j = k
                }
            }
            var literal = String(decoding: intDigits.isEmpty ? [0x30] : intDigits, as: UTF8.self)
            if !fracDigits.isEmpty { literal += "." + String(decoding: fracDigits, as: UTF8.self) }
            if !expDigits.isEmpty { literal += (expNegative ? "e-" : "e") + String(decoding: expDigits, as: UTF8.self) }
            if var value = Double(literal) {
                if negative { value = -value }
                out.append(ExtractedNumber(value: value, text: String(decoding: UnsafeBufferPointer(rebasing: b[start..<j]), as: UTF8.self),
                                           utf8Range: start..<j))
            }
            i = j
        }
    }
    return out
}

/// Which number of the prediction is compared with the gold.
public enum NumberSelection: Sendable {
    case first, last, any
}

/// `math.isclose` semantics: |a - b| <= max(relative * max(|a|, |b|), absolute).
public func isClose(_ a: Double, _ b: Double, relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 0) -> Bool {
    if a == b { return true }
    if a.isInfinite || b.isInfinite || a.isNaN || b.isNaN { return false }
    let diff = abs(a - b)
    return diff <= max(relativeTolerance * max(abs(a), abs(b)), absoluteTolerance)
}

/// True when the selected number extracted from `prediction` (see `extractNumbers`) is close to
/// `gold` under `isClose`; false when the prediction has no number.
public func numericMatch(prediction: String, gold: Double, select: NumberSelection = .last,
                         relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 0) -> Bool {
    let numbers = extractNumbers(prediction)
    func ok(_ x: ExtractedNumber) -> Bool {
        isClose(x.value, gold, relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
    }
    switch select {
    case .first: return numbers.first.map(ok) ?? false
    case .last: return numbers.last.map(ok) ?? false
    case .any: return numbers.contains(where: ok)
    }
}
