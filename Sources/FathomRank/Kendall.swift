/// Kendall rank correlation with scipy.stats.kendalltau semantics (τ-b, ties in
/// either variable reduce the denominator). Returns nil where scipy returns NaN
/// (fewer than two items, or all values tied in x or in y).
public enum Kendall {
    public static func tauB(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "kendall tau-b needs paired vectors")
        let c = counts(x, y)
        let n = Int64(x.count)
        let total = n * (n - 1) / 2
        guard n >= 2, c.xTies < total, c.yTies < total else { return nil }
        let conMinusDis = total - c.xTies - c.yTies + c.jointTies - 2 * c.discordant
        let tau = Double(conMinusDis) / Double(total - c.xTies).squareRoot() / Double(total - c.yTies).squareRoot()
        return min(1, max(-1, tau))
    }

    /// Number of discordant pairs (Kendall distance between two rank vectors).
    public static func distance(_ x: [Double], _ y: [Double]) -> Int { Int(counts(x, y).discordant) }

    /// τ-b between two score maps over their common keys (nil if fewer than 2 in common).
    public static func tauB(_ a: [String: Double], _ b: [String: Double]) -> Double? {
        let keys = a.keys.filter { b[$0] != nil }.sorted()
        return tauB(keys.map { a[$0]! }, keys.map { b[$0]! })
    }

    struct Counts { var discordant: Int64 = 0, xTies: Int64 = 0, yTies: Int64 = 0, jointTies: Int64 = 0 }

    static func counts(_ x: [Double], _ y: [Double]) -> Counts {
        var c = Counts()
        let n = x.count
        for i in 0..<n {
            let xi = x[i], yi = y[i]
            for j in (i + 1)..<max(i + 1, n) {
                let dx = xi - x[j], dy = yi - y[j]
                if dx == 0 {
                    c.xTies += 1
                    if dy == 0 { c.yTies += 1; c.jointTies += 1 }
                } else if dy == 0 {
                    c.yTies += 1
                } else if (dx > 0) != (dy > 0) {
                    c.discordant += 1
                }
            }
        }
        return c
    }
}
