import FathomCore

/// A fact a summary should carry: its canonical value and the other ways of writing it ("14 March 1874",
/// "March 14, 1874"; "12,500"; "7", "seven").
public struct KeyFact: Sendable, Codable, Hashable {
    /// What the fact is ("plaintiff", "filing date").
    public var name: String
    public var value: String
    public var variants: [String]
    public init(name: String, value: String, variants: [String] = []) {
        self.name = name
        self.value = value
        self.variants = variants
    }
}

/// Rule-based summary scores (no judge): which key facts a summary states, and how many of the specific values it
/// writes (numbers, capitalised names) the source contains.
public struct KeyFactScores: Sendable, Equatable {
    /// Key facts found over key facts.
    public var recall: Double
    /// Value mentions found in the source over value mentions (0 when the summary writes none).
    public var precision: Double
    /// 2PR / (P + R), 0 when both are 0.
    public var f1: Double
    /// Which key facts were found, in order.
    public var found: [Bool]
    /// Value mentions absent from the source.
    public var unsupported: [String]
    public var mentions: Int

    /// Scores `summary` against `facts` and the source's values.
    /// - Recall: a fact counts when its value or a variant appears in the summary, compared after SQuAD
    ///   normalisation (case, punctuation, articles) and bounded by whole tokens.
    /// - Precision: the summary's value mentions are its numbers (digits with separators removed) and its
    ///   capitalised words that do not start a sentence and are not in `common` (months, titles); each counts once;
    ///   a mention is supported when the source has it (`sourceNumbers`, `sourceNames`).
    public static func compute(
        summary: String, facts: [KeyFact], sourceNumbers: Set<String>, sourceNames: Set<String>, common: Set<String> = KeyFactScores.common,
        maxCharacters: Int = 100_000
    ) -> KeyFactScores {
        var scalars = String.UnicodeScalarView()
        var read = 0
        for s in summary.unicodeScalars {
            if read == maxCharacters { break }
            scalars.append(s)
            read += 1
        }
        let text = String(scalars)
        let normalized = " " + normalizeAnswer(text) + " "
        let found = facts.map { fact in
            ([fact.value] + fact.variants).contains { variant in
                let v = normalizeAnswer(variant)
                return !v.isEmpty && normalized.contains(" " + v + " ")
            }
        }
        let (numbers, names) = mentions(in: text, common: common)
        var unsupported: [String] = []
        for n in numbers.sorted() where !sourceNumbers.contains(n) { unsupported.append(n) }
        for n in names.sorted() where !sourceNames.contains(n) { unsupported.append(n) }
        let total = numbers.count + names.count
        let recall = facts.isEmpty ? 0 : Double(found.filter { $0 }.count) / Double(facts.count)
        let precision = total == 0 ? 0 : Double(total - unsupported.count) / Double(total)
        let f1 = recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision)
        return KeyFactScores(recall: recall, precision: precision, f1: f1, found: found, unsupported: unsupported, mentions: total)
    }

    /// Capitalised words that are not values.
    public static let common: Set<String> = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "I", "Judge", "Justice", "Court", "District", "Counsel", "Plaintiff", "Defendant", "Mr", "Mrs", "Ms", "Dr", "The", "A", "An", "In", "On",
        "Summary", "Case", "Crowns",
    ]

    /// The numbers (digit strings, separators removed, ordinal suffixes dropped) and the capitalised words not
    /// starting a sentence (all of them with `sentenceStarts`) of `text`.
    public static func mentions(in text: String, common: Set<String> = KeyFactScores.common, sentenceStarts: Bool = false)
        -> (numbers: Set<String>, names: Set<String>)
    {
        var numbers: Set<String> = []
        var names: Set<String> = []
        let s = Array(text.unicodeScalars)
        var i = 0
        var sentenceStart = true
        func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
        func isLetter(_ c: Unicode.Scalar) -> Bool { (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A) }
        while i < s.count {
            let c = s[i]
            if isDigit(c) {
                var digits = String.UnicodeScalarView()
                while i < s.count {
                    if isDigit(s[i]) {
                        if digits.count < 40 { digits.append(s[i]) }
                        i += 1
                    } else if (s[i] == "," || s[i] == "."), i + 1 < s.count, isDigit(s[i + 1]), !digits.isEmpty {
                        i += 1
                    } else {
                        break
                    }
                }
                numbers.insert(String(digits))
                while i < s.count, isLetter(s[i]) { i += 1 }  // 14th, 3rd
                sentenceStart = false
                continue
            }
            if isLetter(c) {
                let start = i
                while i < s.count, isLetter(s[i]) || s[i] == "-" { i += 1 }
                let word = String(String.UnicodeScalarView(s[start..<i]))
                if c.value >= 0x41 && c.value <= 0x5A, sentenceStarts || !sentenceStart, !common.contains(word) { names.insert(word) }
                sentenceStart = false
                continue
            }
            if c == "." || c == "!" || c == "?" || c == "\n" || c == ":" || c == ";" || c == "-" || c == "•" || c == "*" { sentenceStart = true }
            i += 1
        }
        return (numbers, names)
    }
}
