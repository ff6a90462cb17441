import Foundation

/// The pieces every BT/PL solver needs from a data representation.
protocol ChoiceLikelihood: Sendable {
    var modelCount: Int { get }
    /// MM numerators (stages won) and denominators Σ_e∋i weight/Σ_{l∈A_e} w_l.
    func mmTerms(weights: [Double]) -> (wins: [Double], denoms: [Double])
    /// LSR Markov rates (row = from, loser → winner), *without* α.
    func lsrRates(weights: [Double]) -> [Double]
    /// Negative log-likelihood, its gradient and (optionally) Hessian at θ.
    func negativeLogLikelihood(theta: [Double], hessian: Bool) -> (value: Double, gradient: [Double], hessian: [Double])
    /// i beat j at least once.
    func beats(_ i: Int, _ j: Int) -> Bool
}

extension PairwiseCounts: ChoiceLikelihood {
    func mmTerms(weights w: [Double]) -> (wins: [Double], denoms: [Double]) {
        let n = modelCount
        var wins = [Double](repeating: 0, count: n), denoms = [Double](repeating: 0, count: n)
        wins.withUnsafeMutableBufferPointer { winsP in
        denoms.withUnsafeMutableBufferPointer { den in
        self.wins.withUnsafeBufferPointer { W in
            for i in 0..<n {
                for j in 0..<n where j != i {
                    let wij = W[i * n + j]
                    winsP[i] += wij
                    let total = wij + W[j * n + i]
                    if total != 0 { den[i] += total / (w[i] + w[j]) }
                }
            }
        }}}
        return (wins, denoms)
    }

    func lsrRates(weights w: [Double]) -> [Double] {
        let n = modelCount
        var rates = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where i != j {
            let wij = wins[i * n + j]   // i beat j: rate j → i
            if wij != 0 { rates[j * n + i] += wij / (w[i] + w[j]) }
        } }
        return rates
    }

    func negativeLogLikelihood(theta: [Double], hessian wantH: Bool) -> (value: Double, gradient: [Double], hessian: [Double]) {
        let n = modelCount
        var f = 0.0
        var g = [Double](repeating: 0, count: n)
        var H = wantH ? [Double](repeating: 0, count: n * n) : []
        for i in 0..<n {
            for j in (i + 1)..<n {
                let wij = wins[i * n + j], wji = wins[j * n + i]
                let total = wij + wji
                if total == 0 { continue }
                let d = theta[i] - theta[j]
                // −log σ(d) = softplus(−d)
                f += wij * softplus(-d) + wji * softplus(d)
                let pij = 1 / (1 + exp(-d))
                let r = total * pij - wij     // ∂f/∂θ_i
                g[i] += r; g[j] -= r
                if wantH {
                    let h = total * pij * (1 - pij)
                    H[i * n + i] += h; H[j * n + j] += h
                    H[i * n + j] -= h; H[j * n + i] -= h
                }
            }
        }
        return (f, g, H)
    }
}

extension ChoiceEvents: ChoiceLikelihood {
    func beats(_ i: Int, _ j: Int) -> Bool { beatsMatrix[i * modelCount + j] }

    var beatsMatrix: [Bool] {
        var b = [Bool](repeating: false, count: modelCount * modelCount)
        for e in 0..<eventCount {
            let w = Int(items[offsets[e]])
            for p in (offsets[e] + 1)..<offsets[e + 1] { b[w * modelCount + Int(items[p])] = true }
        }
        return b
    }

    func mmTerms(weights w: [Double]) -> (wins: [Double], denoms: [Double]) {
        var wins = [Double](repeating: 0, count: modelCount), denoms = [Double](repeating: 0, count: modelCount)
        for e in 0..<eventCount {
            let lo = offsets[e], hi = offsets[e + 1]
            var s = 0.0
            for p in lo..<hi { s += w[Int(items[p])] }
            wins[Int(items[lo])] += weights[e]
            let val = weights[e] / s
            for p in lo..<hi { denoms[Int(items[p])] += val }
        }
        return (wins, denoms)
    }

    func lsrRates(weights w: [Double]) -> [Double] {
        let n = modelCount
        var rates = [Double](repeating: 0, count: n * n)
        for e in 0..<eventCount {
            let lo = offsets[e], hi = offsets[e + 1]
            var s = 0.0
            for p in lo..<hi { s += w[Int(items[p])] }
            let winner = Int(items[lo]), val = weights[e] / s
            for p in (lo + 1)..<hi { rates[Int(items[p]) * n + winner] += val }
        }
        return rates
    }

    func negativeLogLikelihood(theta: [Double], hessian wantH: Bool) -> (value: Double, gradient: [Double], hessian: [Double]) {
        let n = modelCount
        var f = 0.0
        var g = [Double](repeating: 0, count: n)
        var H = wantH ? [Double](repeating: 0, count: n * n) : []
        var p: [Double] = []
        for e in 0..<eventCount {
            let lo = offsets[e], hi = offsets[e + 1], we = weights[e]
            var mx = -Double.infinity
            for q in lo..<hi { mx = max(mx, theta[Int(items[q])]) }
            var s = 0.0
            p.removeAll(keepingCapacity: true)
            for q in lo..<hi { let v = exp(theta[Int(items[q])] - mx); p.append(v); s += v }
            f += we * (mx + log(s) - theta[Int(items[lo])])
            for q in 0..<p.count { p[q] /= s }
            g[Int(items[lo])] -= we
            for q in lo..<hi {
                let a = Int(items[q]), pa = p[q - lo]
                g[a] += we * pa
                if wantH {
                    H[a * n + a] += we * pa
                    for r in lo..<hi { H[a * n + Int(items[r])] -= we * pa * p[r - lo] }
                }
            }
        }
        return (f, g, H)
    }
}
