import Testing
@testable import FathomRank

/// ONEBench robustness harness on the synthetic generator (100 models × 1,000 samples,
/// dispersion 0.1), protocol A (per-model sparsification), BT with ONEBench's
/// `both-win` ties, α = 0, I-LSR.
@Suite(.serialized) struct RobustnessTests {
    static let data = SyntheticONEBench.generate(models: 100, samples: 1000, dispersion: 0.1, seed: 0)
    static var options: RankOptions { RankOptions(tiePolicy: .bothWin, alpha: 0, solver: .ilsr) }

    @Test func generatorShape() {
        #expect(Self.data.measurements.count == 100_000)
        #expect(Self.data.trueMeans.count == 100)
    }

    @Test func bradleyTerryTauAt50And95PercentMissing() throws {
        let points = try Robustness.run(Self.data.measurements, method: .bradleyTerry, options: Self.options,
                                        protocol: .perModel, fractions: [0.5, 0.95], seeds: [0], truth: Self.data.trueMeans)
        #expect(points.count == 2)
        let at50 = try #require(points[0].tauVsTruth), at95 = try #require(points[1].tauVsTruth)
        #expect(at50 >= 0.97, "tau at 50% = \(at50)")
        #expect(at95 >= 0.88, "tau at 95% = \(at95)")
        #expect(points[0].tauVsFull! >= 0.97)
        #expect(points[0].measurements == 50_000)
        #expect(points[1].measurements == 5_000)
    }

    @Test func identifiabilityGateTriggersAt99PercentMissing() throws {
        let points = try Robustness.run(Self.data.measurements, method: .bradleyTerry, options: Self.options,
                                        protocol: .perModel, fractions: [0.99], seeds: [0], truth: Self.data.trueMeans)
        #expect(points[0].tauVsTruth == nil)
        #expect(points[0].error?.contains("does not exist") == true, "\(points[0].error ?? "no error")")
        let sparse = Robustness.sparsify(Self.data.measurements, fraction: 0.99, protocol: .perModel, seed: 0)
        #expect(throws: RankError.self) { try rank(sparse, method: .bradleyTerry, options: Self.options) }
        // With a prior the fit exists again.
        var regularised = Self.options
        regularised.alpha = 1e-3
        let r = try rank(sparse, method: .bradleyTerry, options: regularised)
        #expect(r.ranking.count == 100)
    }

    @Test func perSampleProtocolKeepsWholeSamples() {
        let kept = Robustness.sparsify(Self.data.measurements, fraction: 0.9, protocol: .perSample, seed: 1)
        #expect(kept.count == 100 * 100)
        #expect(Set(kept.map(\.sample)).count == 100)
        // deterministic
        #expect(kept == Robustness.sparsify(Self.data.measurements, fraction: 0.9, protocol: .perSample, seed: 1))
    }

    /// Informative missingness (§1.3 MNAR setup): BT compares within samples, so dataset
    /// difficulty cancels; the plain mean does not. Averaged over 5 seeds BT must beat the
    /// mean by at least 0.1 in τ against the true abilities.
    @Test func bradleyTerryBeatsMeanUnderInformativeMissingness() throws {
        var bt = 0.0, mean = 0.0
        for seed in 0..<5 {
            let data = SyntheticONEBench.generateMNAR(seed: UInt64(seed))
            let options = RankOptions(tiePolicy: .bothWin, alpha: 1e-4)
            let fit = try rank(data.measurements, method: .bradleyTerry, options: options)
            var meanOptions = options
            meanOptions.voterLevel = .sample
            let plain = try rank(data.measurements, method: .mean, options: meanOptions)
            bt += Kendall.tauB(Dictionary(uniqueKeysWithValues: fit.ranking.map { ($0.model, $0.score) }), data.trueMeans)! / 5
            mean += Kendall.tauB(Dictionary(uniqueKeysWithValues: plain.ranking.map { ($0.model, $0.score) }), data.trueMeans)! / 5
        }
        #expect(bt - mean >= 0.1, "BT tau \(bt), mean tau \(mean)")
    }
}
