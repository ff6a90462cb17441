/// Existence/uniqueness check for the BT/PL MLE (Ford 1957; Hunter 2004): with α = 0
/// the MLE exists and is unique up to a shift iff the directed "beats" graph is
/// strongly connected.
public struct IdentifiabilityReport: Sendable, Equatable {
    /// Strongly connected components, in topological order of the condensation
    /// (components that only beat later ones come first).
    public var components: [[Int]]
    /// Models that never lost (includes models with no comparison).
    public var undefeated: [Int]
    /// Models that never won (includes models with no comparison).
    public var winless: [Int]
    public var isStronglyConnected: Bool { components.count == 1 }

    init<D: ChoiceLikelihood>(_ data: D) {
        let n = data.modelCount
        var hasWin = [Bool](repeating: false, count: n), hasLoss = [Bool](repeating: false, count: n)
        for i in 0..<n { for j in 0..<n where i != j && data.beats(i, j) { hasWin[i] = true; hasLoss[j] = true } }
        components = stronglyConnectedComponents(n) { data.beats($0, $1) }
        undefeated = (0..<n).filter { !hasLoss[$0] }
        winless = (0..<n).filter { !hasWin[$0] }
    }

    func error(models: [String]) -> RankError {
        .notIdentifiable(components: components.map { $0.map { models[$0] } },
                         undefeated: undefeated.map { models[$0] }, winless: winless.map { models[$0] })
    }
}

extension ChoiceEvents {
    /// Cached dense beats matrix wrapper for fast gate checks.
    struct Beats: ChoiceLikelihood {
        let events: ChoiceEvents
        let matrix: [Bool]
        var modelCount: Int { events.modelCount }
        func mmTerms(weights: [Double]) -> (wins: [Double], denoms: [Double]) { events.mmTerms(weights: weights) }
        func lsrRates(weights: [Double]) -> [Double] { events.lsrRates(weights: weights) }
        func negativeLogLikelihood(theta: [Double], hessian: Bool) -> (value: Double, gradient: [Double], hessian: [Double]) {
            events.negativeLogLikelihood(theta: theta, hessian: hessian)
        }
        func beats(_ i: Int, _ j: Int) -> Bool { matrix[i * events.modelCount + j] }
    }
    var withBeatsCache: Beats { Beats(events: self, matrix: beatsMatrix) }
}
