/// Online Elo over broken pairs, with optional bootstrap.
enum EloAggregation {
    static func rank(_ table: MeasurementTable, _ options: RankOptions) throws -> RankingResult {
        let ratings = Elo.ratings(table: table, tiePolicy: options.tiePolicy, k: options.eloK)
        var diagnostics: [String: DiagnosticValue] = [
            "k": .number(options.eloK), "initial": .number(1000), "order": .string("samples by (task, sample) name, pairs by model name"),
            "tiePolicy": .string(options.tiePolicy == .drop ? "drop" : "draw (0.5)"),
        ]
        var ci: [(Double, Double)]? = nil
        var ranks: [Int]? = nil
        if options.bootstrap > 0 {
            let boot = Bootstrap.intervals(sampleCount: table.sampleCount, replicates: options.bootstrap, seed: options.seed,
                                           modelCount: table.modelCount) { weights in
                Elo.ratings(table: table, tiePolicy: options.tiePolicy, k: options.eloK, sampleWeights: weights)
            }
            ci = boot.ci
            ranks = Bootstrap.ciRanks(lower: boot.ci.map(\.0), upper: boot.ci.map(\.1))
            diagnostics["bootstrap"] = .object(["replicates": .int(boot.used), "seed": .string(String(options.seed)),
                                                "rankRule": .string("1 + #models whose lower CI bound exceeds this model's upper bound")])
        }
        return RankingResult(method: RankMethod.elo.rawValue,
                             ranking: rowsFromScores(models: table.models, scores: ratings, ci: ci, ranks: ranks),
                             diagnostics: diagnostics)
    }
}
