import Foundation
import Testing
@testable import FathomRank

/// choix goldens (scripts/rank/make_goldens.py): exact MLE, one-step LSR, α = 0.1 per solver.
@Suite struct ChoixGoldenTests {
    struct Case {
        let name: String, kind: String, n: Int, cyclic: Bool
        let data: [Any]
        let ml: [Double], lsr: [Double], ilsrAlpha: [Double], mmAlpha: [Double], optAlpha: [Double]
        let alpha: Double
    }

    static func cases() throws -> [Case] {
        let root = try Fixtures.json("choix.json") as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map { c in
            Case(name: c["name"] as! String, kind: c["kind"] as! String, n: (c["n"] as! NSNumber).intValue,
                 cyclic: c["cyclic"] as! Bool, data: c["data"] as! [Any],
                 ml: (c["ml"] as! [Any]).doubles, lsr: (c["lsr_one_step"] as! [Any]).doubles,
                 ilsrAlpha: (c["ilsr_alpha"] as! [Any]).doubles, mmAlpha: (c["mm_alpha"] as! [Any]).doubles,
                 optAlpha: (c["opt_alpha"] as! [Any]).doubles, alpha: (c["alpha"] as! NSNumber).doubleValue)
        }
    }

    enum Data { case pairwise(PairwiseCounts), events(ChoiceEvents) }

    static func data(_ c: Case) -> Data {
        switch c.kind {
        case "pairwise":
            var w = [Double](repeating: 0, count: c.n * c.n)
            for pair in c.data { let p = (pair as! [Any]).ints; w[p[0] * c.n + p[1]] += 1 }
            return .pairwise(PairwiseCounts(modelCount: c.n, wins: w))
        case "rankings":
            var e = ChoiceEvents(modelCount: c.n)
            for r in c.data { e.add(ranking: (r as! [Any]).ints) }
            return .events(e)
        default:
            var e = ChoiceEvents(modelCount: c.n)
            for item in c.data {
                let pair = item as! [Any]
                e.add(winner: (pair[0] as! NSNumber).intValue, losers: (pair[1] as! [Any]).ints)
            }
            return .events(e)
        }
    }

    static func fit(_ d: Data, _ solver: Solver, alpha: Double) throws -> [Double] { try fullFit(d, solver, alpha: alpha).theta }

    static func fullFit(_ d: Data, _ solver: Solver, alpha: Double) throws -> ChoiceFit {
        switch d {
        case .pairwise(let c): return try BradleyTerry.fit(c, solver: solver, alpha: alpha, tolerance: 1e-14, maxIterations: 1_000_000)
        case .events(let e): return try PlackettLuce.fit(e, solver: solver, alpha: alpha, tolerance: 1e-14, maxIterations: 1_000_000)
        }
    }

    @Test func goldensCoverAllKinds() throws {
        let kinds = Set(try Self.cases().map(\.kind))
        #expect(kinds == ["pairwise", "rankings", "top1"])
    }

    @Test(arguments: Solver.allCases) func exactMLEMatchesChoix(solver: Solver) throws {
        for c in try Self.cases() {
            let fit = try Self.fullFit(Self.data(c), solver, alpha: 0)
            let theta = fit.theta
            #expect(maxAbsDiff(theta, c.ml) < 1e-9, "\(c.name) \(solver): \(theta) vs \(c.ml)")
            #expect(fit.gradientNorm < 1e-9, "\(c.name) \(solver): KKT \(fit.gradientNorm)")
            if c.cyclic { #expect(theta.allSatisfy { abs($0) < 1e-12 }, "\(c.name) \(solver): \(theta)") }
        }
    }

    @Test func oneStepLSRMatchesChoix() throws {
        for c in try Self.cases() {
            let lsr: [Double]
            switch Self.data(c) {
            case .pairwise(let p): lsr = try BradleyTerry.lsr(p)
            case .events(let e): lsr = try PlackettLuce.lsr(e)
            }
            #expect(maxAbsDiff(lsr, c.lsr) < 1e-9, "\(c.name): \(lsr) vs \(c.lsr)")
        }
    }

    @Test func regularisedFitsFollowChoixSemanticsPerSolver() throws {
        for c in try Self.cases() {
            let d = Self.data(c)
            #expect(maxAbsDiff(try Self.fit(d, .ilsr, alpha: c.alpha), c.ilsrAlpha) < 1e-8, "\(c.name) ilsr")
            #expect(maxAbsDiff(try Self.fit(d, .mm, alpha: c.alpha), c.mmAlpha) < 1e-8, "\(c.name) mm")
            #expect(maxAbsDiff(try Self.fit(d, .newton, alpha: c.alpha), c.optAlpha) < 1e-6, "\(c.name) newton/opt")
        }
    }

    /// The exact values quoted in aggregation.md §2 / §9.8 (independent of the JSON).
    @Test func publishedExactMLEs() throws {
        let expected: [String: [Double]] = [
            "pairwise-2": [0.4196176250, -0.4196176250, 0],
            "rankings-2": [-0.4433084893, 0.6950678670, -0.6706095703, 0.4188501926],
            "top1-2": [0.1604039417, -0.3208078834, 0.1604039417],
        ]
        for c in try Self.cases() where expected[c.name] != nil {
            let theta = try Self.fit(Self.data(c), .newton, alpha: 0)
            #expect(maxAbsDiff(theta, expected[c.name]!) < 1e-9, "\(c.name): \(theta)")
        }
    }

    /// The same goldens through the public `rank` entry point (samples as measurements).
    @Test func rankEntryPointReproducesMLE() throws {
        for c in try Self.cases() where !c.cyclic {
            var rows: [Measurement] = []
            for (k, item) in c.data.enumerated() {
                switch c.kind {
                case "pairwise":
                    let p = (item as! [Any]).ints
                    rows += [Measurement(model: modelName(p[0]), task: "t", sample: "s\(k)", score: 1),
                             Measurement(model: modelName(p[1]), task: "t", sample: "s\(k)", score: 0)]
                case "rankings":
                    let r = (item as! [Any]).ints
                    for (pos, m) in r.enumerated() { rows.append(Measurement(model: modelName(m), task: "t", sample: "s\(k)", score: Double(-pos))) }
                default:
                    let pair = item as! [Any]
                    rows.append(Measurement(model: modelName((pair[0] as! NSNumber).intValue), task: "t", sample: "s\(k)", score: 1))
                    for l in (pair[1] as! [Any]).ints { rows.append(Measurement(model: modelName(l), task: "t", sample: "s\(k)", score: 0)) }
                }
            }
            var options = RankOptions(solver: .newton)
            options.tolerance = 1e-14
            let method: RankMethod = c.kind == "pairwise" ? .bradleyTerry : .plackettLuce
            let result = try rank(rows, method: method, options: options)
            for i in 0..<c.n {
                #expect(abs(result.score(of: modelName(i))! - c.ml[i]) < 1e-9, "\(c.name) model \(i)")
            }
        }
    }
}
