import Foundation
import Testing
@testable import FathomRank

/// Loader and input validation errors name file, line and column.
@Suite struct LoaderErrorTests {
    @Test func parsesCSVWithOptionalDirectionAndQuotes() throws {
        let rows = try MeasurementLoader.parseCSV("model,task,sample,score,higher_is_better\n\"a,1\",t,s1,0.5,false\nb,t,s1,1,false\n", file: "x.csv")
        #expect(rows.count == 2)
        #expect(rows[0].model == "a,1" && rows[0].higherIsBetter == false)
        let noDirection = try MeasurementLoader.parseCSV("score,model,sample,task\n1,a,s,t\n")
        #expect(noDirection[0].higherIsBetter && noDirection[0].task == "t")
    }

    @Test func badCSVRows() {
        #expect(throws: RankError.parse(file: "f.csv", line: 2, column: "score", message: "'abc' is not a number (leave the row out for a missing value)")) {
            try MeasurementLoader.parseCSV("model,task,sample,score\na,t,s,abc\n", file: "f.csv")
        }
        #expect(throws: RankError.parse(file: "f.csv", line: 3, column: "score", message: "expected 4 fields, found 3")) {
            try MeasurementLoader.parseCSV("model,task,sample,score\na,t,s,1\nb,t,s\n", file: "f.csv")
        }
        #expect(throws: RankError.parse(file: "f.csv", line: 1, column: "score", message: "header lacks required column (have: model,task,sample)")) {
            try MeasurementLoader.parseCSV("model,task,sample\na,t,s\n", file: "f.csv")
        }
        #expect(throws: RankError.parse(file: "f.csv", line: 2, column: "higher_is_better", message: "'maybe' is not a boolean")) {
            try MeasurementLoader.parseCSV("model,task,sample,score,higher_is_better\na,t,s,1,maybe\n", file: "f.csv")
        }
        #expect(throws: RankError.parse(file: "f.csv", line: 2, column: "model", message: "empty value")) {
            try MeasurementLoader.parseCSV("model,task,sample,score\n,t,s,1\n", file: "f.csv")
        }
    }

    @Test func nanIsRejectedEverywhere() {
        #expect(throws: RankError.parse(file: "f.csv", line: 2, column: "score", message: "non-finite score 'nan' (leave the row out for a missing value)")) {
            try MeasurementLoader.parseCSV("model,task,sample,score\na,t,s,nan\n", file: "f.csv")
        }
        #expect(throws: RankError.nonFiniteScore(model: "a", task: "t", sample: "s", where: "measurement #1")) {
            try rank([Measurement(model: "a", task: "t", sample: "s", score: .nan)], method: .mean)
        }
    }

    @Test func duplicates() {
        #expect(throws: RankError.duplicate(model: "a", task: "t", sample: "s", where: "f.csv:3 (first at line 2)")) {
            try MeasurementLoader.parseCSV("model,task,sample,score\na,t,s,1\na,t,s,2\n", file: "f.csv")
        }
        #expect(throws: RankError.duplicate(model: "a", task: "t", sample: "s", where: "f.jsonl:3 (first at line 1)")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":1}"# + "\n\n" + #"{"model":"a","task":"t","sample":"s","score":0}"#, file: "f.jsonl")
        }
        let rows = [Measurement(model: "a", task: "t", sample: "s", score: 1), Measurement(model: "b", task: "t", sample: "s", score: 1),
                    Measurement(model: "a", task: "t", sample: "s", score: 0)]
        #expect(throws: RankError.duplicate(model: "a", task: "t", sample: "s", where: "measurements #1 and #3")) {
            try rank(rows, method: .borda)
        }
    }

    @Test func badJSONLRows() {
        #expect(throws: RankError.parse(file: "f.jsonl", line: 1, column: "-", message: "invalid JSON")) {
            try MeasurementLoader.parseJSONL("{not json", file: "f.jsonl")
        }
        #expect(throws: RankError.parse(file: "f.jsonl", line: 2, column: "sample", message: "missing key")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":1}"# + "\n" + #"{"model":"a","task":"t","score":1}"#, file: "f.jsonl")
        }
        #expect(throws: RankError.parse(file: "f.jsonl", line: 1, column: "score", message: "expected a number (leave the row out for a missing value)")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":"0.5"}"#, file: "f.jsonl")
        }
        #expect(throws: RankError.parse(file: "f.jsonl", line: 1, column: "score", message: "expected a number (leave the row out for a missing value)")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":true}"#, file: "f.jsonl")
        }
        #expect(throws: RankError.parse(file: "f.jsonl", line: 1, column: "score", message: "expected a number (leave the row out for a missing value)")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":null}"#, file: "f.jsonl")
        }
        #expect(throws: RankError.parse(file: "f.jsonl", line: 1, column: "higher_is_better", message: "expected true or false")) {
            try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":1,"higher_is_better":1}"#, file: "f.jsonl")
        }
        #expect(throws: RankError.parse(file: "f.jsonl", line: 1, column: "-", message: "expected a JSON object")) {
            try MeasurementLoader.parseJSONL("[1,2]", file: "f.jsonl")
        }
    }

    @Test func parsesJSONL() throws {
        let rows = try MeasurementLoader.parseJSONL(#"{"model":"a","task":"t","sample":"s","score":1,"higher_is_better":false}"# + "\n" + #"{"model":"b","task":"t","sample":"s","score":2.5}"#)
        #expect(rows == [Measurement(model: "a", task: "t", sample: "s", score: 1, higherIsBetter: false),
                         Measurement(model: "b", task: "t", sample: "s", score: 2.5, higherIsBetter: true)])
    }

    @Test func loadsFilesByExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fathomrank-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("m.csv"), jsonl = dir.appendingPathComponent("m.jsonl")
        try "model,task,sample,score\na,t,s,1\n".write(to: csv, atomically: true, encoding: .utf8)
        try #"{"model":"a","task":"t","sample":"s","score":x}"#.write(to: jsonl, atomically: true, encoding: .utf8)
        #expect(try MeasurementLoader.load(contentsOf: csv).count == 1)
        #expect(throws: RankError.parse(file: jsonl.path, line: 1, column: "-", message: "invalid JSON")) {
            try MeasurementLoader.load(contentsOf: jsonl)
        }
    }

    @Test func unknownNamesAndOptions() throws {
        #expect(throws: RankError.unknownName(kind: "method", value: "borda-count", allowed: RankMethod.allCases.map(\.rawValue))) {
            try RankMethod(parsing: "borda-count")
        }
        #expect(throws: RankError.self) { try TiePolicy(parsing: "both") }
        #expect(throws: RankError.self) { try Solver(parsing: "lbfgs") }
        #expect(throws: RankError.self) { try VoterLevel(parsing: "instance") }
        #expect(try IdentifiabilityPolicy(parsing: "per-component") == .perComponent)
        #expect(try VoterLevel(parsing: "two-level") == .twoLevel && TiePolicy(parsing: "both-win") == .bothWin)
        for m in RankMethod.allCases { #expect(try RankMethod(parsing: m.rawValue) == m) }
        #expect(["mean", "borda", "copeland", "kemeny", "schulze", "ranked-pairs", "bradley-terry", "plackett-luce", "elo"]
                    == RankMethod.allCases.map(\.rawValue))
        var bad = RankOptions(); bad.alpha = -1
        #expect(throws: RankError.self) { try rank([Measurement(model: "a", task: "t", sample: "s", score: 1)], method: .mean, options: bad) }
        #expect(throws: RankError.noData("no measurements")) { try rank([], method: .mean) }
    }

    @Test func mixedDirectionWithinTaskIsAnError() {
        let rows = [Measurement(model: "a", task: "t", sample: "s", score: 1, higherIsBetter: true),
                    Measurement(model: "b", task: "t", sample: "s2", score: 1, higherIsBetter: false)]
        #expect(throws: RankError.inconsistentDirection(task: "t")) { try rank(rows, method: .mean) }
    }
}
