import FathomCore

/// One statement of a cited answer: a sentence (ASQA-style answers) or a list item (QAMPARI-style answers).
public struct CitedStatement: Sendable, Equatable {
    /// The statement with its citation markers removed, stripped.
    public var claim: String
    /// Cited document numbers in the order written (1-based as in the prompt; repeats kept, as ALCE keeps them).
    public var citations: [Int]
    public init(claim: String, citations: [Int]) {
        self.claim = claim
        self.citations = citations
    }
}

/// Reading citations and statements out of an answer (after ALCE's `eval_alce.py`), without its failure modes:
/// - markers are `[3]`, `[3][5]`, `[3, 5]`, `[3; 5]`, `[Doc 3]`, `[Document 3]` (ALCE reads only the first number of
///   a bracket, and `[0]` as the last document);
/// - sentences split at `.`, `!`, `?` before a capital, digit, quote or bracket (not after common abbreviations or
///   initials), line breaks count as spaces (as ALCE makes them); markers written after a sentence's full stop
///   (`… won. [2] The …`) belong to that sentence, not the next (NLTK gives them to the next);
/// - list items split at commas, semicolons and line breaks outside brackets, with bullets, numbering and a
///   leading "and" removed (ALCE splits at commas only, so "A, B, and C" yields "and C" and a bulleted list one
///   item).
public enum Citations {
    /// Scalars read from an answer; the rest is ignored.
    public static let maxCharacters = 200_000

    static func scalars(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(min(text.utf8.count, maxCharacters))
        for s in text.unicodeScalars {
            if out.count == maxCharacters { break }
            out.append(s.value == 0x0A || s.value == 0x0D ? 0x20 : s.value)
        }
        return out
    }

