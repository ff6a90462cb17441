import FathomCore
import Testing
@testable import FathomRank

/// MM, I-LSR and Newton agree at α = 0; the identifiability gate; per-component fits.
@Suite struct SolverTests {
    /// Random strongly connected BT data with ties, via the table → breaking path.
    static func randomTable(models: Int, samples: Int, seed: UInt64, density: Double) throws -> MeasurementTable {
        var rng = SeededRandom(seed: seed)
        let strength = (0..<models).map { _ in rng.gaussian() }
        var rows: [Measurement] = []
        for s in 0..<samples {
            for m in 0..<models where rng.unit() < density {
                let value = (strength[m] + rng.gaussian()).rounded()   // coarse: many ties
                rows.append(Measurement(model: modelName(m), task: "t\(s % 3)", sample: "s\(s)", score: value))
            }
        }
        return try MeasurementTable(rows)
    }

    @Test(arguments: [TiePolicy.half, .bothWin, .drop]) func solversAgreeAtAlphaZero(policy: TiePolicy) throws {
        let table = try Self.randomTable(models: 12, samples: 300, seed: 42, density: 0.6)
        let counts = PairwiseCounts(table: table, tiePolicy: policy)
        let fits = try Solver.allCases.map { try BradleyTerry.fit(counts, solver: $0, tolerance: 1e-13, maxIterations: 200_000) }
        #expect(maxAbsDiff(fits[0].theta, fits[1].theta) < 1e-8)
        #expect(maxAbsDiff(fits[1].theta, fits[2].theta) < 1e-8)
        for f in fits { #expect(f.gradientNorm < 1e-9, "KKT violated: \(f.gradientNorm)") }
        let events = ChoiceEvents(table: table)
        let pl = try Solver.allCases.map { try PlackettLuce.fit(events, solver: $0, tolerance: 1e-13, maxIterations: 200_000) }
        #expect(maxAbsDiff(pl[0].theta, pl[1].theta) < 1e-8)
        #expect(maxAbsDiff(pl[1].theta, pl[2].theta) < 1e-8)
        for (s, f) in zip(Solver.allCases, pl) { #expect(f.gradientNorm < 1e-9, "PL \(s): \(f.gradientNorm) after \(f.iterations)") }
    }

    @Test func chainIsNotIdentifiable() {
        // 0 ≻ 1, 1 ≻ 2: the MLE sends θ to ±∞; no finite θ may come back at α = 0.
        let rows = [Measurement(model: "a", task: "t", sample: "1", score: 1), Measurement(model: "b", task: "t", sample: "1", score: 0),
                    Measurement(model: "b", task: "t", sample: "2", score: 1), Measurement(model: "c", task: "t", sample: "2", score: 0)]
        for solver in Solver.allCases {
            #expect(throws: RankError.notIdentifiable(components: [["a"], ["b"], ["c"]], undefeated: ["a"], winless: ["c"])) {
                try rank(rows, method: .bradleyTerry, options: RankOptions(solver: solver))
            }
            #expect(throws: RankError.self) { try rank(rows, method: .plackettLuce, options: RankOptions(solver: solver)) }
        }
        // α > 0 gives a finite, ordered answer.
        let r = try? rank(rows, method: .bradleyTerry, options: RankOptions(alpha: 0.1))
        #expect(r?.order == ["a", "b", "c"])
    }

    @Test func perComponentResultsAreFlagged() throws {
        // {a, b} beat each other; both beat {c, d}, which beat each other.
        var rows: [Measurement] = []
        func game(_ w: String, _ l: String, _ id: Int) {
            rows += [Measurement(model: w, task: "t", sample: "\(id)", score: 1), Measurement(model: l, task: "t", sample: "\(id)", score: 0)]
        }
        game("a", "b", 1); game("a", "b", 2); game("b", "a", 3); game("a", "c", 4); game("b", "d", 5)
        game("c", "d", 6); game("d", "c", 7); game("d", "c", 8)
        var options = RankOptions()
        options.identifiability = .perComponent
        let r = try rank(rows, method: .bradleyTerry, options: options)
        #expect(r.diagnostics["comparableAcrossComponents"] == .bool(false))
        #expect(r.order == ["a", "b", "d", "c"])
        #expect(r.ranking.map(\.rank) == [1, 2, 1, 2])
        #expect(abs(r.score(of: "a")! - 0.5 * log(2.0)) < 1e-9)   // 2 wins vs 1: θa − θb = log 2
        options.bootstrap = 10
        #expect(throws: RankError.self) { try rank(rows, method: .bradleyTerry, options: options) }
    }

    @Test func tiePoliciesDiffer() throws {
        let rows = [Measurement(model: "a", task: "t", sample: "1", score: 1), Measurement(model: "b", task: "t", sample: "1", score: 1)]
        let table = try MeasurementTable(rows)
        #expect(PairwiseCounts(table: table, tiePolicy: .half).wins == [0, 0.5, 0.5, 0])
        #expect(PairwiseCounts(table: table, tiePolicy: .bothWin).wins == [0, 1, 1, 0])
        #expect(PairwiseCounts(table: table, tiePolicy: .drop).wins == [0, 0, 0, 0])
        #expect(PairwiseCounts(table: table, tiePolicy: .half).uninformativeSamples == 1)
        #expect(PairwiseCounts(table: table, tiePolicy: .half).comparisons == [1, 1])
        #expect(PairwiseCounts(table: table, tiePolicy: .drop).comparisons == [0, 0])
    }

    @Test func nonConvergenceIsReported() throws {
        let table = try Self.randomTable(models: 8, samples: 100, seed: 3, density: 0.7)
        var options = RankOptions(solver: .mm)
        options.maxIterations = 2
        options.tolerance = 1e-15
        #expect(throws: RankError.self) { try rank(table: table, method: .bradleyTerry, options: options) }
    }
}

import Foundation
