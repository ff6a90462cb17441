/// Ranks models from raw measurements. This is the single entry point the CLI calls.
///
/// Deterministic: the result does not depend on the order of `measurements`
/// (samples are processed sorted by task and sample name; Elo plays them in that order).
public func rank(_ measurements: [Measurement], method: RankMethod, options: RankOptions = RankOptions()) throws -> RankingResult {
    try options.validate()
    guard !measurements.isEmpty else { throw RankError.noData("no measurements") }
    return try rank(table: MeasurementTable(measurements), method: method, options: options)
}

/// Ranks models from an already validated table.
public func rank(table: MeasurementTable, method: RankMethod, options: RankOptions = RankOptions()) throws -> RankingResult {
    try options.validate()
    switch method {
    case .mean: return MeanAggregation.rank(table, options)
    case .borda, .copeland, .kemeny, .schulze, .rankedPairs:
        return try SocialChoiceAggregation.rank(table, method, options)
    case .bradleyTerry, .plackettLuce:
        return try ChoiceAggregation.rank(table, method, options)
    case .elo:
        return try EloAggregation.rank(table, options)
    }
}
