import FathomCore
import FathomTasks
import Testing

/// The packed-answer parser on realistic messy outputs and on hostile ones: answers matched by id, never by
/// position; a fixed denominator; bounded time.
@Suite struct PackedAnswerParserTests {
    typealias Item = PackedAnswerParser.Item
    let numbers = PackedAnswerParser(kind: .number)
    let choices = PackedAnswerParser(kind: .choice)
    /// Questions 9, 10, 11 with answers 18, 42, 7.
    let gsm = [Item(id: 9, gold: "18"), Item(id: 10, gold: "42"), Item(id: 11, gold: "7")]

    func outcomes(_ text: String, _ items: [Item]? = nil, truncated: Bool = false, parser: PackedAnswerParser? = nil) -> String {
        String((parser ?? numbers).score(text, items: items ?? gsm, truncated: truncated).outcomes.map(\.rawValue))
    }

    @Test func wellFormedAnswersInOrder() {
        let text = "Answer_9:\n3 * 6 = 18.\nThe answer is 18.\n\nAnswer_10:\n40 + 2 = 42\nThe answer is 42.\n\nAnswer_11:\nThe answer is 7."
        #expect(outcomes(text) == "ccc")
        #expect(numbers.score(text, items: gsm, truncated: false).lastID == 11)
    }

    @Test func answersOutOfOrderMatchByID() {
        // LongGenBench zips blocks to questions by position: this output would score 0 of 3 there.
        let text = "Answer_11:\nThe answer is 7.\n\nAnswer_9:\nThe answer is 18.\n\nAnswer_10:\nThe answer is 42."
        #expect(outcomes(text) == "ccc")
        #expect(numbers.score(text, items: gsm, truncated: false).lastID == 10, "the last answer in output order")
    }

    @Test func anIDAnsweredTwiceIsWrongEvenIfOneAnswerIsRight() {
        let text = "Answer_9:\nThe answer is 18.\n\nAnswer_10:\nThe answer is 42.\n\nAnswer_9:\nThe answer is 19.\n\nAnswer_11: 7"
        #expect(outcomes(text) == "dcc")
        let same = "Answer_9: The answer is 18.\nAnswer_9: The answer is 18.\nAnswer_10: 42\nAnswer_11: 7"
        #expect(outcomes(same) == "dcc")
    }

    @Test func oneLineAnswersAndNoFinalSentence() {
        // `Answer_9: 18` on one line, and a block without "The answer is": its last number.
        #expect(outcomes("Answer_9: 18\nAnswer_10: 42\nAnswer_11: 7") == "ccc")
        #expect(outcomes("Answer_9: 18 Answer_10: 41 Answer_11: 7") == "cwc")
        #expect(outcomes("Answer_9:\n12 + 6 = 18\n\nAnswer_10:\nShe has 40 + 2 = 42 left.\n\nAnswer_11:\nseven") == "ccu")
        // The final sentence wins over later numbers on other lines, and its first number counts.
        #expect(outcomes("Answer_9:\nThe answer is 18 (3 * 6).\nCheck: 6 * 3 = 18, not 17.\nAnswer_10: The answer is 42\nAnswer_11: the final answer is: 7") == "ccc")
    }

    @Test func markdownIsTolerated() {
        let text = """
            ### Answer_9:
            **Step 1:** 3 × 6 = 18
            **The answer is 18.**

            **Answer_10:** The answer is **42**.

            - **Answer_11**
            The answer is $7$.
            """
        #expect(outcomes(text) == "ccc")
        #expect(outcomes("`Answer_9`: 18\n*Answer_10* : 1,042\nANSWER_11 : 7.0") == "cwc")
        #expect(outcomes("Answer_9: The answer is 18.\nAnswer_10: The answer is 42.00\nAnswer_11: The answer is 7.5") == "ccw")
    }

    @Test func aCutOffOutputCountsTheRestAsMissing() {
        let whole = "Answer_9:\n3 * 6 = 18\nThe answer is 18.\n\nAnswer_10:\n40 + 2 = 42\nThe answer is 42.\n\nAnswer_11:\nThe answer is 7."
        let cut = String(whole.prefix(whole.count / 2))  // in the middle of Answer_10's reasoning
        #expect(outcomes(cut, truncated: true) == "cmm")
        // Cut right after a number: "The answer is 4" could be the start of 42, so it does not count.
        #expect(outcomes("Answer_9: The answer is 18.\nAnswer_10: The answer is 4", truncated: true) == "cmm")
        #expect(outcomes("Answer_9: The answer is 18.\nAnswer_10: The answer is 42.", truncated: true) == "ccm")
        // Without the truncated flag a block's last number is its answer.
        #expect(outcomes("Answer_9: The answer is 18.\nAnswer_10: 40 + 2 = 4") == "cwm")
        // Only the block being written when the output stopped is held to the stricter rule.
        #expect(outcomes("Answer_9: 18\nAnswer_10: The answer is 42.\nAnswer_11: 6 +", truncated: true) == "ccm")
    }

