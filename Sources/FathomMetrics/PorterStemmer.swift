import FathomCore
// Porter stemmer, NLTK's `PorterStemmer()` in its default NLTK_EXTENSIONS mode, which is what
// `rouge_score` (`tokenizers.DefaultTokenizer(use_stemmer=True)`) calls. Written from the
// algorithm description (Porter 1980) and NLTK's documented departures from it:
// - irregular forms looked up first (sky/skies -> sky, dying -> die, lying -> lie, tying -> tie,
//   news, innings/inning -> inning, outings/outing -> outing, cannings/canning -> canning,
//   howe, proceed, exceed, succeed);
// - words of at most two characters are returned (lowercased) unchanged;
// - step 1a: a four-letter word ending in "ies" becomes "-ie";
// - step 1b: "ied" becomes "ie" for four-letter words and "i" otherwise;
// - step 1c: "y" -> "i" only after a consonant that is not the first letter;
// - step 2: "alli" -> "al" re-runs step 2, "bli" -> "ble" (not "abli"), "fulli" -> "ful",
//   "logi" -> "log" when the word minus "ogi" has m > 0;
// - the *o condition also holds for a two-letter vowel-consonant stem.
// Any code point other than a, e, i, o, u, y counts as a consonant.

/// NLTK-compatible Porter stemmer (NLTK_EXTENSIONS mode, as used by rouge-score).
public enum PorterStemmer {
    /// Stems `word` exactly as `nltk.stem.porter.PorterStemmer().stem(word)`: the word is
    /// Python-lowercased first.
    public static func stem(_ word: String) -> String {
        let original = PythonText.scalars(word)
        var w = PythonText.lower(original)
        stemInPlace(&w, originalLength: original.count)
        return PythonText.string(w)
    }

    /// Stems an already lowercased word given as code points; `originalLength` is the length of
    /// the word before lowercasing (NLTK tests it for the two-character rule).
    static func stemInPlace(_ w: inout [UInt32], originalLength: Int) {
        if let irregular = irregularForm(w) {
            w = irregular
            return
        }
        if originalLength <= 2 { return }
        step1a(&w)
        step1b(&w)
        step1c(&w)
        step2(&w)
        step3(&w)
        step4(&w)
        step5a(&w)
        step5b(&w)
    }

    // MARK: - character classes

