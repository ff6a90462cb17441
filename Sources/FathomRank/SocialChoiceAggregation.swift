/// Borda (HELM mean win rate), Copeland, Kemeny–Young, Schulze, ranked pairs.
enum SocialChoiceAggregation {
    static func rank(_ table: MeasurementTable, _ method: RankMethod, _ options: RankOptions) throws -> RankingResult {
        let profile = VoterProfile(table: table, level: options.voterLevel)
        guard profile.voterCount > 0 else { throw RankError.noData("no voter ranks two or more models at voter level '\(options.voterLevel.rawValue)'") }
        // Borda scores only models that some voter ranks. The pairwise rules keep every
        // model: a pair no voter compares has margin 0 (pref_voting's semantics), so a
        // never-compared model ties everybody rather than counting as best.
        var inVoter = [Bool](repeating: false, count: table.modelCount)
        for m in profile.members { inVoter[Int(m)] = true }
        let active = method == .borda ? (0..<table.modelCount).filter { inVoter[$0] } : Array(0..<table.modelCount)
        let models = active.map { table.models[$0] }
        let n = active.count
        let fullN = profile.majorityCounts()
        var N = [Double](repeating: 0, count: n * n)
        for (a, i) in active.enumerated() { for (b, j) in active.enumerated() { N[a * n + b] = fullN[i * table.modelCount + j] } }
        var diagnostics: [String: DiagnosticValue] = [
            "voterLevel": .string(options.voterLevel.rawValue),
            "voters": .int(profile.voterCount),
            "droppedVoters": .int(profile.droppedVoters),
            "unrankedModels": .strings((0..<table.modelCount).filter { !inVoter[$0] }.map { table.models[$0] }),
        ]
        let rows: [RankedModel]
        switch method {
        case .borda:
            let (rates, counted) = profile.meanWinRates()
            rows = rowsFromScores(models: models, scores: active.map { rates[$0] })
            diagnostics["definition"] = .string("HELM mean win rate: (#strictly worse + 0.5*#tied)/(|voter|-1), averaged over the voters ranking the model")
            diagnostics["votersPerModel"] = .object(Dictionary(uniqueKeysWithValues: active.map { (table.models[$0], .int(counted[$0])) }))
        case .copeland:
            let scores = SocialChoice.copelandScores(N, n: n)
            rows = rowsFromScores(models: models, scores: scores)
            let best = scores.max() ?? 0
            diagnostics["winners"] = .strings((0..<n).filter { scores[$0] == best }.map { models[$0] })
        case .schulze:
            let (beats, wins) = SocialChoice.schulze(N, n: n)
            rows = rowsFromScores(models: models, scores: wins.map(Double.init))
            diagnostics["winners"] = .strings((0..<n).filter { a in !(0..<n).contains { beats[$0 * n + a] } }.map { models[$0] })
            diagnostics["definition"] = .string("beat path with margins; score = number of models beaten in the Schulze relation")
        case .rankedPairs:
            let order = SocialChoice.rankedPairs(N, n: n)
            rows = rowsFromOrder(order, models: models)
            diagnostics["tieBreak"] = .string("pairs with margin >= 0 by margin descending, then (winner name, loser name) ascending; as pref_voting ranked_pairs_tb with sorted candidates")
            diagnostics["winners"] = .strings([models[order[0]]])
        case .kemeny:
            let result = SocialChoice.kemeny(N, n: n, exactLimit: options.kemenyExactLimit)
            rows = rowsFromOrder(result.order, models: models)
            diagnostics["cost"] = .number(result.cost)
            diagnostics["lowerBound"] = .number(result.lowerBound)
            diagnostics["optimalityGap"] = .number(result.cost - result.lowerBound)
            diagnostics["exact"] = .bool(result.exact)
            diagnostics["optimalOrders"] = result.optimalOrders.map { .number($0) } ?? .null
            diagnostics["winners"] = result.winners.map { .strings($0.map { models[$0] }) } ?? .null
            diagnostics["componentSizes"] = .array(result.componentSizes.map { .int($0) })
            let (rates, _) = profile.meanWinRates()
            let bordaOrder = (0..<n).sorted { rates[active[$0]] != rates[active[$1]] ? rates[active[$0]] > rates[active[$1]] : $0 < $1 }
            diagnostics["bordaOrderCost"] = .number(SocialChoice.kemenyCost(bordaOrder, N, n: n))
            diagnostics["canonical"] = .string("lexicographically smallest optimal order by model name")
        default:
            preconditionFailure("not a social-choice method")
        }
        return RankingResult(method: method.rawValue, ranking: rows, diagnostics: diagnostics)
    }

    /// Linear order → rows with rank = position + 1 and score = n − 1 − position.
    static func rowsFromOrder(_ order: [Int], models: [String]) -> [RankedModel] {
        order.enumerated().map { RankedModel(model: models[$0.element], rank: $0.offset + 1, score: Double(order.count - 1 - $0.offset)) }
    }
}
