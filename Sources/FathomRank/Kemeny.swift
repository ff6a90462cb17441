/// Result of Kemeny–Young aggregation.
public struct KemenyResult: Sendable, Equatable {
    /// The canonical optimum (lexicographically smallest optimal order by model index), best first.
    /// When `exact` is false, the best order found by the heuristic.
    public var order: [Int]
    /// Σ over a placed before b of N[b][a] (number of pairwise disagreements with the voters).
    public var cost: Double
    /// Lower bound on the optimal cost (equals `cost` when exact).
    public var lowerBound: Double
    public var exact: Bool
    /// Number of optimal orders (nil when not exact). A Double because it can exceed 2⁶⁴.
    public var optimalOrders: Double?
    /// Models first in some optimal order (nil when not exact).
    public var winners: [Int]?
    /// Sizes of the strongly connected components of the weak-majority digraph, in order.
    public var componentSizes: [Int]
}

extension SocialChoice {
    /// Kemeny–Young: the order minimising Σ_{a before b} N[b][a].
    ///
    /// Exact method: split into strongly connected components of the weak-majority
    /// digraph (a→b iff m_ab ≥ 0); every optimum respects the component order. Each
    /// component of size ≤ `exactLimit` is solved by a subset DP (O(2ᵏk²) time, O(2ᵏ)
    /// memory) that also counts optima. Larger components use a bounded heuristic
    /// (net-margin seed and KwikSort, then insertion local search) and report the gap
    /// to the lower bound Σ min(N_ab, N_ba).
    public static func kemeny(_ N: [Double], n: Int, exactLimit: Int = 22) -> KemenyResult {
        let components = stronglyConnectedComponents(n) { a, b in N[a * n + b] >= N[b * n + a] }
        var order: [Int] = []
        var exact = true
        var lowerBound = 0.0
        var optima: Double = 1
        var winners: [Int]? = nil
        for (ci, comp) in components.enumerated() {
            let k = comp.count
            if k == 1 {
                order.append(comp[0])
                if ci == 0 { winners = [comp[0]] }
                continue
            }
            if k <= exactLimit {
                let (local, count, first) = exactComponent(comp, N, n: n)
                order.append(contentsOf: local)
                optima *= count
                if ci == 0 { winners = first }
                lowerBound += kemenyCost(local, N, n: n)
            } else {
                exact = false
                order.append(contentsOf: heuristicComponent(comp, N, n: n))
                for i in 0..<k { for j in (i + 1)..<k { lowerBound += min(N[comp[i] * n + comp[j]], N[comp[j] * n + comp[i]]) } }
            }
        }
        // Pairs across components are ordered by majority in every optimum: add their cost.
        var pos = [Int](repeating: 0, count: n)
        for (p, m) in order.enumerated() { pos[m] = p }
        var compOf = [Int](repeating: 0, count: n)
        for (ci, comp) in components.enumerated() { for m in comp { compOf[m] = ci } }
        for a in 0..<n { for b in 0..<n where compOf[a] < compOf[b] { lowerBound += N[b * n + a] } }
        let cost = kemenyCost(order, N, n: n)
        return KemenyResult(order: order, cost: cost, lowerBound: exact ? cost : lowerBound, exact: exact,
                            optimalOrders: exact ? optima : nil, winners: exact ? winners : nil,
                            componentSizes: components.map(\.count))
    }

