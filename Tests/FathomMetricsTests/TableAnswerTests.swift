import FathomCore
import FathomMetrics
import Testing

/// Answer tables against typed gold tables: messy but right answers score 1, wrong ones lose exactly what they
/// should, hostile ones neither crash nor take long.
@Suite struct TableAnswerTests {
    let salaries = ExpectedTable(
        header: ["name", "salary"], kinds: [.text, .integer],
        rows: [["Aurel Velarwick", "12400"], ["Edda Thalmont", "9850"], ["the Orvell Foundry", "1234567"]], ordered: false)
    let averages = ExpectedTable(
        header: ["profession", "average_salary"], kinds: [.text, .real], rows: [["engineer", "41233.333333333336"], ["clerk", "12000.5"]],
        ordered: false)
    let ranking = ExpectedTable(
        header: ["name", "price"], kinds: [.text, .real], rows: [["A", "9.5"], ["B", "7.25"], ["C", "3"], ["D", "1"]], ordered: true)

    func f1(_ answer: String, _ table: ExpectedTable, truncated: Bool = false) -> Double {
        TableAnswer.score(answer, expected: table, options: TableAnswerOptions(truncated: truncated)).f1
    }

    @Test func theRenderedGoldScoresOne() {
        for table in [salaries, averages, ranking] { #expect(f1(table.renderTSV(), table) == 1) }
        #expect(averages.renderTSV() == "profession\taverage_salary\nengineer\t41233.33\nclerk\t12000.50")
        let empty = ExpectedTable(header: ["name"], kinds: [.text], rows: [], ordered: false)
        #expect(empty.renderTSV() == "no rows" && f1("no rows", empty) == 1 && f1("", empty) == 0)
    }

    @Test func messyButRightTablesScoreOne() {
        let answers = [
            // extra columns, reordered columns
            "name\tcity\tsalary\nAurel Velarwick\tX\t12400\nEdda Thalmont\tY\t9850\nthe Orvell Foundry\tZ\t1234567",
            "salary\tname\n12400\tAurel Velarwick\n9850\tEdda Thalmont\n1234567\tOrvell Foundry",
            // thousands separators and units, case, emphasis
            "NAME\tSalary\n**aurel velarwick**\t12,400 crowns\nEdda Thalmont\t9,850.0\nOrvell Foundry.\t1,234,567 crowns",
            // a Markdown table with prose around it, in a fence
            "Here is the table:\n\n```\n| name | salary |\n|:---|---:|\n| Aurel Velarwick | 12400 |\n| Edda Thalmont | 9850 |\n| the Orvell Foundry | 1234567 |\n```\nHope this helps.",
            // columns aligned with spaces, a table prefix on the header
            "people.name        salary\nAurel Velarwick    12400\nEdda Thalmont      9850\nOrvell Foundry     1234567",
            // no header at all, by position
            "Aurel Velarwick\t12400\nEdda Thalmont\t9850\nOrvell Foundry\t1234567",
            // a draft table first, the final one last
            "name\tsalary\nWrong Person\t1\n\nFinal answer:\nname\tsalary\nAurel Velarwick\t12400\nEdda Thalmont\t9850\nOrvell Foundry\t1234567\n",
        ]
        for answer in answers { #expect(f1(answer, salaries) == 1, "\(answer)") }
        #expect(f1("profession\taverage_salary\nengineer\t41233.3\nclerk\t12000.5", averages) == 1, "one decimal is within the tolerance")
        #expect(f1("profession\taverage_salary\nengineer\t41,200\nclerk\t12000.5", averages) == 0.5, "33 off is not")
        #expect(f1("profession\taverage salary\nEngineer\t41233.33 crowns\nclerk\t12,000.50", averages) == 1)
    }

    @Test func wrongRowsCostWhatTheyShould() {
        let score = TableAnswer.score("name\tsalary\nAurel Velarwick\t12400\nEdda Thalmont\t9851\nNobody\t5\nAurel Velarwick\t12400", expected: salaries)
        // 1 of 4 predicted rows matches (the duplicate counts once), 1 of 3 gold rows is found.
        #expect(score.matchedRows == 1 && score.predictedRows == 4 && score.goldRows == 3)
        #expect(score.precision == 0.25 && abs(score.recall - 1.0 / 3) < 1e-12)
        #expect(f1("no rows", salaries) == 0)
        #expect(f1("", salaries) == 0)
        let missing = TableAnswer.score("name\tcity\nAurel Velarwick\tX", expected: salaries)
        #expect(missing.missingColumns == ["salary"] && missing.extraColumns == ["city"] && missing.f1 == 0)
        let empty = ExpectedTable(header: ["name"], kinds: [.text], rows: [], ordered: false)
        #expect(f1("name\nAurel Velarwick", empty) == 0)
        #expect(f1("name\n", empty) == 1, "a header with no rows is an empty table")
        #expect(f1("**No rows.**", empty) == 1)
    }

    @Test func orderCountsOnlyWhenTheGoldIsOrdered() {
        #expect(f1("name\tprice\nA\t9.50\nB\t7.25\nC\t3.00\nD\t1.00", ranking) == 1)
        // B and A swapped: the longest run in gold order keeps 3 of the 4.
        let swapped = TableAnswer.score("name\tprice\nB\t7.25\nA\t9.5\nC\t3\nD\t1", expected: ranking)
        #expect(swapped.matchedRows == 3 && swapped.f1 == 0.75)
        let reversed = TableAnswer.score("name\tprice\nD\t1\nC\t3\nB\t7.25\nA\t9.5", expected: ranking)
        #expect(reversed.matchedRows == 1)
        var unordered = ranking
        unordered.ordered = false
        #expect(f1("name\tprice\nD\t1\nC\t3\nB\t7.25\nA\t9.5", unordered) == 1)
    }

    @Test func aTableCutOffByMaxTokensLosesItsLastRowOnly() {
        let cut = "name\tsalary\nAurel Velarwick\t12400\nEdda Thalmont\t98"
        let score = TableAnswer.score(cut, expected: salaries, options: TableAnswerOptions(truncated: true))
        #expect(score.droppedPartialRow && score.predictedRows == 1 && score.precision == 1 && abs(score.recall - 1.0 / 3) < 1e-12)
        // Without max_tokens the same text is a wrong row.
        let whole = TableAnswer.score(cut, expected: salaries)
        #expect(!whole.droppedPartialRow && whole.predictedRows == 2 && whole.precision == 0.5)
        // Cut right after a newline: nothing is partial.
        let clean = TableAnswer.score("name\tsalary\nAurel Velarwick\t12400\n", expected: salaries, options: TableAnswerOptions(truncated: true))
        #expect(!clean.droppedPartialRow && clean.predictedRows == 1)
    }

    @Test func hostileAnswersNeitherCrashNorScore() {
        let row = "Aurel Velarwick\t12400\n"
        let huge = String(repeating: "x\t", count: 5_000_000)  // 10 MB, one line
        let hostile = [
            huge, huge + "\nname\tsalary\n" + row, String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000),
            "name\tsalary\nAurel Velarwick\t1e999\n", "name\tsalary\nAurel Velarwick\t-1e999", "__import__('os').system('rm -rf /')",
            "name\tsalary\n\u{FFFD}\u{FFFD}\t\u{0}\n", "| | | |\n|---|\n||||||", String(repeating: "name\tsalary\n", count: 100_000),
            "name\tsalary\n" + String(repeating: row, count: 60_000), "<table><tr><td>Aurel", "nan\tinf\nNaN\tInfinity",
        ]
        for answer in hostile {
            let score = TableAnswer.score(answer, expected: salaries)
            #expect(score.f1 >= 0 && score.f1 <= 1 && !score.f1.isNaN)
        }
        #expect(f1("name\tsalary\nAurel Velarwick\t1e999\n", salaries) == 0)
        #expect(f1(huge + "\nname\tsalary\n" + row, salaries) == 0.5, "the table after 10 MB of noise is still read")
        let repeated = TableAnswer.score("name\tsalary\n" + String(repeating: row, count: 60_000), expected: salaries)
        #expect(repeated.matchedRows == 1 && repeated.predictedRows < 60_000, "lines beyond the cap are not read")
    }
}
