import Foundation

/// Output of a BT/PL fit.
public struct ChoiceFit: Sendable, Equatable {
    /// Centred log-strengths (Σθ = 0), indexed like the input models.
    public var theta: [Double]
    public var iterations: Int
    /// ‖∇(NLL + penalty)‖∞ at `theta` for the solver's objective (α = 0: plain NLL).
    public var gradientNorm: Double
    public var negativeLogLikelihood: Double
}

/// MM, I-LSR and Newton solvers with choix's semantics (see `Solver`).
enum ChoiceSolvers {
    static func fit<D: ChoiceLikelihood>(_ data: D, solver: Solver, alpha: Double, tolerance: Double,
                                          maxIterations: Int? = nil, initial: [Double]? = nil) throws -> ChoiceFit {
        let n = data.modelCount
        guard n >= 1 else { throw RankError.noData("no models") }
        let limit = maxIterations ?? solver.defaultMaxIterations
        var theta = initial.map(LinearAlgebra.centred) ?? [Double](repeating: 0, count: n)
        if n == 1 { return ChoiceFit(theta: [0], iterations: 0, gradientNorm: 0, negativeLogLikelihood: 0) }
        var previous = theta
        var lastChange = Double.infinity
        for iteration in 1...limit {
            switch solver {
            case .mm:
                let w = LinearAlgebra.expTransform(theta)
                let (wins, denoms) = data.mmTerms(weights: w)
                var next = [Double](repeating: 0, count: n)
                for i in 0..<n { next[i] = (wins[i] + alpha) / (denoms[i] + alpha) }
                theta = LinearAlgebra.logTransform(next)
            case .ilsr:
                theta = try lsrStep(data, alpha: alpha, theta: theta)
            case .newton:
                theta = try newtonStep(data, alpha: alpha, theta: theta)
            }
            guard theta.allSatisfy({ $0.isFinite }) else {
                throw RankError.singular("\(solver.rawValue) produced non-finite parameters (the MLE does not exist)")
            }
            lastChange = LinearAlgebra.l1Distance(theta, previous)
            previous = theta
            if lastChange <= tolerance * Double(n) {
                let (f, g, _) = objective(data, alpha: alpha, theta: theta, hessian: false)
                return ChoiceFit(theta: theta, iterations: iteration, gradientNorm: g.map(abs).max() ?? 0, negativeLogLikelihood: f)
            }
        }
        throw RankError.notConverged(solver: solver.rawValue, iterations: limit, lastChange: lastChange)
    }

    /// One LSR step from θ (choix `lsr_*` with `initial_params = θ`): rates start at α.
    static func lsrStep<D: ChoiceLikelihood>(_ data: D, alpha: Double, theta: [Double]) throws -> [Double] {
        let n = data.modelCount
        let w = LinearAlgebra.expTransform(theta)
        var rates = data.lsrRates(weights: w)
        if alpha != 0 { for i in 0..<n { for j in 0..<n where i != j { rates[i * n + j] += alpha } } }
        return LinearAlgebra.logTransform(try LinearAlgebra.stationaryDistribution(rates: rates, n: n))
    }

    /// NLL + α‖θ‖² (choix `opt_*` objective), gradient and Hessian.
    static func objective<D: ChoiceLikelihood>(_ data: D, alpha: Double, theta: [Double], hessian: Bool) -> (Double, [Double], [Double]) {
        var (f, g, H) = data.negativeLogLikelihood(theta: theta, hessian: hessian)
        let n = data.modelCount
        if alpha != 0 {
            for i in 0..<n {
                f += alpha * theta[i] * theta[i]
                g[i] += 2 * alpha * theta[i]
                if hessian { H[i * n + i] += 2 * alpha }
            }
        }
        return (f, g, H)
    }

    /// Damped Newton step on NLL + α‖θ‖² (Armijo backtracking); at α = 0 the gauge is fixed
    /// by adding 11ᵀ/n to H. Throws if no step decreases the objective.
    static func newtonStep<D: ChoiceLikelihood>(_ data: D, alpha: Double, theta: [Double]) throws -> [Double] {
        let n = data.modelCount
        let (f, g, hessian) = objective(data, alpha: alpha, theta: theta, hessian: true)
        var H = hessian
        if alpha == 0 { for k in 0..<(n * n) { H[k] += 1.0 / Double(n) } }
        let delta = try LinearAlgebra.solve(H, g.map { -$0 }, n: n)
        var slope = 0.0
        for i in 0..<n { slope += g[i] * delta[i] }
        var t = 1.0
        for _ in 0..<60 {
            var candidate = theta
            for i in 0..<n { candidate[i] += t * delta[i] }
            let (fc, _, _) = objective(data, alpha: alpha, theta: candidate, hessian: false)
            if fc <= f + 1e-4 * t * slope || abs(fc - f) <= 1e-12 * max(1, abs(f)) {
                return alpha == 0 ? LinearAlgebra.centred(candidate) : candidate
            }
            t *= 0.5
        }
        throw RankError.notConverged(solver: "newton (line search failed)", iterations: 60, lastChange: abs(slope))
    }
}
