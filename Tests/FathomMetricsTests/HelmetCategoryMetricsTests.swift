import FathomCore
import FathomMetrics
import Foundation
import Testing

private struct RerankNDCGCase: Decodable {
    let style: String
    let qrels: [String: Int]
    let run: [String: Double]
    let ndcg_cut_5: MetricsGoldenFloat
    let ndcg_cut_10: MetricsGoldenFloat
}

/// The metrics of HELMET's categories as Fathom rebuilds them: NDCG@10 on re-rank-shaped cases against pytrec_eval,
/// the ranking parser on messy answers, citation recall/precision on hand-worked fixtures, multiple-choice letters
/// and key-fact summaries, and every parser on hostile input.
@Suite struct HelmetCategoryMetricsTests {
    @Test("NDCG@5/@10 on re-rank-shaped qrels and runs match pytrec_eval bit for bit")
    func ndcgMatchesPytrecEval() throws {
        let file = try MetricsFixtures.load("helmet_ndcg_rerank.json", as: MetricsGoldenFile<RerankNDCGCase>.self)
        #expect(file.cases.count == 150)
        #expect(Set(file.cases.map(\.style)) == ["perfect", "reversed", "shuffled", "cut", "missing", "unjudged"])
        for c in file.cases {
            expectMetricsGolden(ndcgAtK(qrels: c.qrels, run: c.run, k: 10), c.ndcg_cut_10, "\(c.style) @10")
            expectMetricsGolden(ndcgAtK(qrels: c.qrels, run: c.run, k: 5), c.ndcg_cut_5, "\(c.style) @5")
        }
        // The perfect rankings score 1, and a run that misses every relevant passage scores 0.
        #expect(file.cases.filter { $0.style == "perfect" }.allSatisfy { $0.ndcg_cut_10.v == 1 })
        #expect(file.cases.filter { $0.style == "missing" }.allSatisfy { c in
            c.ndcg_cut_10.v < 1 && (c.qrels.values.filter { $0 >= 2 }.count < c.qrels.count || c.ndcg_cut_10.v == 0)
        })
    }

    // MARK: Ranking parser

    let ids: Set<String> = ["123456", "234567", "345678", "4567890", "56789"]

    func parse(_ text: String, truncated: Bool = false) -> ParsedRanking { parseRanking(text, ids: ids, truncated: truncated) }

    @Test func decoratedChainsAreRead() {
        for text in [
            "Ranking: 123456 > 234567 > 345678", "[ID: 123456] > [ID: 234567] > [ID: 345678]", "**123456** > **234567** > **345678**",
            "ID123456 > ID234567 > ID345678", "123456 >\n234567 >\n345678", "`123456` > `234567` > `345678` (most to least relevant)",
        ] {
            let parsed = parse(text)
            #expect(parsed.ids == ["123456", "234567", "345678"] && parsed.format == .chain, "\(text)")
        }
    }

    @Test func listsAndProseAreReadInOrder() {
        // HELMET keeps the longest `\d+( > \d+)*` run: one number of a numbered list.
        let list = "Here is the ranking:\n1. 234567\n2. 123456\n3. 345678"
        #expect(parse(list).ids == ["234567", "123456", "345678"] && parse(list).format == .list)
        #expect(parseRankings(list).count == 1)
        let prose = "The most relevant document is 345678, followed by 123456. Document 234567 is unrelated."
        #expect(parse(prose).ids == ["345678", "123456", "234567"])
        // Reasoning first, then the list after the last label.
        let reasoning = "I looked at 345678 and 56789 first.\nRanking:\n1. 123456\n2. 234567"
        #expect(parse(reasoning).ids == ["123456", "234567"])
        // A chain after reasoning wins over the mentions.
        #expect(parse("345678 mentions the query. Ranking: 123456 > 234567 > 345678").ids == ["123456", "234567", "345678"])
    }

    @Test func duplicatesUnknownIDsAndCutOffs() {
        let duplicated = parse("123456 > 234567 > 123456 > 345678")
        #expect(duplicated.ids == ["123456", "234567", "345678"] && duplicated.duplicates == 1)
        #expect(duplicated.run == ["123456": 3, "234567": 2, "345678": 1])
        let unknown = parse("123456 > 999999 > 234567")
        #expect(unknown.ids == ["123456", "234567"] && unknown.unknown == 1)
        // A ranking cut by max_tokens: the last number may be the start of a longer ID.
        let cut = parse("123456 > 234567 > 4567890", truncated: true)
        #expect(cut.ids == ["123456", "234567"] && cut.droppedCutOff)
        #expect(parse("123456 > 234567 > 4567890").ids == ["123456", "234567", "4567890"])
        #expect(parse("123456 > 234567 > 45", truncated: true).ids == ["123456", "234567"])
        #expect(parse("").format == .none && parse("no idea").ids.isEmpty && parse("1 > 2 > 3").ids.isEmpty)
    }

    @Test func parsedRankingsScoreWithTrecEvalSemantics() {
        let qrels = ["123456": 3, "234567": 2, "345678": 0, "4567890": 1, "56789": 0]
        let ideal = parse("Ranking: 123456 > 234567 > 4567890")
        #expect(ndcgAtK(qrels: qrels, run: ideal.run, k: 10) == 1)
        // The numbered list HELMET reads as one ID is read whole here.
        let list = parse("1. 123456\n2. 234567\n3. 4567890")
        #expect(ndcgAtK(qrels: qrels, run: list.run, k: 10) == 1)
        let reversed = parse("4567890 > 234567 > 123456")
        let value = ndcgAtK(qrels: qrels, run: reversed.run, k: 10)
        #expect(value > 0 && value < 1)
    }

    // MARK: Citations (hand-worked)

    /// Five documents; the 1874 edition's winner is stated in document 2, the 1881 edition's in document 4.
    let asqa = CitationSupport(
        answers: [
            .init(value: "Orla Marwick", key: "1874", documents: [2]), .init(value: "Corwin Dale", key: "1881", documents: [4]),
        ], decoys: ["Tamsin Rowe"], documentCount: 5)

    @Test func citationRecallAndPrecisionFollowALCEsRules() {
        // s1 supported by its one citation; s2 supported by [4], and [1] is an over-citation; s3 names a decoy.
        let output = "The 1874 Velar Regatta was won by Orla Marwick [2]. The 1881 edition was won by Corwin Dale [4][1]. Tamsin Rowe also competed [3]."
        let statements = Citations.sentences(output)
        #expect(statements.map(\.citations) == [[2], [4, 1], [3]])
        let scores = CitationScores.compute(statements, support: asqa)
        #expect(scores.recall == 2.0 / 3.0)
        #expect(scores.precision == 2.0 / 4.0)  // precise: [2], [4]; over-cited: [1]; unsupported: [3]
        #expect(scores.citations == 4 && scores.overcited == 1 && scores.supported == 2)
        // Each answer's document alone is not enough for a sentence naming both: neither citation is over-cited.
        let both = CitationScores.compute(Citations.sentences("Orla Marwick and Corwin Dale each won a regatta [2, 4]."), support: asqa)
        #expect(both.recall == 1 && both.precision == 1)
    }

    @Test func citationEdgeCases() {
        func score(_ text: String) -> CitationScores { CitationScores.compute(Citations.sentences(text), support: asqa) }
        // The right winner with the wrong edition's year is not supported.
        let swapped = score("Orla Marwick won the 1881 edition [2].")
        #expect(swapped.recall == 0 && swapped.precision == 0 && swapped.citations == 1)
        // Markers after the full stop belong to the sentence before them.
        let after = score("Orla Marwick won the 1874 race. [2] Corwin Dale won in 1881. [4]")
        #expect(after.statements == 2 && after.recall == 1 && after.precision == 1)
        // Out of range: 0, and not counted among the citations (as ALCE). [0] is out of range too.
        let outOfRange = score("Orla Marwick won in 1874 [9]. Corwin Dale won in 1881 [0].")
        #expect(outOfRange.recall == 0 && outOfRange.citations == 0 && outOfRange.precision == 0)
        // At most three citations count.
        let many = score("Orla Marwick won in 1874 [1][3][5][2].")
        #expect(many.recall == 0 && many.citations == 3)
        // No statement at all scores 0 (ALCE leaves such answers out of its mean).
        let empty = score("")
        #expect(empty.recall == 0 && empty.precision == 0 && empty.statements == 0)
        #expect(score("Mr. Corwin Dale won in 1881 [4].").statements == 1)
        #expect(Citations.removed("Orla Marwick won [2][3]. Corwin Dale won [Doc 4].") == "Orla Marwick won. Corwin Dale won.")
    }

    @Test func listItemsAreReadWithoutALCEsCommaPitfalls() {
        let support = CitationSupport(
            answers: [.init(value: "Alden Marwick", documents: [1]), .init(value: "Briony Hale", documents: [3]), .init(value: "Caspian Rowe", documents: [5])],
            decoys: ["Delphine Ash"], documentCount: 5)
        let items = Citations.listItems("Alden Marwick [1], Briony Hale [2], Delphine Ash [4], and Caspian Rowe [5].")
        #expect(items.map(\.claim) == ["Alden Marwick", "Briony Hale", "Delphine Ash", "Caspian Rowe"])
        let scores = CitationScores.compute(items, support: support)
        #expect(scores.recall == 0.5 && scores.precision == 0.5)
        let bullets = Citations.listItems("- Alden Marwick [1]\n- Briony Hale [3]\n* Caspian Rowe [5]")
        #expect(bullets.map(\.claim) == ["Alden Marwick", "Briony Hale", "Caspian Rowe"])
        #expect(CitationScores.compute(bullets, support: support).recall == 1)
        // Commas inside a bracket do not split an item.
        #expect(Citations.listItems("Alden Marwick [1, 3], Briony Hale [3]").map(\.citations) == [[1, 3], [3]])
        #expect(Citations.listItems("1. Alden Marwick [1]\n2. Briony Hale [3]").map(\.claim) == ["Alden Marwick", "Briony Hale"])
    }

    // MARK: Choices

    @Test func choiceLettersAreReadFromMessyAnswers() {
        let options = ["Orla Marwick", "Corwin Dale", "Alden Rowe", "Tamsin Ash"]
        let cases: [(String, Int?)] = [
            ("B", 1), (" B", 1), ("(B)", 1), ("**B**", 1), ("B.", 1), ("B) Corwin Dale", 1), ("Answer: C", 2), ("The answer is D.", 3),
            ("Option B", 1), ("I think the answer is (A).", 0), ("Corwin Dale", 1), ("It was Alden Rowe who gave it.", 2),
            ("A or B", nil), ("", nil), ("I don't know", nil), ("Both Orla Marwick and Corwin Dale", nil), ("[C]", 2),
            ("A man named Corwin Dale", 1), ("Answer: B\n\nExplanation: not A.", 1), ("E", nil),
            // A letter with another option's text contradicts itself (SmolLM2 wrote "C. <option D>").
            ("C. Tamsin Ash", nil), ("C. Alden Rowe", 2), ("C: it was Tamsin Ash, not Alden Rowe", 2), ("C\nTamsin Ash is wrong", 2),
        ]
        for (text, expected) in cases { #expect(parseChoice(text, options: options) == expected, "\(text)") }
    }

    // MARK: Key facts

    @Test func keyFactsAreMatchedByCanonicalValuesAndVariants() {
        let facts = [
            KeyFact(name: "plaintiff", value: "Orla Marwick"), KeyFact(name: "filing date", value: "14 March 1874", variants: ["March 14, 1874"]),
            KeyFact(name: "damages", value: "12,500", variants: ["12500"]), KeyFact(name: "witnesses", value: "7", variants: ["seven"]),
        ]
        let source: (numbers: Set<String>, names: Set<String>) = (["14", "1874", "12500", "7", "3"], ["Orla", "Marwick", "Velar", "Foundry", "March"])
        let good = KeyFactScores.compute(
            summary: "Orla Marwick sued the Velar Foundry. The complaint was filed on March 14, 1874, claiming 12500 crowns; seven witnesses testified.",
            facts: facts, sourceNumbers: source.numbers, sourceNames: source.names)
        #expect(good.recall == 1 && good.precision == 1 && good.f1 == 1)
        let invented = KeyFactScores.compute(
            summary: "On 2 May 1875, Orla Marwick won 12,500 crowns from Judge Tamsin Ashworth.", facts: facts, sourceNumbers: source.numbers,
            sourceNames: source.names)
        #expect(invented.recall == 0.5)  // the plaintiff and the damages
        // Mentions: 2, 1875, 12500 (numbers) and Orla, Marwick, Tamsin, Ashworth (names; "On" starts the sentence,
        // "May" and "Judge" are common): 2, 1875, Tamsin, Ashworth are not in the source.
        #expect(invented.mentions == 7 && Set(invented.unsupported) == ["2", "1875", "Tamsin", "Ashworth"])
        #expect(invented.precision == 3.0 / 7.0)
        let empty = KeyFactScores.compute(summary: "", facts: facts, sourceNumbers: source.numbers, sourceNames: source.names)
        #expect(empty.f1 == 0 && empty.precision == 0 && empty.recall == 0)
        // A number inside a longer one is not the fact ("127" is not "7").
        #expect(!KeyFactScores.compute(summary: "127 people", facts: [facts[3]], sourceNumbers: [], sourceNames: []).found[0])
    }

    // MARK: Hostile input

    @Test func parsersStayBoundedOnHostileAnswers() {
        let huge = String(repeating: "123456 > [ID: 9] ", count: 600_000)  // about 10 MB
        #expect(parseRanking(huge, ids: ids, truncated: true).ids == ["123456"])
        #expect(Citations.sentences(huge).count <= 1)
        #expect(Citations.listItems(String(repeating: "a [1], ", count: 1_000_000)).count <= Citations.maxCharacters)
        #expect(parseChoice(huge, options: ["x", "y"]) == nil)
        let keyFacts = KeyFactScores.compute(summary: huge, facts: [KeyFact(name: "n", value: "9")], sourceNumbers: ["9"], sourceNames: [])
        #expect(keyFacts.found == [true] && keyFacts.unsupported == ["123456", "ID"])  // 9 is in the source
        for weird in ["\u{FFFD}\u{FFFD}[1]", "[\u{0}]", "__import__('os') [1e999]", String(repeating: "[", count: 10_000), "\u{202E}B\u{202C}"] {
            _ = parseRanking(weird, ids: ids, truncated: false)
            _ = Citations.sentences(weird)
            _ = Citations.listItems(weird)
            _ = parseChoice(weird, options: ["a", "b"])
            _ = KeyFactScores.compute(summary: weird, facts: [], sourceNumbers: [], sourceNames: [])
        }
        #expect(Citations.listItems("x [99999999999999999999]").first?.citations == [Int.max])
    }
}
