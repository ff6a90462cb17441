import ArgumentParser
import FathomRank
import Foundation

/// `fathom bench rank`: times Bradley–Terry on ONEBench-style sparse data
/// (generated with a seed, or read from a CSV/JSONL measurements file) and prints JSON.
struct BenchRank: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Benchmark Bradley-Terry fitting on sparse measurements (FathomRank).")

    @Option(help: "Models to generate.") var models = 100
    @Option(help: "Measurements (sparse outcomes) to generate, approximately.") var outcomes = 1_000_000
    @Option(help: "Samples to generate (default: outcomes / 10, i.e. ~10 models per sample).") var samples: Int?
    @Option(help: "Generator seed.") var seed: UInt64 = 0
    @Option(help: "Read measurements from this CSV/JSONL file instead of generating.") var input: String?
    @Option(help: "Repetitions; the best time of each phase is reported.") var repeats = 5
    @Option(help: "Solver: mm | ilsr | newton.") var solver = "ilsr"
    @Option(name: .customLong("tie-policy"), help: "half | both-win | drop.") var tiePolicy = "both-win"
    @Option(help: "Regularisation alpha (choix semantics).") var alpha = 0.0
    @Option(help: "Convergence tolerance (choix: L1 change <= tol * n).") var tolerance = 1e-8
    @Option(name: .customLong("emit-csv"), help: "Write the measurements as CSV (for scripts/rank/bench_choix.py).") var emitCSV: String?
    @Option(name: .customLong("emit-fit"), help: "Write models, the win matrix and theta as JSON.") var emitFit: String?

    func run() throws {
        let solverValue = try Solver(parsing: solver)
        let ties = try TiePolicy(parsing: tiePolicy)
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1") }
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

        var generation = 0.0
        let rows: [FathomRank.Measurement]
        if let input {
            rows = try MeasurementLoader.load(contentsOf: URL(fileURLWithPath: input))
        } else {
            let sampleCount = samples ?? max(1, outcomes / 10)
            let density = min(1, Double(outcomes) / Double(models * sampleCount))
            var data: SyntheticONEBench.Dataset? = nil
            generation = seconds(clock.measure {
                data = SyntheticONEBench.generateSparse(models: models, samples: sampleCount, density: density, seed: seed)
            })
            rows = data!.measurements
        }
        if let emitCSV { try writeCSV(rows, to: emitCSV) }

        var best = (table: Double.infinity, breaking: Double.infinity, fit: Double.infinity, total: Double.infinity)
        var lastTable: MeasurementTable? = nil, lastCounts: PairwiseCounts? = nil, lastFit: ChoiceFit? = nil
        for _ in 0..<repeats {
            var table: MeasurementTable! = nil, counts: PairwiseCounts! = nil, fit: ChoiceFit! = nil
            let t1 = try clock.measure { table = try MeasurementTable(rows) }
            let t2 = clock.measure { counts = PairwiseCounts(table: table, tiePolicy: ties) }
            let t3 = try clock.measure {
                fit = try BradleyTerry.fit(counts, models: table.models, solver: solverValue, alpha: alpha, tolerance: tolerance)
            }
            best.table = min(best.table, seconds(t1)); best.breaking = min(best.breaking, seconds(t2))
            best.fit = min(best.fit, seconds(t3)); best.total = min(best.total, seconds(t1 + t2 + t3))
            lastTable = table; lastCounts = counts; lastFit = fit
        }
        let table = lastTable!, counts = lastCounts!, fit = lastFit!
        if let emitFit {
            let object: [String: Any] = ["models": table.models, "wins": counts.wins, "theta": fit.theta,
                                         "solver": solverValue.rawValue, "tie_policy": ties.rawValue, "alpha": alpha, "tolerance": tolerance]
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: emitFit))
        }
        let order = table.models.indices.sorted { fit.theta[$0] > fit.theta[$1] }
        let report: [String: Any] = [
            "models": table.modelCount, "samples": table.sampleCount, "measurements": table.entryCount,
            "pairs": counts.pairs, "ties": counts.ties, "solver": solverValue.rawValue, "tie_policy": ties.rawValue,
            "alpha": alpha, "iterations": fit.iterations, "gradient_norm": fit.gradientNorm, "repeats": repeats,
            "seconds_best": ["generate": generation, "table": best.table, "breaking": best.breaking, "fit": best.fit, "total": best.total],
            "top5": order.prefix(5).map { ["model": table.models[$0], "theta": fit.theta[$0]] as [String: Any] },
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
        print(String(decoding: data, as: UTF8.self))
    }

    private func writeCSV(_ rows: [FathomRank.Measurement], to path: String) throws {
        var text = "model,task,sample,score\n"
        text.reserveCapacity(rows.count * 32)
        for r in rows { text += "\(r.model),\(r.task),\(r.sample),\(r.score)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