    static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt32) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isLetter(_ c: UInt32) -> Bool { isUpper(c) || (c >= 0x61 && c <= 0x7A) }

    /// If a citation marker starts at `i`, its end (exclusive) and document numbers.
    static func marker(_ s: [UInt32], at i: Int) -> (end: Int, ids: [Int])? {
        guard i < s.count, s[i] == 0x5B else { return nil }
        var j = i + 1
        // Optional "Doc" / "Document" / "ID" word.
        var word = 0
        while j < s.count, isLetter(s[j]), word < 8 {
            j += 1
            word += 1
        }
        if word > 0 {
            let text = String(String.UnicodeScalarView(s[(i + 1)..<j].compactMap(Unicode.Scalar.init))).lowercased()
            guard ["doc", "document", "id", "source"].contains(text) else { return nil }
            while j < s.count, s[j] == 0x20 || s[j] == 0x3A { j += 1 }
        }
        var ids: [Int] = []
        while j < s.count {
            guard isDigit(s[j]) else { return nil }
            var value = 0
            var digits = 0
            while j < s.count, isDigit(s[j]) {
                if digits < 9 { value = value * 10 + Int(s[j] - 0x30) }
                digits += 1
                j += 1
            }
            ids.append(digits > 9 ? Int.max : value)
            while j < s.count, s[j] == 0x20 { j += 1 }
            guard j < s.count else { return nil }
            if s[j] == 0x5D { return (j + 1, ids) }
            guard s[j] == 0x2C || s[j] == 0x3B else { return nil }
            j += 1
            while j < s.count, s[j] == 0x20 { j += 1 }
        }
        return nil
    }

    /// The text without citation markers (spaces before a marker dropped) and the markers' numbers, in order.
    static func strip(_ s: ArraySlice<UInt32>) -> (text: [UInt32], ids: [Int]) {
        let a = Array(s)
        var text: [UInt32] = []
        text.reserveCapacity(a.count)
        var ids: [Int] = []
        var i = 0
        while i < a.count {
            if let (end, found) = marker(a, at: i) {
                while let last = text.last, last == 0x20 { text.removeLast() }
                ids += found
                i = end
                continue
            }
            text.append(a[i])
            i += 1
        }
        return (text, ids)
    }

    static func trimmed(_ s: [UInt32]) -> String {
        var lo = 0
        var hi = s.count
        while lo < hi, PythonText.isSpace(s[lo]) { lo += 1 }
        while hi > lo, PythonText.isSpace(s[hi - 1]) { hi -= 1 }
        return PythonText.string(s[lo..<hi])
    }

    static let abbreviations: Set<String> = ["mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "jr", "sr", "prof", "mt", "ft"]

    /// The answer's sentences of at least 5 characters (after ALCE), each with its citations.
    public static func sentences(_ output: String) -> [CitedStatement] {
        let s = scalars(output)
        var pieces: [ArraySlice<UInt32>] = []
        var start = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            guard c == 0x2E || c == 0x21 || c == 0x3F else { i += 1; continue }
            var end = i + 1
            while end < s.count, s[end] == 0x22 || s[end] == 0x27 || s[end] == 0x29 || s[end] == 0x201D || s[end] == 0x2019 { end += 1 }
            // Markers right after the stop belong to this sentence.
            var j = end
            while true {
                var k = j
                while k < s.count, s[k] == 0x20 { k += 1 }
                if let (markerEnd, _) = marker(s, at: k) { j = markerEnd; end = markerEnd } else { break }
            }
            var k = end
            while k < s.count, PythonText.isSpace(s[k]) { k += 1 }
            let atEnd = k == s.count
            let next = atEnd ? 0 : s[k]
            let startsSentence = atEnd || (k > end && (isUpper(next) || isDigit(next) || next == 0x22 || next == 0x201C || next == 0x5B || next == 0x2A))
            if startsSentence && c == 0x2E && !endsSentence(s, dotAt: i) { i += 1; continue }
            if startsSentence {
                pieces.append(s[start..<end])
                start = k
                i = k
                continue
            }
            i += 1
        }
        if start < s.count { pieces.append(s[start..<s.count]) }
        return pieces.compactMap { piece in
            let (text, ids) = strip(piece)
            let claim = trimmed(text)
            let whole = trimmed(Array(piece))
            guard whole.unicodeScalars.count >= 5 else { return nil }
            return CitedStatement(claim: claim, citations: ids)
        }
    }

    /// Whether the full stop at `dotAt` ends a sentence: not after an initial ("J.") or a common abbreviation.
    static func endsSentence(_ s: [UInt32], dotAt i: Int) -> Bool {
        var j = i
        while j > 0, isLetter(s[j - 1]) { j -= 1 }
        let word = s[j..<i]
        if word.count == 1, isUpper(word.first!) { return false }
        if word.count <= 4 {
            let lower = String(String.UnicodeScalarView(word.compactMap(Unicode.Scalar.init))).lowercased()
            if abbreviations.contains(lower) { return false }
        }
        return true
    }

    /// The answer's list items (QAMPARI-style), each with its citations.
    public static func listItems(_ output: String) -> [CitedStatement] {
        var s: [UInt32] = []
        var raw: [UInt32] = []
        raw.reserveCapacity(min(output.utf8.count, maxCharacters))
        for scalar in output.unicodeScalars {
            if raw.count == maxCharacters { break }
            raw.append(scalar.value)
        }
        s = raw
        var items: [ArraySlice<UInt32>] = []
        var start = 0
        var i = 0
        while i < s.count {
            if let (end, _) = marker(s, at: i) { i = end; continue }
            let c = s[i]
            if c == 0x2C || c == 0x3B || c == 0x0A || c == 0x0D {
                items.append(s[start..<i])
                start = i + 1
            }
            i += 1
        }
        items.append(s[start..<s.count])
        return items.compactMap { item in
            let (text, ids) = strip(item)
            var claim = trimmed(text)
            claim = cleanItem(claim)
            guard !claim.isEmpty else { return nil }
            return CitedStatement(claim: claim, citations: ids)
        }
    }

    /// An item without a bullet, numbering, a leading "and"/"or" or a final full stop.
    static func cleanItem(_ item: String) -> String {
        var s = Substring(item)
        func dropPrefix(_ p: String) -> Bool {
            if s.lowercased().hasPrefix(p) {
                s = s.dropFirst(p.count)
                return true
            }
            return false
        }
        var changed = true
        while changed {
            changed = false
            s = s.drop { $0 == " " || $0 == "\t" }
            for bullet in ["- ", "* ", "• ", "and ", "or "] where dropPrefix(bullet) { changed = true }
            if let dot = s.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot > s.startIndex, s[dot] == "." || s[dot] == ")" {
                let after = s.index(after: dot)
                if after == s.endIndex || s[after] == " " {
                    s = s[after...]
                    changed = true
                }
            }
        }
        while let last = s.last, last == "." || last == " " || last == "*" { s = s.dropLast() }
        while let first = s.first, first == "*" { s = s.dropFirst() }
        return String(s)
    }

    /// The answer with every citation marker removed (for answer metrics).
    public static func removed(_ output: String) -> String {
        trimmed(strip(scalars(output)[...]).text)
    }
}

