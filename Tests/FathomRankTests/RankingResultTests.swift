import Foundation
import Testing
@testable import FathomRank

/// Output shape, determinism, direction handling and missing-value semantics.
@Suite struct RankingResultTests {
    static let rows: [Measurement] = [
        // task "acc" (higher better), two samples; task "err" (lower better), one sample.
        .init(model: "b", task: "acc", sample: "1", score: 0.9), .init(model: "a", task: "acc", sample: "1", score: 0.5),
        .init(model: "c", task: "acc", sample: "1", score: 0.5), .init(model: "a", task: "acc", sample: "2", score: 1.0),
        .init(model: "b", task: "acc", sample: "2", score: 0.0),
        .init(model: "a", task: "err", sample: "1", score: 3, higherIsBetter: false),
        .init(model: "b", task: "err", sample: "1", score: 1, higherIsBetter: false),
        .init(model: "c", task: "err", sample: "1", score: 2, higherIsBetter: false),
    ]

    @Test(arguments: RankMethod.allCases) func jsonShapeAndByteIdenticalEncoding(method: RankMethod) throws {
        var options = RankOptions(alpha: 0.01)
        options.voterLevel = .sample
        let a = try rank(Self.rows, method: method, options: options)
        let b = try rank(Self.rows.reversed(), method: method, options: options)
        #expect(try a.jsonData() == b.jsonData(), "order of input rows changed \(method)")
        let object = try JSONSerialization.jsonObject(with: a.jsonData()) as! [String: Any]
        #expect(Set(object.keys) == ["method", "ranking", "diagnostics"])
        #expect(object["method"] as? String == method.rawValue)
        for row in object["ranking"] as! [[String: Any]] {
            #expect(Set(row.keys).isSubset(of: ["model", "rank", "score", "ci95"]))
            #expect(row["model"] is String && row["rank"] is NSNumber && row["score"] is NSNumber)
        }
        #expect(try JSONDecoder().decode(RankingResult.self, from: a.jsonData()) == a)
        #expect(a.ranking.map(\.model).sorted() == ["a", "b", "c"])
    }

    @Test func tiesShareRankAndAreOrderedByName() throws {
        let rows: [Measurement] = [.init(model: "z", task: "t", sample: "1", score: 1), .init(model: "y", task: "t", sample: "1", score: 1),
                                   .init(model: "x", task: "t", sample: "1", score: 0)]
        let r = try rank(rows, method: .mean)
        #expect(r.order == ["y", "z", "x"])
        #expect(r.ranking.map(\.rank) == [1, 1, 3])
        #expect(r.ranking[0].ci95 == nil)
        let json = String(decoding: try r.jsonData(prettyPrinted: false), as: UTF8.self)
        #expect(!json.contains("ci95"))
    }

    @Test func lowerIsBetterIsOriented() throws {
        // On "err" alone: b (1) best, then c (2), then a (3).
        let err = Self.rows.filter { $0.task == "err" }
        #expect(try rank(err, method: .borda).order == ["b", "c", "a"])
        // Flipping the direction (and negating the scores) leaves the ranking unchanged;
        // flipping only the direction mirrors it.
        let flipped = err.map { Measurement(model: $0.model, task: $0.task, sample: $0.sample, score: -$0.score, higherIsBetter: true) }
        #expect(try rank(flipped, method: .borda).order == ["b", "c", "a"])
        let mirrored = err.map { Measurement(model: $0.model, task: $0.task, sample: $0.sample, score: $0.score, higherIsBetter: true) }
        #expect(try rank(mirrored, method: .borda).order == ["a", "c", "b"])
    }

    @Test func helmMeanWinRate() throws {
        // Per task: wins = #strictly worse + (#tied − 1)/2, divided by N−1.
        // acc sample 1: b 1.0, a 0.25, c 0.25; sample 2: a 1, b 0. err: b 1, c 0.5, a 0.
        var options = RankOptions()
        options.voterLevel = .sample
        let r = try rank(Self.rows, method: .borda, options: options)
        #expect(abs(r.score(of: "a")! - (0.25 + 1 + 0) / 3) < 1e-12)
        #expect(abs(r.score(of: "b")! - (1 + 0 + 1) / 3) < 1e-12)
        #expect(abs(r.score(of: "c")! - (0.25 + 0.5) / 2) < 1e-12)
    }

    @Test func missingNeverCountsAsBest() throws {
        // a is worst on every task; removing a's measurement on one task must not lift it.
        var rows: [Measurement] = []
        for t in 0..<4 { for (m, v) in [("a", 0.0), ("b", 1.0), ("c", 2.0)] { rows.append(.init(model: m, task: "t\(t)", sample: "s", score: v)) } }
        let sparse = rows.filter { !($0.model == "a" && $0.task == "t0") }
        for method in RankMethod.allCases {
            for level in VoterLevel.allCases {
                var options = RankOptions(alpha: 0.1)
                options.voterLevel = level
                let r = try rank(sparse, method: method, options: options)
                #expect(r.order.last == "a", "\(method) \(level): \(r.order)")
            }
        }
    }

    @Test func twoLevelDiffersFromDirectWhenTasksHaveDifferentSizes() throws {
        // Task "big" (3 samples) prefers x; task "small" (1 sample) prefers y twice as strongly... Direct
        // instance-level Borda lets the big task dominate; two-level gives each task one vote.
        var rows: [Measurement] = []
        for s in 0..<3 { rows += [.init(model: "x", task: "big", sample: "\(s)", score: 1), .init(model: "y", task: "big", sample: "\(s)", score: 0)] }
        rows += [.init(model: "x", task: "small", sample: "0", score: 0), .init(model: "y", task: "small", sample: "0", score: 1)]
        rows += [.init(model: "x", task: "small2", sample: "0", score: 0), .init(model: "y", task: "small2", sample: "0", score: 1)]
        var options = RankOptions()
        options.voterLevel = .sample
        #expect(try rank(rows, method: .borda, options: options).order == ["x", "y"])
        options.voterLevel = .twoLevel
        #expect(try rank(rows, method: .borda, options: options).order == ["y", "x"])
        options.voterLevel = .task
        #expect(try rank(rows, method: .borda, options: options).order == ["y", "x"])
    }
}