    @inline(__always) private static func isVowel(_ c: UInt32) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75
    }
    private static let y: UInt32 = 0x79

    /// NLTK `_is_consonant(word, i)`: "y" is a consonant at the start or after a vowel.
    private static func isConsonant(_ w: [UInt32], _ i: Int) -> Bool {
        let c = w[i]
        if isVowel(c) { return false }
        if c != y { return true }
        var j = i
        var negate = false
        while j > 0 && w[j] == y {
            negate.toggle()
            j -= 1
        }
        return (!isVowel(w[j])) != negate
    }

    /// m: the number of vowel-consonant sequences in `w[0..<len]`.
    private static func measure(_ w: [UInt32], _ len: Int) -> Int {
        var m = 0
        var prevConsonant = true
        for i in 0..<len {
            let c = w[i]
            let cons: Bool
            if isVowel(c) { cons = false } else if c == y { cons = i == 0 ? true : !prevConsonant } else { cons = true }
            if i > 0 && !prevConsonant && cons { m += 1 }
            prevConsonant = cons
        }
        return m
    }

    private static func containsVowel(_ w: [UInt32], _ len: Int) -> Bool {
        var prevConsonant = true
        for i in 0..<len {
            let c = w[i]
            let cons: Bool
            if isVowel(c) { cons = false } else if c == y { cons = i == 0 ? true : !prevConsonant } else { cons = true }
            if !cons { return true }
            prevConsonant = cons
        }
        return false
    }

    private static func endsDoubleConsonant(_ w: [UInt32], _ len: Int) -> Bool {
        len >= 2 && w[len - 1] == w[len - 2] && isConsonant(w, len - 1)
    }

    /// *o: consonant-vowel-consonant, the last not w, x or y; or (NLTK) a two-letter
    /// vowel-consonant stem.
    private static func endsCVC(_ w: [UInt32], _ len: Int) -> Bool {
        if len >= 3 && isConsonant(w, len - 3) && !isConsonant(w, len - 2) && isConsonant(w, len - 1) {
            let last = w[len - 1]
            if last != 0x77 && last != 0x78 && last != y { return true }
        }
        return len == 2 && !isConsonant(w, 0) && isConsonant(w, 1)
    }

    @inline(__always)
    private static func ends(_ w: [UInt32], _ suffix: [UInt32]) -> Bool {
        let n = w.count, m = suffix.count
        if m > n { return false }
        var k = 0
        while k < m {
            if w[n - m + k] != suffix[k] { return false }
            k += 1
        }
        return true
    }

    private static func replaceSuffix(_ w: inout [UInt32], _ suffixLength: Int, _ replacement: [UInt32]) {
        w.removeLast(suffixLength)
        w.append(contentsOf: replacement)
    }

    // MARK: - rules

    private enum Condition {
        case none, positiveMeasure, measureGreaterThanOne, ion, logi
    }

    private struct Rule {
        let suffix: [UInt32]
        let replacement: [UInt32]
        let condition: Condition
        init(_ s: String, _ r: String, _ c: Condition) {
            suffix = s.unicodeScalars.map { $0.value }
            replacement = r.unicodeScalars.map { $0.value }
            condition = c
        }
    }

    /// NLTK `_apply_rule_list` for plain-suffix rules: the first rule whose suffix matches
    /// decides; if its condition fails the word is left unchanged.
    private static func apply(_ w: inout [UInt32], _ rules: [Rule]) {
        for rule in rules where ends(w, rule.suffix) {
            let stemLen = w.count - rule.suffix.count
            let ok: Bool
            switch rule.condition {
            case .none: ok = true
            case .positiveMeasure: ok = measure(w, stemLen) > 0
            case .measureGreaterThanOne: ok = measure(w, stemLen) > 1
            case .ion:
                ok = measure(w, stemLen) > 1 && (w[stemLen - 1] == 0x73 || w[stemLen - 1] == 0x74)
            case .logi: ok = measure(w, w.count - 3) > 0
            }
            if ok { replaceSuffix(&w, rule.suffix.count, rule.replacement) }
            return
        }
    }

    private static let irregular: [[UInt32]: [UInt32]] = {
        let forms: [(String, [String])] = [
            ("sky", ["sky", "skies"]), ("die", ["dying"]), ("lie", ["lying"]), ("tie", ["tying"]),
            ("news", ["news"]), ("inning", ["innings", "inning"]), ("outing", ["outings", "outing"]),
            ("canning", ["cannings", "canning"]), ("howe", ["howe"]), ("proceed", ["proceed"]),
            ("exceed", ["exceed"]), ("succeed", ["succeed"]),
        ]
        var d: [[UInt32]: [UInt32]] = [:]
        for (key, values) in forms {
            for v in values { d[v.unicodeScalars.map { $0.value }] = key.unicodeScalars.map { $0.value } }
        }
        return d
    }()

    private static func irregularForm(_ w: [UInt32]) -> [UInt32]? {
        guard w.count >= 3 && w.count <= 8 else { return nil }
        return irregular[w]
    }

    private static let sIES = Rule("ies", "", .none).suffix
    private static let step1aRules = [Rule("sses", "ss", .none), Rule("ies", "i", .none), Rule("ss", "ss", .none), Rule("s", "", .none)]

    private static func step1a(_ w: inout [UInt32]) {
        if w.count == 4 && ends(w, sIES) {
            replaceSuffix(&w, 3, [0x69, 0x65])
            return
        }
        apply(&w, step1aRules)
    }

    private static let sIED = Rule("ied", "", .none).suffix
    private static let sEED = Rule("eed", "", .none).suffix
    private static let sED = Rule("ed", "", .none).suffix
    private static let sING = Rule("ing", "", .none).suffix
    private static let sAT = Rule("at", "", .none).suffix
    private static let sBL = Rule("bl", "", .none).suffix
    private static let sIZ = Rule("iz", "", .none).suffix

    private static func step1b(_ w: inout [UInt32]) {
        if ends(w, sIED) {
            if w.count == 4 { replaceSuffix(&w, 3, [0x69, 0x65]) } else { replaceSuffix(&w, 3, [0x69]) }
            return
        }
        if ends(w, sEED) {
            if measure(w, w.count - 3) > 0 { replaceSuffix(&w, 3, [0x65, 0x65]) }
            return
        }
        var cut = 0
        if ends(w, sED) && containsVowel(w, w.count - 2) {
            cut = 2
        } else if ends(w, sING) && containsVowel(w, w.count - 3) {
            cut = 3
        }
        if cut == 0 { return }
        w.removeLast(cut)
        if ends(w, sAT) {
            w.append(0x65)  // at -> ate
        } else if ends(w, sBL) {
            w.append(0x65)  // bl -> ble
        } else if ends(w, sIZ) {
            w.append(0x65)  // iz -> ize
        } else if endsDoubleConsonant(w, w.count) {
            let last = w[w.count - 1]
            if last != 0x6C && last != 0x73 && last != 0x7A { w.removeLast() }
        } else if measure(w, w.count) == 1 && endsCVC(w, w.count) {
            w.append(0x65)
        }
    }

    private static func step1c(_ w: inout [UInt32]) {
        guard let last = w.last, last == y else { return }
        let stemLen = w.count - 1
        if stemLen > 1 && isConsonant(w, stemLen - 1) { w[stemLen] = 0x69 }
    }

    private static let sALLI = Rule("alli", "", .none).suffix
    private static let step2Rules: [Rule] = [
        Rule("ational", "ate", .positiveMeasure), Rule("tional", "tion", .positiveMeasure),
        Rule("enci", "ence", .positiveMeasure), Rule("anci", "ance", .positiveMeasure),
        Rule("izer", "ize", .positiveMeasure), Rule("bli", "ble", .positiveMeasure),
        Rule("alli", "al", .positiveMeasure), Rule("entli", "ent", .positiveMeasure),
        Rule("eli", "e", .positiveMeasure), Rule("ousli", "ous", .positiveMeasure),
        Rule("ization", "ize", .positiveMeasure), Rule("ation", "ate", .positiveMeasure),
        Rule("ator", "ate", .positiveMeasure), Rule("alism", "al", .positiveMeasure),
        Rule("iveness", "ive", .positiveMeasure), Rule("fulness", "ful", .positiveMeasure),
        Rule("ousness", "ous", .positiveMeasure), Rule("aliti", "al", .positiveMeasure),
        Rule("iviti", "ive", .positiveMeasure), Rule("biliti", "ble", .positiveMeasure),
        Rule("fulli", "ful", .positiveMeasure), Rule("logi", "log", .logi),
    ]

    private static func step2(_ w: inout [UInt32]) {
        while ends(w, sALLI) && measure(w, w.count - 4) > 0 {
            replaceSuffix(&w, 4, [0x61, 0x6C])
        }
        apply(&w, step2Rules)
    }

    private static let step3Rules: [Rule] = [
        Rule("icate", "ic", .positiveMeasure), Rule("ative", "", .positiveMeasure),
        Rule("alize", "al", .positiveMeasure), Rule("iciti", "ic", .positiveMeasure),
        Rule("ical", "ic", .positiveMeasure), Rule("ful", "", .positiveMeasure),
        Rule("ness", "", .positiveMeasure),
    ]

    private static func step3(_ w: inout [UInt32]) { apply(&w, step3Rules) }

    private static let step4Rules: [Rule] = [
        Rule("al", "", .measureGreaterThanOne), Rule("ance", "", .measureGreaterThanOne),
        Rule("ence", "", .measureGreaterThanOne), Rule("er", "", .measureGreaterThanOne),
        Rule("ic", "", .measureGreaterThanOne), Rule("able", "", .measureGreaterThanOne),
        Rule("ible", "", .measureGreaterThanOne), Rule("ant", "", .measureGreaterThanOne),
        Rule("ement", "", .measureGreaterThanOne), Rule("ment", "", .measureGreaterThanOne),
        Rule("ent", "", .measureGreaterThanOne), Rule("ion", "", .ion),
        Rule("ou", "", .measureGreaterThanOne), Rule("ism", "", .measureGreaterThanOne),
        Rule("ate", "", .measureGreaterThanOne), Rule("iti", "", .measureGreaterThanOne),
        Rule("ous", "", .measureGreaterThanOne), Rule("ive", "", .measureGreaterThanOne),
        Rule("ize", "", .measureGreaterThanOne),
    ]

    private static func step4(_ w: inout [UInt32]) { apply(&w, step4Rules) }

    private static func step5a(_ w: inout [UInt32]) {
        guard let last = w.last, last == 0x65 else { return }
        let stemLen = w.count - 1
        let m = measure(w, stemLen)
        if m > 1 || (m == 1 && !endsCVC(w, stemLen)) { w.removeLast() }
    }

    private static func step5b(_ w: inout [UInt32]) {
        let n = w.count
        guard n >= 2, w[n - 1] == 0x6C, w[n - 2] == 0x6C else { return }
        if measure(w, n - 1) > 1 { w.removeLast() }
    }
}
