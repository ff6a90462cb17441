import FathomMetrics
import Testing

@Suite("Edge cases")
struct MetricsEdgeCaseTests {
    @Test("normalizeAnswer: empty, punctuation only, articles, unicode")
    func normalize() {
        #expect(normalizeAnswer("") == "")
        #expect(normalizeAnswer("?!...,;") == "")
        #expect(normalizeAnswer("The a an") == "")
        #expect(normalizeAnswer("  Hello,   World!  ") == "hello world")
        #expect(normalizeAnswer("theater anathema") == "theater anathema")
        // "_" is punctuation, so "the_cat" becomes "thecat" before articles are removed
        #expect(normalizeAnswer("the_cat") == "thecat")
        // Python lowercases U+0130 to "i" + U+0307
        #expect(normalizeAnswer("\u{130}stanbul").unicodeScalars.map(\.value) == [0x69, 0x307, 0x73, 0x74, 0x61, 0x6E, 0x62, 0x75, 0x6C])
        // final sigma
        #expect(normalizeAnswer("ΟΔΟΣ").unicodeScalars.last?.value == 0x3C2)
        #expect(normalizeAnswer("ΣΑ").unicodeScalars.first?.value == 0x3C3)
        // non-ASCII punctuation is kept; U+00A0 and U+3000 are whitespace
        #expect(normalizeAnswer("«x»\u{A0}the\u{3000}y") == "«x» y")
        // an article glued to a letter (Unicode \w) is not a word
        #expect(normalizeAnswer("éthe") == "éthe")
        // a combining mark is not a word character, so "the" before it is removed
        #expect(normalizeAnswer("the\u{301}").unicodeScalars.map(\.value) == [0x301])
    }

    @Test("EM / SubEM compare code points, not canonical equivalence")
    func codePoints() {
        #expect(!exactMatch(prediction: "e\u{301}", gold: "\u{E9}"))
        #expect(exactMatch(prediction: "The Cat!", gold: "cat"))
        #expect(substringExactMatch(prediction: "it was the cat", gold: "Cat"))
        #expect(!substringExactMatch(prediction: "", gold: "cat"))
        // an empty normalised gold is a substring of everything (Python "" in s)
        #expect(substringExactMatch(prediction: "anything", gold: "The!"))
        #expect(substringExactMatch(prediction: "", gold: ""))
        #expect(exactMatch(prediction: "", gold: "a"))
        #expect(!exactMatch(prediction: "x", golds: []))
        #expect(substringExactMatch(prediction: "paris france", golds: ["London", "Paris"]))
    }

    @Test("token F1 edge cases")
    func f1() {
        #expect(tokenF1(prediction: "", gold: "") == .zero)
        #expect(tokenF1(prediction: "", gold: "cat") == .zero)
        #expect(tokenF1(prediction: "cat", gold: "") == .zero)
        #expect(tokenF1(prediction: "yes", gold: "yes indeed") == .zero)
        #expect(tokenF1(prediction: "yes", gold: "yes indeed", yesNoSpecialCase: false).f1 == 2 * 1.0 * 0.5 / 1.5)
        #expect(tokenF1(prediction: "No", gold: "no.").f1 == 1)
        #expect(tokenF1(prediction: "no answer", gold: "noanswer") == .zero)
        let r = tokenF1(prediction: "cat cat dog", gold: "cat dog dog")
        #expect(r.precision == 2.0 / 3.0 && r.recall == 2.0 / 3.0)
        #expect(tokenF1(prediction: "x y", golds: ["z", "y"]) == 2 * 0.5 * 1.0 / 1.5)
        // "a" is an article, so "a b" normalises to "b"
        #expect(tokenF1(prediction: "a b", golds: ["b"]) == 1)
        #expect(tokenF1(prediction: "x y", golds: []) == 0)
    }

