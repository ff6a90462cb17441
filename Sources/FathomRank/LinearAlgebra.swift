import Foundation

/// Small dense linear algebra on row-major flat arrays (n ≤ a few hundred).
enum LinearAlgebra {
    /// Solves A x = b by LU with partial pivoting. Throws `RankError.singular` on a
    /// (numerically) zero pivot.
    static func solve(_ A: [Double], _ b: [Double], n: Int) throws -> [Double] {
        var a = A, x = b
        var scale = 0.0
        for v in a { scale = max(scale, abs(v)) }
        let tiny = max(scale, 1e-300) * 1e-14
        var pivotRow = [Double](repeating: 0, count: n)
        try a.withUnsafeMutableBufferPointer { m in
            try x.withUnsafeMutableBufferPointer { xs in
                try pivotRow.withUnsafeMutableBufferPointer { prow in
                    for col in 0..<n {
                        var pivot = col, best = abs(m[col * n + col])
                        var r = col + 1
                        while r < n { let v = abs(m[r * n + col]); if v > best { best = v; pivot = r }; r += 1 }
                        if best <= tiny { throw RankError.singular("zero pivot in column \(col) of a \(n)x\(n) system") }
                        if pivot != col {
                            for c in 0..<n { m.swapAt(col * n + c, pivot * n + c) }
                            xs.swapAt(col, pivot)
                        }
                        let d = m[col * n + col]
                        let width = n - col - 1
                        for c in 0..<width { prow[c] = m[col * n + col + 1 + c] }
                        let xcol = xs[col]
                        r = col + 1
                        while r < n {
                            let f = m[r * n + col] / d
                            if f != 0 {
                                m[r * n + col] = 0
                                let row = m.baseAddress! + (r * n + col + 1)
                                let src = prow.baseAddress!
                                for c in 0..<width { row[c] -= f * src[c] }
                                xs[r] -= f * xcol
                            }
                            r += 1
                        }
                    }
                    var r = n - 1
                    while r >= 0 {
                        var s = xs[r]
                        var c = r + 1
                        while c < n { s -= m[r * n + c] * xs[c]; c += 1 }
                        xs[r] = s / m[r * n + r]
                        r -= 1
                    }
                }
            }
        }
        return x
    }

    /// Stationary distribution of a continuous-time Markov chain with rate matrix
    /// `rates` (off-diagonal, row = from). Solves πQ = 0, Σπ = n (choix's `statdist`
    /// scaling). Throws when the chain has no unique stationary distribution.
    static func stationaryDistribution(rates: [Double], n: Int) throws -> [Double] {
        // A = Qᵀ with the last equation replaced by Σπ = 1.
        var A = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            var out = 0.0
            for j in 0..<n where j != i {
                let r = rates[i * n + j]
                out += r
                A[j * n + i] = r
            }
            A[i * n + i] = -out
        }
        for c in 0..<n { A[(n - 1) * n + c] = 1 }
        var b = [Double](repeating: 0, count: n)
        b[n - 1] = 1
        let pi: [Double]
        do { pi = try solve(A, b, n: n) } catch {
            throw RankError.singular("stationary distribution could not be computed (the Markov chain has more than one absorbing class)")
        }
        let total = pi.reduce(0, +)
        guard pi.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw RankError.singular("stationary distribution has non-positive mass (the Markov chain is not irreducible)")
        }
        return pi.map { $0 * Double(n) / total }
    }

    /// choix `exp_transform`: w = e^{θ−θ̄} scaled to sum n.
    static func expTransform(_ theta: [Double]) -> [Double] {
        let n = theta.count
        let mean = theta.reduce(0, +) / Double(n)
        var w = theta.map { expFoundation($0 - mean) }
        let s = w.reduce(0, +)
        for i in 0..<n { w[i] *= Double(n) / s }
        return w
    }

    /// choix `log_transform`: θ = log w − mean(log w).
    static func logTransform(_ w: [Double]) -> [Double] {
        centred(w.map { logFoundation($0) })
    }

    static func centred(_ x: [Double]) -> [Double] {
        let mean = x.reduce(0, +) / Double(x.count)
        return x.map { $0 - mean }
    }

    static func l1Distance(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += abs(a[i] - b[i]) }
        return s
    }
}

@inline(__always) func expFoundation(_ x: Double) -> Double { exp(x) }
@inline(__always) func logFoundation(_ x: Double) -> Double { log(x) }
/// log(1 + e^x) without overflow.
@inline(__always) func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }
