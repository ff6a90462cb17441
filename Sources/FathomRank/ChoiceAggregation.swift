/// Bradley–Terry (full pairwise breaking) and Plackett–Luce (per-tier top-1 breaking)
/// with the identifiability gate, per-component fallback and bootstrap CIs.
enum ChoiceAggregation {
    static func rank(_ table: MeasurementTable, _ method: RankMethod, _ options: RankOptions) throws -> RankingResult {
        let models = table.models
        let isBT = method == .bradleyTerry
        var diagnostics: [String: DiagnosticValue] = [
            "solver": .string(options.solver.rawValue),
            "alpha": .number(options.alpha),
            "gauge": .string("sum of theta = 0"),
        ]
        // Data.
        let counts: PairwiseCounts? = isBT ? PairwiseCounts(table: table, tiePolicy: options.tiePolicy) : nil
        let events: ChoiceEvents.Beats? = isBT ? nil : ChoiceEvents(table: table).withBeatsCache
        if let c = counts {
            diagnostics["tiePolicy"] = .string(options.tiePolicy.rawValue)
            diagnostics["pairs"] = .number(c.pairs)
            diagnostics["ties"] = .number(c.ties)
            diagnostics["tieFraction"] = .number(c.pairs > 0 ? c.ties / c.pairs : 0)
            diagnostics["uninformativeSamples"] = .int(c.uninformativeSamples)
            diagnostics["comparisonsPerModel"] = .object(Dictionary(uniqueKeysWithValues: zip(models, c.comparisons.map { DiagnosticValue.number($0) })))
        } else if let e = events {
            diagnostics["breaking"] = .string("per-tier top-1: each model of a score tier is chosen from itself and all lower tiers")
            diagnostics["events"] = .int(e.events.eventCount)
        }
        func fitAll(_ c: PairwiseCounts?, _ e: ChoiceEvents.Beats?) throws -> ChoiceFit {
            if let c { return try ChoiceSolvers.fit(c, solver: options.solver, alpha: options.alpha, tolerance: options.tolerance, maxIterations: options.maxIterations) }
            return try ChoiceSolvers.fit(e!, solver: options.solver, alpha: options.alpha, tolerance: options.tolerance, maxIterations: options.maxIterations)
        }
        let report: IdentifiabilityReport = counts.map { IdentifiabilityReport($0) } ?? IdentifiabilityReport(events!)
        diagnostics["stronglyConnected"] = .bool(report.isStronglyConnected)
        diagnostics["undefeated"] = .strings(report.undefeated.map { models[$0] })
        diagnostics["winless"] = .strings(report.winless.map { models[$0] })

        if options.alpha == 0 && !report.isStronglyConnected {
            guard options.identifiability == .perComponent else { throw report.error(models: models) }
            guard options.bootstrap == 0 else {
                throw RankError.invalidOption("bootstrap needs an identifiable fit; per-component results carry no confidence intervals")
            }
            return try perComponent(report, counts, events, models, method, options, diagnostics)
        }

        let fit = try fitAll(counts, events)
        let theta = LinearAlgebra.centred(fit.theta)
        diagnostics["iterations"] = .int(fit.iterations)
        diagnostics["gradientNorm"] = .number(fit.gradientNorm)
        diagnostics["negativeLogLikelihood"] = .number(fit.negativeLogLikelihood)
        var ci: [(Double, Double)]? = nil
        var ranks: [Int]? = nil
        if options.bootstrap > 0 {
            let boot = try Bootstrap.intervals(sampleCount: table.sampleCount, replicates: options.bootstrap, seed: options.seed,
                                               modelCount: table.modelCount) { weights in
                let c = isBT ? PairwiseCounts(table: table, tiePolicy: options.tiePolicy, sampleWeights: weights) : nil
                let e = isBT ? nil : ChoiceEvents(table: table, sampleWeights: weights).withBeatsCache
                if options.alpha == 0 {
                    let r = c.map { IdentifiabilityReport($0) } ?? IdentifiabilityReport(e!)
                    if !r.isStronglyConnected { throw r.error(models: models) }
                }
                return LinearAlgebra.centred(try fitAll(c, e).theta)
            }
            guard boot.used > 0 else {
                throw RankError.invalidOption("all \(options.bootstrap) bootstrap replicates failed (not identifiable or not converged)")
            }
            ci = boot.ci
            ranks = Bootstrap.ciRanks(lower: boot.ci.map(\.0), upper: boot.ci.map(\.1))
            diagnostics["bootstrap"] = .object([
                "replicates": .int(boot.used), "failedReplicates": .int(boot.failed), "seed": .string(String(options.seed)),
                "resampling": .string("samples with replacement (cluster bootstrap)"),
                "rankRule": .string("1 + #models whose lower CI bound exceeds this model's upper bound"),
            ])
        }
        return RankingResult(method: method.rawValue, ranking: rowsFromScores(models: models, scores: theta, ci: ci, ranks: ranks),
                             diagnostics: diagnostics)
    }

    /// Fits every strongly connected component on its own. Rows are grouped by component
    /// (topological order of the beats condensation), ranked within the component.
    static func perComponent(_ report: IdentifiabilityReport, _ counts: PairwiseCounts?, _ events: ChoiceEvents.Beats?,
                             _ models: [String], _ method: RankMethod, _ options: RankOptions,
                             _ base: [String: DiagnosticValue]) throws -> RankingResult {
        var diagnostics = base
        var rows: [RankedModel] = []
        var componentInfo: [DiagnosticValue] = []
        for (ci, comp) in report.components.enumerated() {
            var theta = [Double](repeating: 0, count: comp.count)
            var iterations = 0
            if comp.count > 1 {
                let fit: ChoiceFit
                if let c = counts {
                    fit = try ChoiceSolvers.fit(c.restricted(to: comp), solver: options.solver, alpha: 0, tolerance: options.tolerance, maxIterations: options.maxIterations)
                } else {
                    fit = try ChoiceSolvers.fit(events!.events.restricted(to: comp), solver: options.solver, alpha: 0, tolerance: options.tolerance, maxIterations: options.maxIterations)
                }
                theta = LinearAlgebra.centred(fit.theta)
                iterations = fit.iterations
            }
            let compRows = rowsFromScores(models: comp.map { models[$0] }, scores: theta)
            rows.append(contentsOf: compRows)
            componentInfo.append(.object(["index": .int(ci), "models": .strings(compRows.map(\.model)), "iterations": .int(iterations)]))
        }
        diagnostics["comparableAcrossComponents"] = .bool(false)
        diagnostics["components"] = .array(componentInfo)
        diagnostics["note"] = .string("MLE not identifiable at alpha = 0: scores and ranks are within each strongly connected component only; components are listed in topological order of the beats graph")
        return RankingResult(method: method.rawValue, ranking: rows, diagnostics: diagnostics)
    }
}
