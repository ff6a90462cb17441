import FathomMetrics
import Testing

// Golden vectors written by scripts/metrics/make_goldens.py from the reference implementations.

private struct SquadCase: Decodable {
    let prediction: String
    let gold: String
    let norm_prediction: String
    let norm_gold: String
    let em: Bool
    let subem: Bool
    let squad_f1: MetricsGoldenFloat
    let helmet_f1: MetricsGoldenFloat
    let helmet_precision: MetricsGoldenFloat
    let helmet_recall: MetricsGoldenFloat
}

private struct ParseOutputCase: Decodable {
    let output: String
    let prefix: String
    let parsed: String
}

private struct ParseRankingsCase: Decodable {
    let output: String
    let rankings: [String: Int]
}

private struct QAMetricsCase: Decodable {
    let output: String
    let golds: [String]
    let prefix: String
    let metrics: [String: MetricsGoldenFloat]
}

private struct HelmetCases: Decodable {
    let parse_output: [ParseOutputCase]
    let parse_rankings: [ParseRankingsCase]
    let qa_metrics: [QAMetricsCase]
}

private struct RougeTriple: Decodable {
    let p: MetricsGoldenFloat
    let r: MetricsGoldenFloat
    let f: MetricsGoldenFloat
}

private struct RougeCase: Decodable {
    let prediction: String
    let reference: String
    let reference_tokens: [String]
    let rougeL: RougeTriple
    let rougeLsum: RougeTriple
}

private struct PorterCase: Decodable {
    let word: String
    let stem: String
}

private struct NDCGCase: Decodable {
    let qrels: [String: Int]
    let run: [String: Double]
    let ranking_text: String?
    let ndcg_cut_5: MetricsGoldenFloat
    let ndcg_cut_10: MetricsGoldenFloat
}