    @Test("parseOutput")
    func parseOutputCases() {
        #expect(parseOutput("Answer: Paris\nmore") == "Paris")
        #expect(parseOutput("answer:Answer: 42") == "42")
        #expect(parseOutput("first line\nAnswer is below") == "first line")
        #expect(parseOutput("") == "")
        #expect(parseOutput("\n\nx") == "")
        #expect(parseOutput("Corresponding value: abc-123 \nx", prefix: "Corresponding value:") == "abc-123")
        // U+0130 matches "i" under Python re.IGNORECASE
        #expect(parseOutput("ANSW\u{130}R: z".replacingOccurrences(of: "\u{130}", with: "E"), prefix: "Answer:") == "z")
        #expect(parseOutput("l\u{212A}: v", prefix: "lk:") == "v")
    }

    @Test("parseRankings")
    func parseRankingsCases() {
        #expect(parseRankings("[ID: 3] > [ID: 1] > [ID: 2]") == ["3": 3, "1": 2, "2": 1])
        #expect(parseRankings("Ranking: ID3 > ID1 > ID2") == ["3": 3, "1": 2, "2": 1])
        #expect(parseRankings("3 > 1 > 3") == ["3": 3, "1": 2])
        #expect(parseRankings("12 > 5, then 7 > 8 > 9") == ["7": 3, "8": 2, "9": 1])
        #expect(parseRankings("1 > 2 >") == ["1": 2, "2": 1])
        #expect(parseRankings("No Numbers") == ["no numbers": 1])
        #expect(parseRankings("") == ["": 1])
    }

    @Test("ROUGE edge cases")
    func rouge() {
        #expect(rougeL(prediction: "", reference: "") == .zero)
        #expect(rougeL(prediction: "cat", reference: "") == .zero)
        #expect(rougeL(prediction: "!!!", reference: "cat") == .zero)
        #expect(rougeLsum(prediction: "\n\n", reference: "cat") == .zero)
        #expect(rougeL(prediction: "The cats", reference: "the cat").f1 == 1)
        #expect(rougeLsum(prediction: "b\na", reference: "a\nb").f1 == 1)
        #expect(rougeL(prediction: "b a", reference: "a b").f1 == 0.5)
        #expect(RougeTokenizer.tokenize("Running, RUNS; ran 1990s!") == ["run", "run", "ran", "1990"])
        #expect(RougeTokenizer.tokenize("\u{130}stanbul \u{212A}elvin café") == ["i", "stanbul", "kelvin", "caf"])
        #expect(RougeTokenizer.tokenize("中文 ÄÖÜ") == [])
        // CRLF: "\r" is a separator, sentences still split on "\n" only
        #expect(rougeLsum(prediction: "a b\r\nc", reference: "a b c").f1 == 1)
    }

    @Test("Porter stemmer spot checks")
    func porter() {
        let pairs = [("caresses", "caress"), ("ponies", "poni"), ("ties", "tie"), ("running", "run"), ("agreed", "agre"),
                     ("relational", "relat"), ("generalizations", "gener"), ("sky", "sky"), ("skies", "sky"), ("dying", "die"),
                     ("a", "a"), ("is", "is"), ("", ""), ("happy", "happi"), ("Running", "run")]
        for (w, s) in pairs { #expect(PorterStemmer.stem(w) == s, "\(w)") }
    }

    @Test("NDCG edge cases")
    func ndcg() {
        #expect(ndcgAtK(qrels: ["a": 0], run: ["a": 1.0], k: 10) == 0)
        #expect(ndcgAtK(qrels: ["a": 1], run: [String: Double](), k: 10) == 0)
        #expect(ndcgAtK(qrels: ["a": 3, "b": 1], run: ["a": 2.0, "b": 1.0], k: 10) == 1)
        // ties: docno descending, so "b" is ranked first
        let tied = ndcgAtK(qrels: ["a": 1], run: ["a": 1.0, "b": 1.0], k: 1)
        #expect(tied == 0)
        #expect(meanNDCGAtK(qrels: ["q": ["a": 1]], runs: ["q": ["a": 1.0], "r": ["a": 1.0]], k: 5) == 1)
        #expect(meanNDCGAtK(qrels: [:], runs: ["q": ["a": 1.0]], k: 5) == nil)
        #expect(ndcgAtK(qrels: ["1": 2, "2": 0], run: parseRankings("1 > 2"), k: 10) == 1)
    }
}
