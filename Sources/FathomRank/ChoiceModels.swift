/// Bradley–Terry on a dense win matrix (full pairwise breaking).
public enum BradleyTerry {
    /// Fits centred log-strengths. With α = 0 the identifiability gate runs first and
    /// throws `RankError.notIdentifiable` when the beats graph is not strongly connected.
    public static func fit(_ counts: PairwiseCounts, models: [String]? = nil, solver: Solver = .ilsr, alpha: Double = 0,
                           tolerance: Double = 1e-8, maxIterations: Int? = nil) throws -> ChoiceFit {
        if alpha == 0 {
            let report = IdentifiabilityReport(counts)
            if !report.isStronglyConnected { throw report.error(models: models ?? (0..<counts.modelCount).map { "\($0)" }) }
        }
        var fit = try ChoiceSolvers.fit(counts, solver: solver, alpha: alpha, tolerance: tolerance, maxIterations: maxIterations)
        fit.theta = LinearAlgebra.centred(fit.theta)
        return fit
    }

    /// One (non-iterated) LSR estimate from uniform weights, as choix `lsr_pairwise_dense`.
    public static func lsr(_ counts: PairwiseCounts, alpha: Double = 0) throws -> [Double] {
        try ChoiceSolvers.lsrStep(counts, alpha: alpha, theta: [Double](repeating: 0, count: counts.modelCount))
    }

    /// Identifiability report of the beats graph.
    public static func identifiability(_ counts: PairwiseCounts) -> IdentifiabilityReport { IdentifiabilityReport(counts) }
}

/// Plackett–Luce on choice events (rankings / top-1 data).
public enum PlackettLuce {
    /// Fits centred log-strengths; same gate as `BradleyTerry.fit`.
    public static func fit(_ events: ChoiceEvents, models: [String]? = nil, solver: Solver = .ilsr, alpha: Double = 0,
                           tolerance: Double = 1e-8, maxIterations: Int? = nil) throws -> ChoiceFit {
        let cached = events.withBeatsCache
        if alpha == 0 {
            let report = IdentifiabilityReport(cached)
            if !report.isStronglyConnected { throw report.error(models: models ?? (0..<events.modelCount).map { "\($0)" }) }
        }
        var fit = try ChoiceSolvers.fit(cached, solver: solver, alpha: alpha, tolerance: tolerance, maxIterations: maxIterations)
        fit.theta = LinearAlgebra.centred(fit.theta)
        return fit
    }

    /// One LSR estimate from uniform weights, as choix `lsr_rankings` / `lsr_top1`.
    public static func lsr(_ events: ChoiceEvents, alpha: Double = 0) throws -> [Double] {
        try ChoiceSolvers.lsrStep(events, alpha: alpha, theta: [Double](repeating: 0, count: events.modelCount))
    }

    public static func identifiability(_ events: ChoiceEvents) -> IdentifiabilityReport { IdentifiabilityReport(events.withBeatsCache) }
}