/// Code point equality (Swift `==` on String is canonical equivalence, Python's is not).
private func metricsSameScalars(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

@Suite("Golden vectors")
struct MetricsGoldenTests {
    @Test("SQuAD normalize / EM / SubEM / F1 match the Python reference")
    func squad() throws {
        let file = try MetricsFixtures.load("squad.json", as: MetricsGoldenFile<SquadCase>.self)
        #expect(file.cases.count >= 600)
        for c in file.cases {
            let label = "pred=\(c.prediction.debugDescription) gold=\(c.gold.debugDescription)"
            #expect(metricsSameScalars(normalizeAnswer(c.prediction), c.norm_prediction), "\(label) normalize")
            #expect(metricsSameScalars(normalizeAnswer(c.gold), c.norm_gold), "\(label) normalize gold")
            #expect(exactMatch(prediction: c.prediction, gold: c.gold) == c.em, "\(label) EM")
            #expect(substringExactMatch(prediction: c.prediction, gold: c.gold) == c.subem, "\(label) SubEM")
            expectMetricsGolden(tokenF1(prediction: c.prediction, gold: c.gold, yesNoSpecialCase: false).f1, c.squad_f1, "\(label) squad f1")
            let h = tokenF1(prediction: c.prediction, gold: c.gold)
            expectMetricsGolden(h.f1, c.helmet_f1, "\(label) helmet f1")
            expectMetricsGolden(h.precision, c.helmet_precision, "\(label) helmet precision")
            expectMetricsGolden(h.recall, c.helmet_recall, "\(label) helmet recall")
        }
    }

    @Test("HELMET parse_output matches")
    func parseOutputGolden() throws {
        let file = try MetricsFixtures.load("helmet.json", as: MetricsGoldenCases<HelmetCases>.self).cases
        #expect(file.parse_output.count >= 200)
        for c in file.parse_output {
            let got = parseOutput(c.output, prefix: c.prefix)
            #expect(metricsSameScalars(got, c.parsed), "output=\(c.output.debugDescription) prefix=\(c.prefix): \(got.debugDescription) vs \(c.parsed.debugDescription)")
        }
    }

    @Test("HELMET parse_rankings matches")
    func parseRankingsGolden() throws {
        let file = try MetricsFixtures.load("helmet.json", as: MetricsGoldenCases<HelmetCases>.self).cases
        #expect(file.parse_rankings.count >= 150)
        for c in file.parse_rankings {
            let got = parseRankings(c.output)
            #expect(got == c.rankings, "output=\(c.output.debugDescription): \(got) vs \(c.rankings)")
        }
    }

    @Test("HELMET default_post_process metrics match (max of raw and parsed)")
    func qaMetricsGolden() throws {
        let file = try MetricsFixtures.load("helmet.json", as: MetricsGoldenCases<HelmetCases>.self).cases
        #expect(file.qa_metrics.count >= 200)
        for c in file.qa_metrics {
            let m = helmetQAMetrics(output: c.output, golds: c.golds, prefix: c.prefix)
            let label = "output=\(c.output.debugDescription) golds=\(c.golds)"
            let pairs: [(String, Double)] = [
                ("exact_match", m.exactMatch), ("f1", m.f1), ("substring_exact_match", m.substringExactMatch),
                ("rougeL_f1", m.rougeLF1), ("rougeL_recall", m.rougeLRecall),
                ("rougeLsum_f1", m.rougeLsumF1), ("rougeLsum_recall", m.rougeLsumRecall),
            ]
            #expect(c.metrics.count == pairs.count)
            for (key, value) in pairs {
                guard let g = c.metrics[key] else {
                    Issue.record("missing \(key)")
                    continue
                }
                expectMetricsGolden(value, g, "\(label) \(key)")
            }
        }
    }

    @Test("ROUGE-L and ROUGE-Lsum match rouge_score (use_stemmer=True)")
    func rouge() throws {
        let file = try MetricsFixtures.load("rouge.json", as: MetricsGoldenFile<RougeCase>.self)
        #expect(file.cases.count >= 500)
        for c in file.cases {
            let label = "pred=\(c.prediction.debugDescription) ref=\(c.reference.debugDescription)"
            #expect(RougeTokenizer.tokenize(c.reference) == c.reference_tokens, "\(label) tokens")
            let l = rougeL(prediction: c.prediction, reference: c.reference)
            expectMetricsGolden(l.precision, c.rougeL.p, "\(label) rougeL P")
            expectMetricsGolden(l.recall, c.rougeL.r, "\(label) rougeL R")
            expectMetricsGolden(l.f1, c.rougeL.f, "\(label) rougeL F")
            let ls = rougeLsum(prediction: c.prediction, reference: c.reference)
            expectMetricsGolden(ls.precision, c.rougeLsum.p, "\(label) rougeLsum P")
            expectMetricsGolden(ls.recall, c.rougeLsum.r, "\(label) rougeLsum R")
            expectMetricsGolden(ls.f1, c.rougeLsum.f, "\(label) rougeLsum F")
            let both = rougeLAndLsum(prediction: c.prediction, reference: c.reference)
            #expect(both.rougeL == l && both.rougeLsum == ls, "\(label) combined entry point")
        }
    }

    @Test("Porter stems match nltk PorterStemmer")
    func porter() throws {
        let file = try MetricsFixtures.load("porter.json", as: MetricsGoldenFile<PorterCase>.self)
        #expect(file.cases.count >= 3000)
        var failures = 0
        for c in file.cases {
            let got = PorterStemmer.stem(c.word)
            if !metricsSameScalars(got, c.stem) {
                failures += 1
                Issue.record("stem(\(c.word.debugDescription)) = \(got.debugDescription), nltk \(c.stem.debugDescription)")
            }
        }
        #expect(failures == 0)
    }

    @Test("NDCG@5 and NDCG@10 match pytrec_eval ndcg_cut")
    func ndcg() throws {
        let file = try MetricsFixtures.load("ndcg.json", as: MetricsGoldenFile<NDCGCase>.self)
        #expect(file.cases.count >= 300)
        for c in file.cases {
            var run = c.run
            if let text = c.ranking_text {
                let parsed = parseRankings(text)
                #expect(parsed.mapValues { Double($0) } == c.run, "parse_rankings(\(text))")
                run = parsed.mapValues { Double($0) }
            }
            let label = "qrels=\(c.qrels) run=\(run)"
            expectMetricsGolden(ndcgAtK(qrels: c.qrels, run: run, k: 5), c.ndcg_cut_5, "\(label) @5")
            expectMetricsGolden(ndcgAtK(qrels: c.qrels, run: run, k: 10), c.ndcg_cut_10, "\(label) @10")
        }
    }
}
