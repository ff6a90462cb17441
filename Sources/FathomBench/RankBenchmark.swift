import FathomCore
import FathomRank
import Foundation

/// `fathom bench rank`: Bradley–Terry on ONEBench-style sparse data (generated with a seed, or read from a CSV/JSONL
/// measurements file), each phase timed (best of N).
public enum RankBenchmark {
    public struct Settings: Sendable {
        public var models = 100
        public var outcomes = 1_000_000
        public var samples: Int?
        public var seed: UInt64 = 0
        public var input: String?
        public var repeats = 5
        public var solver = Solver.ilsr
        public var tiePolicy = TiePolicy.bothWin
        public var alpha = 0.0
        public var tolerance = 1e-8
        public var emitCSV: String?
        public var emitFit: String?
        public init() {}
    }

    /// Runs the benchmark and returns the report as sorted-key JSON text.
    public static func run(_ s: Settings) throws -> String {
        let clock = ContinuousClock()
        var generation = 0.0
        let rows: [FathomRank.Measurement]
        if let input = s.input {
            rows = try MeasurementLoader.load(contentsOf: URL(fileURLWithPath: input))
        } else {
            let sampleCount = s.samples ?? max(1, s.outcomes / 10)
            let density = min(1, Double(s.outcomes) / Double(s.models * sampleCount))
            var data: SyntheticONEBench.Dataset? = nil
            generation = Clock.seconds(clock.measure {
                data = SyntheticONEBench.generateSparse(models: s.models, samples: sampleCount, density: density, seed: s.seed)
            })
            rows = data!.measurements
        }
        if let path = s.emitCSV { try writeCSV(rows, to: path) }

        var best = (table: Double.infinity, breaking: Double.infinity, fit: Double.infinity, total: Double.infinity)
        var lastTable: MeasurementTable? = nil, lastCounts: PairwiseCounts? = nil, lastFit: ChoiceFit? = nil
        for _ in 0..<max(1, s.repeats) {
            var table: MeasurementTable! = nil, counts: PairwiseCounts! = nil, fit: ChoiceFit! = nil
            let t1 = try clock.measure { table = try MeasurementTable(rows) }
            let t2 = clock.measure { counts = PairwiseCounts(table: table, tiePolicy: s.tiePolicy) }
            let t3 = try clock.measure {
                fit = try BradleyTerry.fit(counts, models: table.models, solver: s.solver, alpha: s.alpha, tolerance: s.tolerance)
            }
            best.table = min(best.table, Clock.seconds(t1)); best.breaking = min(best.breaking, Clock.seconds(t2))
            best.fit = min(best.fit, Clock.seconds(t3)); best.total = min(best.total, Clock.seconds(t1 + t2 + t3))
            lastTable = table; lastCounts = counts; lastFit = fit
        }
        let table = lastTable!, counts = lastCounts!, fit = lastFit!
        if let path = s.emitFit {
            let object: [String: Any] = ["models": table.models, "wins": counts.wins, "theta": fit.theta,
                                         "solver": s.solver.rawValue, "tie_policy": s.tiePolicy.rawValue, "alpha": s.alpha, "tolerance": s.tolerance]
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        }
        let order = table.models.indices.sorted { fit.theta[$0] > fit.theta[$1] }
        let report: [String: Any] = [
            "models": table.modelCount, "samples": table.sampleCount, "measurements": table.entryCount,
            "pairs": counts.pairs, "ties": counts.ties, "solver": s.solver.rawValue, "tie_policy": s.tiePolicy.rawValue,
            "alpha": s.alpha, "iterations": fit.iterations, "gradient_norm": fit.gradientNorm, "repeats": s.repeats,
            "seconds_best": ["generate": generation, "table": best.table, "breaking": best.breaking, "fit": best.fit, "total": best.total],
            "top5": order.prefix(5).map { ["model": table.models[$0], "theta": fit.theta[$0]] as [String: Any] },
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    static func writeCSV(_ rows: [FathomRank.Measurement], to path: String) throws {
        var text = "model,task,sample,score\n"
        text.reserveCapacity(rows.count * 32)
        for r in rows { text += "\(r.model),\(r.task),\(r.sample),\(r.score)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
