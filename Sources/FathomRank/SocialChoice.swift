/// Social-choice rules on a weighted majority matrix `N` (row-major n×n,
/// `N[a*n+b]` = voters ranking a above b). Margin m(a,b) = N[a][b] − N[b][a].
/// Model index order (= name order) is the deterministic tie-break everywhere.
public enum SocialChoice {
    /// Copeland with ties worth ½: Σ_b [m_ab > 0] + ½·[m_ab = 0].
    public static func copelandScores(_ N: [Double], n: Int) -> [Double] {
        var scores = [Double](repeating: 0, count: n)
        for a in 0..<n {
            for b in 0..<n where a != b {
                let m = N[a * n + b] - N[b * n + a]
                if m > 0 { scores[a] += 1 } else if m == 0 { scores[a] += 0.5 }
            }
        }
        return scores
    }

    /// Schulze (beat path) with margins as link strengths: d(a,b) = m_ab if positive,
    /// widest paths by Floyd–Warshall. Returns `beats[a*n+b]` = p(a,b) > p(b,a)
    /// (a strict partial order) and the number of models each model beats.
    public static func schulze(_ N: [Double], n: Int) -> (beats: [Bool], wins: [Int]) {
        var p = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0..<n where a != b {
                let m = N[a * n + b] - N[b * n + a]
                p[a * n + b] = m > 0 ? m : 0
            }
        }
        for k in 0..<n {
            for i in 0..<n where i != k {
                let pik = p[i * n + k]
                if pik == 0 { continue }
                for j in 0..<n where j != i && j != k {
                    let via = min(pik, p[k * n + j])
                    if via > p[i * n + j] { p[i * n + j] = via }
                }
            }
        }
        var beats = [Bool](repeating: false, count: n * n)
        var wins = [Int](repeating: 0, count: n)
        for a in 0..<n {
            for b in 0..<n where a != b && p[a * n + b] > p[b * n + a] {
                beats[a * n + b] = true; wins[a] += 1
            }
        }
        return (beats, wins)
    }

    /// Ranked pairs (Tideman) with a fixed tie-break, identical to pref_voting's
    /// `ranked_pairs_tb` with the sorted-candidates tie-breaker:
    /// every ordered pair (a,b) with m_ab ≥ 0 (zero margins in both directions) is
    /// considered by margin descending, then by (index of a, index of b) ascending,
    /// and locked unless b already (transitively) beats a. The locked relation is a
    /// linear order, returned best first.
    public static func rankedPairs(_ N: [Double], n: Int) -> [Int] {
        var edges: [(a: Int, b: Int, m: Double)] = []
        for a in 0..<n {
            for b in 0..<n where a != b {
                let m = N[a * n + b] - N[b * n + a]
                if m >= 0 { edges.append((a, b, m)) }
            }
        }
        edges.sort { x, y in
            if x.m != y.m { return x.m > y.m }
            if x.a != y.a { return x.a < y.a }
            return x.b < y.b
        }
        // reach[i*n+j]: i is locked above j (transitively closed).
        var reach = [Bool](repeating: false, count: n * n)
        for e in edges {
            if reach[e.b * n + e.a] || reach[e.a * n + e.b] { continue }
            // lock a > b and close: every x reaching a (or a) now reaches every y reached by b (or b)
            var above = [e.a], below = [e.b]
            for x in 0..<n where reach[x * n + e.a] { above.append(x) }
            for y in 0..<n where reach[e.b * n + y] { below.append(y) }
            for x in above { for y in below { reach[x * n + y] = true } }
        }
        var above = [Int](repeating: 0, count: n)
        for a in 0..<n { for b in 0..<n where reach[a * n + b] { above[a] += 1 } }
        // A model beating k others sits at position n-1-k.
        return (0..<n).sorted { above[$0] != above[$1] ? above[$0] > above[$1] : $0 < $1 }
    }

    /// Kemeny cost of an order (best first): Σ over a placed before b of N[b][a].
    public static func kemenyCost(_ order: [Int], _ N: [Double], n: Int) -> Double {
        var cost = 0.0
        for i in 0..<order.count {
            for j in (i + 1)..<order.count { cost += N[order[j] * n + order[i]] }
        }
        return cost
    }
}