    private static func exactComponent(_ comp: [Int], _ N: [Double], n: Int) -> ([Int], Double, [Int]) {
        let k = comp.count
        var L = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k { L[i * k + j] = N[comp[i] * n + comp[j]] } }
        let full = (1 << k) - 1
        var g = [Double](repeating: 0, count: full + 1)
        var cnt = [Double](repeating: 0, count: full + 1)
        cnt[full] = 1
        var rest = [Int](repeating: 0, count: k)
        // placementCost(x | placed) = Σ_{y unplaced, y≠x} L[y][x]
        var mask = full - 1
        while mask >= 0 {
            var r = 0
            for i in 0..<k where mask & (1 << i) == 0 { rest[r] = i; r += 1 }
            var best = Double.infinity, ways = 0.0
            for xi in 0..<r {
                let x = rest[xi]
                var add = 0.0
                for yi in 0..<r { add += L[rest[yi] * k + x] }
                let total = add + g[mask | (1 << x)]
                if xi == 0 || total < best - tolerance(best) {
                    best = total; ways = cnt[mask | (1 << x)]
                } else if abs(total - best) <= tolerance(best) {
                    ways += cnt[mask | (1 << x)]
                }
            }
            g[mask] = best; cnt[mask] = ways
            mask -= 1
        }
        func add(_ x: Int, _ mask: Int) -> Double {
            var s = 0.0
            for y in 0..<k where mask & (1 << y) == 0 && y != x { s += L[y * k + x] }
            return s
        }
        var winners: [Int] = []
        for x in 0..<k where abs(add(x, 0) + g[1 << x] - g[0]) <= tolerance(g[0]) { winners.append(comp[x]) }
        var local: [Int] = []
        var m = 0
        while m != full {
            for x in 0..<k where m & (1 << x) == 0 {
                if abs(add(x, m) + g[m | (1 << x)] - g[m]) <= tolerance(g[m]) {
                    local.append(comp[x]); m |= 1 << x; break
                }
            }
        }
        return (local, cnt[0], winners)
    }

    @inline(__always) private static func tolerance(_ v: Double) -> Double { 1e-9 * max(1, abs(v)) }

    private static func heuristicComponent(_ comp: [Int], _ N: [Double], n: Int) -> [Int] {
        var netScore = [Double](repeating: 0, count: n)
        for a in comp { netScore[a] = comp.reduce(0.0) { $0 + N[a * n + $1] - N[$1 * n + a] } }
        let seed = comp.sorted { netScore[$0] != netScore[$1] ? netScore[$0] > netScore[$1] : $0 < $1 }
        func kwik(_ items: [Int]) -> [Int] {
            guard items.count > 1 else { return items }
            let pivot = items[0]
            var left: [Int] = [], right: [Int] = [], tied: [Int] = []
            for x in items.dropFirst() {
                let m = N[x * n + pivot] - N[pivot * n + x]
                if m > 0 { left.append(x) } else if m < 0 { right.append(x) } else { tied.append(x) }
            }
            return kwik(left) + [pivot] + kwik(tied + right)
        }
        var candidates = [localSearch(seed, N, n: n), localSearch(kwik(seed), N, n: n)]
        candidates.sort { kemenyCost($0, N, n: n) < kemenyCost($1, N, n: n) }
        return candidates[0]
    }

    /// Insertion local search ("local Kemenisation"): move single items while the cost drops.
    static func localSearch(_ start: [Int], _ N: [Double], n: Int) -> [Int] {
        var order = start
        let k = order.count
        var improved = true
        var passes = 0
        while improved && passes < 1000 {
            improved = false; passes += 1
            for i in 0..<k {
                let x = order[i]
                // delta of moving x from i to j
                var bestDelta = 0.0, bestJ = i
                var delta = 0.0
                var j = i - 1
                while j >= 0 { // move up past order[j]
                    let y = order[j]
                    delta += N[y * n + x] - N[x * n + y]  // x before y now: lose N[y][x]? cost changes by N[y][x]-N[x][y]
                    if delta < bestDelta - 1e-12 { bestDelta = delta; bestJ = j }
                    j -= 1
                }
                delta = 0
                j = i + 1
                while j < k {
                    let y = order[j]
                    delta += N[x * n + y] - N[y * n + x]
                    if delta < bestDelta - 1e-12 { bestDelta = delta; bestJ = j }
                    j += 1
                }
                if bestJ != i {
                    order.remove(at: i)
                    order.insert(x, at: bestJ)
                    improved = true
                }
            }
        }
        return order
    }
}
