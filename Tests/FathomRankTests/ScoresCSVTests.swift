import Foundation
import Testing
@testable import FathomRank

/// `fathom rank --scores FILE.csv` reads what Python's `csv` module and spreadsheets write: CRLF line endings, quoted
/// fields with commas, quotes and line breaks, a UTF-8 BOM, blank lines, with or without a final newline. A bad row is
/// an error naming the file and the line it starts on.
@Suite struct ScoresCSVTests {
    let header = "model,task,sample,score"

    func rows(_ text: String) throws -> [Measurement] { try MeasurementLoader.parseCSV(text, file: "s.csv") }

    @Test func crlfLineEndingsAsPythonsCSVWrites() throws {
        let parsed = try rows(header + "\r\na,t,s1,1\r\nb,t,s1,0.25\r\n")
        #expect(parsed == [Measurement(model: "a", task: "t", sample: "s1", score: 1), Measurement(model: "b", task: "t", sample: "s1", score: 0.25)])
        // A lone CR ends a line too (Python's csv agrees), and a CRLF header with the optional column.
        #expect(try rows(header + "\ra,t,s1,1\r").count == 1)
        let directed = try rows(header + ",higher_is_better\r\na,t,s1,1,false\r\n")
        #expect(directed == [Measurement(model: "a", task: "t", sample: "s1", score: 1, higherIsBetter: false)])
    }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let text = header + "\r\n\"a,1\",t,s1,1\r\n\"say \"\"hi\"\"\",t,s1,0\r\n\"two\r\nlines\",\"t\",\"s\n1\",\"0.5\"\r\n"
        let parsed = try rows(text)
        #expect(parsed.map(\.model) == ["a,1", "say \"hi\"", "two\r\nlines"])
        #expect(parsed[2].sample == "s\n1" && parsed[2].score == 0.5)
        // Fields are split on code points: a combining mark after a comma starts the next field, as in Python's csv,
        // where Swift's Characters would glue it to the comma and merge two fields.
        let marks = try rows(header + "\na,\u{301}t,s1,1\n\"b\u{301}\",t,s1,1\n")
        #expect(marks.map { Array($0.task.unicodeScalars) } == [["\u{301}", "t"], ["t"]])
        #expect(Array(marks[1].model.unicodeScalars) == ["b", "\u{301}"])
    }

    @Test func bomTrailingNewlineAndBlankLines() throws {
        let expected = [Measurement(model: "a", task: "t", sample: "s1", score: 1), Measurement(model: "b", task: "t", sample: "s1", score: 0)]
        #expect(try rows("\u{FEFF}" + header + "\na,t,s1,1\nb,t,s1,0\n") == expected)
        #expect(try rows(header + "\na,t,s1,1\nb,t,s1,0") == expected)
        #expect(try rows("\n\r\n" + header + "\n\na,t,s1,1\r\n  \r\n\t\nb,t,s1,0\n\n\n") == expected)
        // From a file: the BOM as bytes (Excel's "CSV UTF-8").
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-csv-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("excel.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array((header + "\r\na,t,s1,1\r\nb,t,s1,0\r\n").utf8)).write(to: file)
        #expect(try MeasurementLoader.load(contentsOf: file) == expected)
    }

    @Test func badRowsNameFileAndLine() {
        // line 1 header, 2 blank, 3-4 one quoted row over two lines, 5 the bad row
        let prefix = header + "\r\n\r\n\"two\r\nlines\",t,s1,1\r\n"
        #expect(throws: RankError.parse(file: "s.csv", line: 5, column: "score", message: "expected 4 fields, found 3")) {
            try rows(prefix + "b,t,s1\r\n")
        }
        #expect(throws: RankError.parse(file: "s.csv", line: 5, column: "-", message: "expected 4 fields, found 5")) {
            try rows(prefix + "b,t,s1,1,2\r\n")
        }
        #expect(throws: RankError.parse(file: "s.csv", line: 5, column: "score", message: "'high' is not a number (leave the row out for a missing value)")) {
            try rows(prefix + "b,t,s1,high\r\n")
        }
        #expect(throws: RankError.parse(file: "s.csv", line: 5, column: "score", message: "'0x1p3' is not a number (leave the row out for a missing value)")) {
            try rows(prefix + "b,t,s1,0x1p3\r\n")
        }
        for bad in ["NaN", "nan", "inf", "-inf", "Infinity", "1e999"] {
            #expect(throws: RankError.parse(file: "s.csv", line: 5, column: "score", message: "non-finite score '\(bad)' (leave the row out for a missing value)")) {
                try rows(prefix + "b,t,s1,\(bad)\r\n")
            }
        }
        #expect(throws: RankError.duplicate(model: "two\r\nlines", task: "t", sample: "s1", where: "s.csv:5 (first at line 3)")) {
            try rows(prefix + "\"two\r\nlines\",t,s1,0\r\n")
        }
    }

    /// A quoted field left open runs to the end of the file; so does one closed with text after its quote (Python's csv
    /// would glue that text on, CSV.swift keeps reading the quoted field). Either is an error naming where the row starts.
    @Test func unterminatedQuoteIsAnErrorAtTheRowsFirstLine() {
        let message = "unterminated quoted field (it runs to the end of the file; a quote inside a field is written twice, "
            + "and only a comma or the end of the line may follow a closing quote)"
        #expect(throws: RankError.parse(file: "s.csv", line: 3, column: "field 3", message: message)) {
            try rows(header + "\na,t,s1,1\nb,t,\"s1,1\nc,t,s1,1\n")
        }
        #expect(throws: RankError.parse(file: "s.csv", line: 4, column: "field 1", message: message)) {
            try rows(header + "\r\na,t,s1,1\r\n\r\n\"b\"\u{301},t,s1,1\r\nc,t,s1,1")
        }
    }

    /// The JSONL reader splits lines on LF code points too (CR LF is one Swift `Character`, unequal to "\n").
    @Test func jsonlWithCRLFAndABOM() throws {
        let text = "\u{FEFF}" + #"{"model":"a","task":"t","sample":"s","score":1}"# + "\r\n\r\n" + #"{"model":"b","task":"t","sample":"s","score":0}"# + "\r\n"
        #expect(try MeasurementLoader.parseJSONL(text, file: "s.jsonl").map(\.model) == ["a", "b"])
        #expect(throws: RankError.parse(file: "s.jsonl", line: 3, column: "-", message: "invalid JSON")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":1}"# + "\r\n\r\n{oops\r\n", file: "s.jsonl")
        }
    }

    @Test func headerErrors() {
        #expect(throws: RankError.parse(file: "s.csv", line: 1, column: "model", message: "header names this column twice")) {
            try rows("model,task,sample,score,Model\r\na,t,s,1,x\r\n")
        }
        #expect(throws: RankError.parse(file: "s.csv", line: 1, column: "-", message: "empty file: missing header")) {
            try rows("\r\n\r\n")
        }
    }
}
