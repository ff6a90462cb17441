import FathomCore

/// Reads the chosen option of a multiple-choice answer: the index (0 = A) or nil when the answer chooses no
/// single option.
///
/// HELMET (`choice_post_process`) takes exact match on the letter (raw, or the first line after "Answer:") or the
/// substring "A. option". Here, in order, on the answer (the text after the last "Answer:" label when there is one):
/// 1. a leading letter standing alone: `B`, `(B)`, `[B]`, `**B**`, `B.`, `B)`, `B: …`, `Option B`;
/// 2. else phrases naming one letter: "answer is B", "option B", "choice (B)", "B is correct";
/// 3. else the text of exactly one option (normalised, token-bounded).
/// An answer naming two different letters in step 2, or the texts of several options in step 3, or a letter followed
/// on its line by another option's text ("C. <option D>"), chooses none. The
/// answer is read up to `maxCharacters` scalars.
public func parseChoice(_ output: String, options: [String], maxCharacters: Int = 20_000) -> Int? {
    let letters = options.indices.map { UInt32(0x41 + $0) }
    var s: [UInt32] = []
    for scalar in output.unicodeScalars {
        if s.count == maxCharacters { break }
        s.append(scalar.value)
    }
    // After the last "answer:" label.
    let label = Array("answer:".unicodeScalars.map(\.value))
    var from = 0
    var i = 0
    while i + label.count <= s.count {
        var k = 0
        while k < label.count, PythonText.caseInsensitiveEqual(label[k], s[i + k]) { k += 1 }
        if k == label.count { from = i + label.count }
        i += 1
    }
    let text = Array(s[from...])
    func isLetter(_ c: UInt32) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    func isDecoration(_ c: UInt32) -> Bool { [0x20, 0x09, 0x0A, 0x0D, 0x2A, 0x28, 0x5B, 0x22, 0x27, 0x60, 0x5F].contains(c) }

    // 1. A leading letter standing alone (after decorations and an optional "option"/"choice" word).
    var j = 0
    while j < text.count, isDecoration(text[j]) { j += 1 }
    for word in ["option", "choice"] {
        let w = Array(word.unicodeScalars.map(\.value))
        if j + w.count <= text.count, (0..<w.count).allSatisfy({ PythonText.caseInsensitiveEqual(w[$0], text[j + $0]) }) {
            j += w.count
            while j < text.count, isDecoration(text[j]) || text[j] == 0x3A { j += 1 }
        }
    }
    /// "A" followed by a word is the English article ("A man named …"), unless the word joins letters ("A or B").
    func isArticle(_ k: Int) -> Bool {
        guard text[k] == 0x41, k + 2 < text.count, text[k + 1] == 0x20, isLetter(text[k + 2]) else { return false }
        var end = k + 2
        while end < text.count, isLetter(text[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(text[(k + 2)..<end].compactMap(Unicode.Scalar.init))).lowercased()
        return !["or", "and", "is", "was", "seems", "looks", "because"].contains(word)
    }
    /// Whether the word after position `k` (past spaces) is "or"/"and": "A or B" chooses no single option.
    func joinsAnother(_ k: Int) -> Bool {
        var i = k + 1
        while i < text.count, text[i] == 0x20 { i += 1 }
        var end = i
        while end < text.count, isLetter(text[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(text[i..<end].compactMap(Unicode.Scalar.init))).lowercased()
        return word == "or" || word == "and"
    }
    /// The options whose text (normalised, token-bounded) occurs in `part`.
    func optionsNamed(in part: ArraySlice<UInt32>) -> [Int] {
        let answer = " " + normalizeAnswer(PythonText.string(Array(part))) + " "
        return options.indices.filter { index in
            let option = normalizeAnswer(options[index])
            return !option.isEmpty && answer.contains(" " + option + " ")
        }
    }
    if j < text.count, let index = letters.firstIndex(of: text[j]), !isArticle(j), !joinsAnother(j) {
        let next = j + 1 < text.count ? text[j + 1] : 0x20
        if !isLetter(next) && !(next >= 0x30 && next <= 0x39) && next != 0x27 {
            // "C. <the text of option D>" contradicts itself: it chooses no single option.
            let lineEnd = text[(j + 1)...].firstIndex(of: 0x0A) ?? text.count
            let named = optionsNamed(in: text[(j + 1)..<lineEnd])
            return named.isEmpty || named.contains(index) ? index : nil
        }
    }

    // 2. Phrases naming one letter: a capital option letter standing alone as a word.
    var named: Set<Int> = []
    var k = 0
    while k < text.count {
        let c = text[k]
        if let index = letters.firstIndex(of: c) {
            let before = k > 0 ? text[k - 1] : 0x20
            let after = k + 1 < text.count ? text[k + 1] : 0x20
            let standsAlone = !isLetter(before) && !isLetter(after) && after != 0x27 && !(after >= 0x30 && after <= 0x39)
            // "A" as an English article ("a"/"A word") is not a choice unless bracketed or followed by punctuation.
            let articleLike = before != 0x28 && before != 0x5B && isArticle(k)
            if standsAlone && !articleLike { named.insert(index) }
        }
        k += 1
    }
    if named.count == 1 { return named.first }
    if named.count > 1 { return nil }

    // 3. The text of exactly one option.
    let hits = optionsNamed(in: text[...])
    return hits.count == 1 ? hits[0] : nil
}
