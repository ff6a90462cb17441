import FathomMetrics
import Testing

@Suite("Numeric match")
struct NumericMatchTests {
    @Test("extractNumbers grammar")
    func extract() {
        func values(_ s: String) -> [Double] { extractNumbers(s).map(\.value) }
        #expect(values("") == [])
        #expect(values("no digits") == [])
        #expect(values("It was 42.") == [42])
        #expect(values("1,234,567 and 1,23") == [1_234_567, 1, 23])
        #expect(values("-3.5 +2 .5 -.25") == [-3.5, 2, 0.5, -0.25])
        #expect(values("COVID-19 3-4") == [19, 3, 4])
        #expect(values("1e3 2E-2 5eggs") == [1000, 0.02, 5])
        #expect(values("1.5.3") == [1.5])
        #expect(values("15% of $2,000") == [15, 2000])
        #expect(values("über 7") == [7])
        let n = extractNumbers("x = -12.5;")
        #expect(n.first?.text == "-12.5")
        #expect(n.first?.utf8Range == 4..<9)
    }

    @Test("numericMatch selection and tolerance")
    func match() {
        #expect(numericMatch(prediction: "The answer is 72.", gold: 72))
        #expect(!numericMatch(prediction: "no number", gold: 0))
        #expect(numericMatch(prediction: "3 then 5", gold: 3, select: .first))
        #expect(!numericMatch(prediction: "3 then 5", gold: 3, select: .last))
        #expect(numericMatch(prediction: "3 then 5", gold: 3, select: .any))
        #expect(numericMatch(prediction: "0.333333", gold: 1.0 / 3.0, relativeTolerance: 1e-5))
        #expect(!numericMatch(prediction: "0.33", gold: 1.0 / 3.0))
        #expect(numericMatch(prediction: "0.001", gold: 0, absoluteTolerance: 0.01))
        #expect(isClose(1e-300, 0, absoluteTolerance: 1e-200))
        #expect(!isClose(.infinity, 1e308))
    }
}

@Suite("Table P/R/F1")
struct TableMatchTests {
    @Test("parseTable reads TSV and Markdown")
    func parse() {
        #expect(parseTable("a\tb\n1\t2\n\n3\t4\r\n") == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(parseTable("```tsv\na\tb\n```") == [["a", "b"]])
        #expect(parseTable("| a | b |\n|---|:--:|\n| 1 | 2 |") == [["a", "b"], ["1", "2"]])
        #expect(parseTable("") == [])
    }

    @Test("row multiset scores")
    func scores() {
        let gold = "name\tyear\nAlpha\t2001\nBeta\t2002\nGamma\t2003"
        let perfect = tableRowScores(prediction: "| name | year |\n|--|--|\n| alpha | 2,001 |\n| Beta | 2002.0 |\n| GAMMA | 2003 |", gold: gold)
        #expect(perfect.precision == 1 && perfect.recall == 1 && perfect.f1 == 1)
        let partial = tableRowScores(prediction: "name\tyear\nAlpha\t2001\nAlpha\t2001\nDelta\t1999", gold: gold)
        #expect(partial.matchedRows == 1 && partial.predictedRows == 3 && partial.goldRows == 3)
        #expect(partial.precision == 1.0 / 3.0 && partial.recall == 1.0 / 3.0)
        let empty = tableRowScores(prediction: "", gold: gold)
        #expect(empty.precision == 0 && empty.recall == 0 && empty.f1 == 0)
        let bothEmpty = tableRowScores(prediction: "h", gold: "h")
        #expect(bothEmpty.f1 == 1)
        let strict = tableRowScores(prediction: "name\tyear\nalpha\t2001", gold: gold,
                                    options: TableMatchOptions(caseInsensitive: false, canonicalizeNumbers: false))
        #expect(strict.matchedRows == 0)
    }

    @Test("column alignment by header")
    func align() {
        let gold = "name\tyear\nAlpha\t2001"
        let swapped = "year\tname\n2001\tAlpha"
        #expect(tableRowScores(prediction: swapped, gold: gold).matchedRows == 0)
        #expect(tableRowScores(prediction: swapped, gold: gold, options: TableMatchOptions(header: .alignColumns)).matchedRows == 1)
        // headers that differ fall back to positions
        #expect(tableRowScores(prediction: "x\tname\n2001\tAlpha", gold: gold, options: TableMatchOptions(header: .alignColumns)).matchedRows == 0)
        // trailing empty cells are ignored; header counted as data with .none
        let none = tableRowScores(prediction: "name\tyear\t\nAlpha\t2001", gold: gold, options: TableMatchOptions(header: .none))
        #expect(none.matchedRows == 2 && none.goldRows == 2)
    }
}
