import FathomMetrics
import Testing

/// RULER semantics: post-process (trim, control characters to newlines, trim), then case-insensitive substrings.
@Suite struct StringMatchTests {
    @Test func allCountsTheFractionFound() {
        #expect(StringMatch.all(prediction: " 1234567, 7654321.", references: ["1234567", "7654321"]) == 1)
        #expect(StringMatch.all(prediction: "1234567", references: ["1234567", "7654321"]) == 0.5)
        #expect(StringMatch.all(prediction: "", references: ["1234567"]) == 0)
        #expect(StringMatch.all(prediction: "anything", references: []) == 0)
    }

    @Test func partNeedsAnyOne() {
        #expect(StringMatch.part(prediction: "It was Paris.", references: ["London", "paris"]) == 1)
        #expect(StringMatch.part(prediction: "It was Rome.", references: ["London", "paris"]) == 0)
    }

    @Test func matchingIsCaseInsensitive() {
        #expect(StringMatch.all(prediction: "CALM-RIVER", references: ["calm-river"]) == 1)
        #expect(StringMatch.all(prediction: "calm-river", references: ["CALM-RIVER"]) == 1)
    }

    @Test func controlCharactersBecomeNewlines() {
        #expect(StringMatch.postprocess("\t a\u{0}b\u{1f}c \n") == "a\nb\nc")
        // A reference spanning a control character no longer matches, as in RULER.
        #expect(StringMatch.all(prediction: "12\u{7}34", references: ["1234"]) == 0)
        #expect(StringMatch.all(prediction: "12\u{7}34", references: ["12\n34"]) == 1)
    }

    @Test func catalogScoresHeadlineFirst() {
        let score = MetricCatalog.score(["string_match_part", "string_match_all"], prediction: "a", references: ["a", "b"])
        #expect(score.value == 1)
        #expect(score.metrics == ["string_match_part": 1, "string_match_all": 0.5])
    }
}