/// The fact index of one cited question: which documents state each answer, and the other values of the answers'
/// type in the context (claims no document supports for this question). Entailment is rule-based: a claim is
/// supported by a set of documents when it names at least one value, every value it names is an answer stated in
/// one of those documents, and every facet key it names (an edition's year, say) is the key of one of its answers.
public struct CitationSupport: Sendable, Codable, Hashable {
    public struct Answer: Sendable, Codable, Hashable {
        public var value: String
        /// The facet the answer belongs to (ASQA-like questions), e.g. the year of an edition.
        public var key: String?
        /// Documents (1-based) that state it.
        public var documents: [Int]
        public init(value: String, key: String? = nil, documents: [Int]) {
            self.value = value
            self.key = key
            self.documents = documents
        }
    }

    public var answers: [Answer]
    public var decoys: [String]
    public var documentCount: Int

    public init(answers: [Answer], decoys: [String], documentCount: Int) {
        self.answers = answers
        self.decoys = decoys
        self.documentCount = documentCount
    }

    enum CodingKeys: String, CodingKey { case answers, decoys, documentCount = "document_count" }

    /// " normalized text " for token-bounded containment.
    static func padded(_ text: String) -> String { " " + normalizeAnswer(text) + " " }

    /// Indices of the answers a claim names, whether it names a decoy, and the facet keys it names.
    func mentions(_ claim: String) -> (answers: [Int], decoy: Bool, keys: Set<String>) {
        let text = Self.padded(claim)
        var found: [Int] = []
        var keys: Set<String> = []
        for (i, answer) in answers.enumerated() {
            let value = normalizeAnswer(answer.value)
            if !value.isEmpty, text.contains(" " + value + " ") { found.append(i) }
            if let key = answer.key, text.contains(" " + normalizeAnswer(key) + " ") { keys.insert(key) }
        }
        let decoy = decoys.contains { decoy in
            let value = normalizeAnswer(decoy)
            return !value.isEmpty && text.contains(" " + value + " ")
        }
        return (found, decoy, keys)
    }

    /// Whether `documents` (1-based) support `claim`.
    public func entails(_ documents: [Int], _ claim: String) -> Bool {
        let (found, decoy, keys) = mentions(claim)
        guard !found.isEmpty, !decoy else { return false }
        let cited = Set(documents)
        for i in found where !answers[i].documents.contains(where: cited.contains) { return false }
        let ownKeys = Set(found.compactMap { answers[$0].key })
        return keys.isSubset(of: ownKeys)
    }
}

/// ALCE's citation recall and precision, computed from a fact index instead of an NLI model.
public struct CitationScores: Sendable, Equatable {
    /// Mean over statements of "the cited documents support it" (0 without a valid citation).
    public var recall: Double
    /// Supporting citations over all citations counted (ALCE's over-citation rule for statements with several).
    public var precision: Double
    public var statements: Int
    public var citations: Int
    public var supported: Int
    public var overcited: Int

    /// ALCE `compute_autoais` with `entails` in place of the NLI model: per statement, no citation or one out of
    /// range gives 0; else at most `atMost` citations count and the joint set must support the statement. With
    /// several citations a supported statement's citation is precise when it supports the statement alone or the
    /// others fail without it; a single citation is precise when it supports. An answer with no statement scores
    /// 0 and 0 (ALCE leaves it out of the mean).
    public static func compute(_ statements: [CitedStatement], support: CitationSupport, atMost: Int = 3) -> CitationScores {
        var entailed = 0
        var precise = 0
        var total = 0
        var overcited = 0
        for statement in statements {
            var refs = statement.citations
            var joint = false
            if refs.isEmpty || refs.contains(where: { $0 < 1 || $0 > support.documentCount }) {
                joint = false
            } else {
                refs = Array(refs.prefix(atMost))
                total += refs.count
                joint = support.entails(refs, statement.claim)
            }
            if joint { entailed += 1 }
            if joint && refs.count > 1 {
                for r in refs {
                    if support.entails([r], statement.claim) {
                        precise += 1
                    } else {
                        var rest = refs
                        rest.remove(at: rest.firstIndex(of: r)!)
                        if support.entails(rest, statement.claim) { overcited += 1 } else { precise += 1 }
                    }
                }
            } else if joint {
                precise += 1
            }
        }
        let n = statements.count
        return CitationScores(
            recall: n == 0 ? 0 : Double(entailed) / Double(n), precision: total == 0 ? 0 : Double(precise) / Double(total),
            statements: n, citations: total, supported: entailed, overcited: overcited)
    }
}
