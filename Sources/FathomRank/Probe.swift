/// A capability probe's ranking (after ONEBench's capability querying): the models ranked on the selected samples
/// alone, how much evidence each model has there, whether that evidence identifies a ranking, and how far the
/// ranking is from the one on the whole pool.
public struct ProbeResult: Codable, Sendable, Equatable {
    public var method: String
    /// Distinct (task, sample) pairs selected.
    public var selectedSamples: Int
    /// Selected samples each model was measured on (0 for a model of the pool that has none).
    public var samplesPerModel: [String: Int]
    /// Pairwise comparisons each model takes part in on the selected samples (full pairwise breaking; a tie counts
    /// as a comparison unless the tie policy drops it).
    public var comparisonsPerModel: [String: Double]
    /// The same gate as the global fit: with alpha = 0, true iff the beats graph of the selected samples is strongly
    /// connected (Ford 1957); with alpha > 0 the regularised fit always exists.
    public var identifiable: Bool
    /// Strongly connected components of the beats graph, in topological order (one component when identifiable).
    public var components: [[String]]
    public var undefeated: [String]
    public var winless: [String]
    /// The ranking on the selected samples: per strongly connected component for Bradley–Terry and Plackett–Luce
    /// when not identifiable (see `ranking.diagnostics`).
    public var ranking: RankingResult
    /// Kendall τ-b between the probe's ranks and the global ranks over the models ranked by both; nil when either
    /// ranking is per component (its ranks are not comparable across components) or fewer than two models are shared.
    public var kendallTauB: Double?
    public var modelsCompared: Int
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case method, selectedSamples = "selected_samples", samplesPerModel = "samples_per_model"
        case comparisonsPerModel = "comparisons_per_model", identifiable, components, undefeated, winless, ranking
        case kendallTauB = "kendall_tau_b", modelsCompared = "models_compared", note
    }
}

public enum Probe {
    /// Ranks the models on the measurements `selected` keeps, with the same method and options as `global` (the
    /// ranking of all `measurements`). Never fails for want of identifiability: Bradley–Terry and Plackett–Luce fall
    /// back to per-component fits and say so. Throws when nothing is selected.
    public static func rank(_ measurements: [Measurement], selected: (Measurement) -> Bool, method: RankMethod,
                            options: RankOptions, global: RankingResult) throws -> ProbeResult {
        let subset = measurements.filter(selected)
        guard !subset.isEmpty else {
            throw RankError.noData("the probe selects no sample (\(Set(measurements.map { $0.task + "\u{0}" + $0.sample }).count) in the pool)")
        }
        let table = try MeasurementTable(subset)
        var perModel = [Int](repeating: 0, count: table.modelCount)
        for m in table.entryModel { perModel[Int(m)] += 1 }
        var samplesPerModel = Dictionary(uniqueKeysWithValues: global.ranking.map { ($0.model, 0) })
        for (i, name) in table.models.enumerated() { samplesPerModel[name] = perModel[i] }

        // The gate of the global fit: Plackett–Luce's per-tier events, else the pairwise breaking under the tie policy.
        let counts = PairwiseCounts(table: table, tiePolicy: options.tiePolicy)
        let report = method == .plackettLuce ? IdentifiabilityReport(ChoiceEvents(table: table).withBeatsCache) : IdentifiabilityReport(counts)
        let identifiable = options.alpha > 0 || report.isStronglyConnected
        var comparisons = Dictionary(uniqueKeysWithValues: global.ranking.map { ($0.model, 0.0) })
        for (i, name) in table.models.enumerated() { comparisons[name] = counts.comparisons[i] }

        var probeOptions = options
        probeOptions.identifiability = .perComponent
        if !identifiable { probeOptions.bootstrap = 0 }
        let ranking = try FathomRank.rank(table: table, method: method, options: probeOptions)

        let names = table.models
        let comparable = ranking.diagnostics["comparableAcrossComponents"] != .bool(false)
            && global.diagnostics["comparableAcrossComponents"] != .bool(false)
        let globalRanks = Dictionary(uniqueKeysWithValues: global.ranking.map { ($0.model, -Double($0.rank)) })
        let probeRanks = Dictionary(uniqueKeysWithValues: ranking.ranking.map { ($0.model, -Double($0.rank)) })
        let shared = probeRanks.keys.filter { globalRanks[$0] != nil }.count
        var note: String? = nil
        if !identifiable {
            note = method == .bradleyTerry || method == .plackettLuce
                ? "the selected samples do not identify a ranking (beats graph has \(report.components.count) strongly connected components): ranks are within each component"
                : "the selected samples do not identify a Bradley-Terry ranking (beats graph has \(report.components.count) strongly connected components): \(method.rawValue) ranks models that no selected sample compares directly"
        }
        return ProbeResult(
            method: method.rawValue, selectedSamples: table.sampleCount, samplesPerModel: samplesPerModel, comparisonsPerModel: comparisons,
            identifiable: identifiable, components: report.components.map { $0.map { names[$0] } },
            undefeated: report.undefeated.map { names[$0] }, winless: report.winless.map { names[$0] }, ranking: ranking,
            kendallTauB: comparable ? Kendall.tauB(probeRanks, globalRanks) : nil, modelsCompared: shared, note: note)
    }
}