    @Test func missingAndForeignIDs() {
        // Example ids (1…8) the model answers again end blocks but are not scored; question 10 is missing.
        let text = "Answer_1: The answer is 5.\nAnswer_9: The answer is 18.\nAnswer_2: The answer is 42.\nAnswer_11: The answer is 7."
        #expect(outcomes(text) == "cmc")
        #expect(outcomes("") == "mmm")
        #expect(outcomes("The answer is 18.") == "mmm", "three questions asked: an unlabelled answer belongs to none")
        // References in prose are not headers: "see Answer_10," has no colon and is not alone on its line.
        #expect(outcomes("Answer_9: as in Answer_10, the answer is 18.\nAnswer_11: 7") == "cmc")
        #expect(outcomes("MyAnswer_9: 18\nAnswer_9x: 18") == "mmm")
    }

    @Test func aSingleQuestionNeedsNoLabel() {
        let one = [Item(id: 12, gold: "30")]
        #expect(outcomes("5 * 6 = 30\nThe answer is 30.", one) == "c")
        #expect(outcomes("Answer_12: 30", one) == "c")
        #expect(outcomes("Answer_3: 31\nAnswer_12: 30", one) == "c")
        #expect(outcomes("", one) == "m")
        #expect(numbers.score("The answer is 30.", items: one, truncated: false).lastID == 12)
    }

    @Test func choicesByLetterOrOptionText() {
        let options = ["Calmouth", "Dunmere", "Orbury", "Selhaven"]
        let items = [Item(id: 4, gold: "B", options: options), Item(id: 5, gold: "A", options: options), Item(id: 6, gold: "D", options: options)]
        func choice(_ text: String, truncated: Bool = false) -> String { outcomes(text, items, truncated: truncated, parser: choices) }
        #expect(choice("Answer_4:\nDunmere is it.\nThe answer is (B).\n\nAnswer_5: The answer is A\n\nAnswer_6: The answer is **D**.") == "ccc")
        #expect(choice("Answer_4: The answer is Dunmere.\nAnswer_5: The answer is calmouth\nAnswer_6: The answer is (d)") == "ccc")
        #expect(choice("Answer_4: B\nAnswer_5: (A) Calmouth\nAnswer_6: **D**") == "ccc")
        #expect(choice("Answer_4: Dunmere\nAnswer_5: A) Calmouth\nAnswer_6: Selhaven.") == "ccc")
        // "A" before a lowercase word is the article, and capital letters inside words are not options (LongGenBench
        // reads the last capital A-D anywhere, so "Do" or "Carbon" would count there).
        #expect(choice("Answer_4: The answer is A city called Dunmere (B).\nAnswer_5: Carbon Dating\nAnswer_6: The answer is (E).") == "cuu", "E is no option of four")
        #expect(choice("Answer_4: A big city.\nAnswer_5: The answer is\nAnswer_6: D") == "uuc")
        #expect(choice("Answer_4: The answer is (B).\nAnswer_5: The answer is (", truncated: true) == "cmm")
    }

    @Test func hostileOutputsAreScoredInBoundedTime() {
        // 10 MB of repeated headers, digits, nesting and code: no crash, a score, and only the first 1 MB read.
        let huge = String(repeating: "Answer_9: ((((1e999 __import__('os') ", count: 300_000)
        #expect(huge.utf8.count > 10_000_000)
        #expect(outcomes(huge) == "dmm")
        // Longer than the read limit: read as cut off there, so the unfinished block is missing.
        let digits = String(repeating: "9", count: 2_000_000)
        #expect(outcomes("Answer_9: " + digits) == "mmm")
        #expect(outcomes("Answer_9: The answer is 18.\nAnswer_10: " + digits) == "cmm")
        #expect(outcomes(String(repeating: "Answer_", count: 150_000)) == "mmm")
        #expect(outcomes(String(repeating: "[", count: 1_100_000) + "Answer_9: 18") == "mmm", "past the 1 MB read limit")
        #expect(outcomes(String(repeating: "[", count: 1_100_000) + "Answer_9: 18", parser: PackedAnswerParser(kind: .number, byteLimit: 2 << 20)) == "cmm")
        // Lone surrogates arrive as U+FFFD; other scripts and a 1e999 are just text.
        #expect(outcomes("Answer_9: \u{FFFD}18\u{FFFD}\nAnswer_10: ４２ 42\nAnswer_11: 1e999") == "ccw")
        #expect(outcomes("Answer_999999999999: 18\nAnswer_10: 42") == "mcm")
    }
}
