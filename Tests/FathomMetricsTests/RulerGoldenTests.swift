import FathomCore
import FathomMetrics
import Testing

// Golden vectors written by scripts/metrics/make_goldens.py from RULER's own postprocess_pred, string_match_all and
// string_match_part (Python, code points): adversarial Unicode where grapheme clusters, canonical equivalence or
// Swift's lowercasing would disagree with Python.

private struct RulerCase: Decodable {
    let prediction: String
    let references: [String]
    let postprocessed: String
    let string_match_all: MetricsGoldenFloat
    let string_match_part: MetricsGoldenFloat
}

@Suite struct RulerGoldenTests {
    private static let cases: [RulerCase] = {
        do { return try MetricsFixtures.load("ruler.json", as: MetricsGoldenFile<RulerCase>.self).cases } catch {
            fatalError("ruler.json: \(error)")
        }
    }()

    @Test func postprocessEqualsRULERCodePointForCodePoint() {
        #expect(Self.cases.count >= 400)
        for c in Self.cases {
            let mine = StringMatch.postprocess(c.prediction)
            #expect(PythonText.scalars(mine) == PythonText.scalars(c.postprocessed), "postprocess \(Array(c.prediction.unicodeScalars))")
        }
    }

    @Test func stringMatchAllAndPartEqualRULER() {
        var failures = 0
        for c in Self.cases {
            let all = StringMatch.all(prediction: c.prediction, references: c.references)
            let part = StringMatch.part(prediction: c.prediction, references: c.references)
            if all.bitPattern != c.string_match_all.exact.bitPattern || part != c.string_match_part.exact { failures += 1 }
            expectMetricsGolden(all, c.string_match_all, "string_match_all \(c.prediction.unicodeScalars.map(\.value)) \(c.references)")
            #expect(part == c.string_match_part.exact, "string_match_part \(c.prediction.unicodeScalars.map(\.value)) \(c.references)")
        }
        #expect(failures == 0, "\(failures) of \(Self.cases.count) cases differ from RULER")
    }

    /// The case from the issue, by name: a combining accent after a digit must not hide the number.
    @Test func combiningMarkAfterADigitIsStillAHit() {
        #expect(StringMatch.all(prediction: "The magic number is 4721\u{301}.", references: ["4721"]) == 1)
        #expect(StringMatch.part(prediction: "\u{1F1FA}\u{1F1F8}\u{1F1EC}\u{1F1E7}", references: ["\u{1F1F8}\u{1F1EC}"]) == 1)
        // Canonically equivalent but different code points: Python says no, so must Fathom.
        #expect(StringMatch.all(prediction: "cafe\u{301}", references: ["caf\u{E9}"]) == 0)
        // Python's lower() knows the Greek final sigma.
        #expect(StringMatch.all(prediction: "\u{3BF}\u{3B4}\u{3BF}\u{3C2}", references: ["\u{39F}\u{394}\u{39F}\u{3A3}"]) == 1)
    }

    /// Hostile output: a long prediction that nearly matches everywhere stays linear.
    @Test func longNearMissesStayLinear() {
        let prediction = String(repeating: "a", count: 300_000)
        #expect(StringMatch.all(prediction: prediction, references: [String(repeating: "a", count: 3000) + "b"]) == 0)
        #expect(StringMatch.part(prediction: prediction + "b", references: [String(repeating: "a", count: 3000) + "b"]) == 1)
    }
}
