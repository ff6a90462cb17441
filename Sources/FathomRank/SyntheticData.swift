import FathomCore

/// ONEBench's synthetic generator (`generate_synthetic_measurements.py`, as described
/// in aggregation.md §1.3): model means U(0,1), per-model noise sd U(0, dispersion);
/// each sample is binary with probability ½ (score = 1 if the noisy value exceeds a
/// per-sample threshold U(0,1), else 0), otherwise numeric (the noisy value).
public enum SyntheticONEBench {
    public struct Dataset: Sendable {
        public var measurements: [Measurement]
        /// Ground truth: each model's true mean.
        public var trueMeans: [String: Double]
    }

    public static func generate(models: Int = 100, samples: Int = 1000, dispersion: Double = 0.1, seed: UInt64 = 0,
                                task: String = "synthetic") -> Dataset {
        var rng = SeededRandom(seed: seed)
        let names = (0..<models).map { "model-" + String(repeating: "0", count: max(0, 3 - String($0).count)) + String($0) }
        let means = (0..<models).map { _ in rng.unit() }
        let sds = (0..<models).map { _ in rng.unit() * dispersion }
        var out: [Measurement] = []
        out.reserveCapacity(models * samples)
        for j in 0..<samples {
            let binary = rng.unit() < 0.5
            let threshold = rng.unit()
            let sample = "s\(j)"
            for i in 0..<models {
                let value = means[i] + sds[i] * rng.gaussian()
                out.append(Measurement(model: names[i], task: task, sample: sample,
                                       score: binary ? (value > threshold ? 1 : 0) : value, higherIsBetter: true))
            }
        }
        return Dataset(measurements: out, trueMeans: Dictionary(uniqueKeysWithValues: zip(names, means)))
    }
}

extension SyntheticONEBench {
    /// Sparse variant for benchmarks: every (model, sample) cell is observed independently
    /// with probability `density`, so about models·samples·density measurements come out
    /// (same score model as `generate`). Samples are numbered "s<j>" in task `task`.
    public static func generateSparse(models: Int, samples: Int, density: Double, dispersion: Double = 0.1,
                                      seed: UInt64 = 0, task: String = "synthetic") -> Dataset {
        var rng = SeededRandom(seed: seed)
        let names = (0..<models).map { "model-" + String(repeating: "0", count: max(0, 3 - String($0).count)) + String($0) }
        let means = (0..<models).map { _ in rng.unit() }
        let sds = (0..<models).map { _ in rng.unit() * dispersion }
        var out: [Measurement] = []
        out.reserveCapacity(Int(Double(models * samples) * density * 1.01) + 16)
        for j in 0..<samples {
            let binary = rng.unit() < 0.5
            let threshold = rng.unit()
            let sample = "s\(j)"
            for i in 0..<models where rng.unit() < density {
                let value = means[i] + sds[i] * rng.gaussian()
                out.append(Measurement(model: names[i], task: task, sample: sample,
                                       score: binary ? (value > threshold ? 1 : 0) : value, higherIsBetter: true))
            }
        }
        return Dataset(measurements: out, trueMeans: Dictionary(uniqueKeysWithValues: zip(names, means)))
    }
}

extension SyntheticONEBench {
    /// Informative (dataset-wise, MNAR) missingness, after aggregation.md §1.3: model
    /// ability U(0,1); dataset difficulty U(−1,1); score = ability − difficulty + N(0, noise²);
    /// even-numbered datasets are binarised at 0.5; each model sees `datasetsPerModel`
    /// random datasets (one task per dataset). Truth = ability.
    public static func generateMNAR(models: Int = 60, datasets: Int = 20, samplesPerDataset: Int = 50,
                                    datasetsPerModel: Int = 6, noise: Double = 0.15, seed: UInt64 = 0) -> Dataset {
        var rng = SeededRandom(seed: seed)
        let names = (0..<models).map { "model-" + String(repeating: "0", count: max(0, 3 - String($0).count)) + String($0) }
        let ability = (0..<models).map { _ in rng.unit() }
        let difficulty = (0..<datasets).map { _ in rng.unit() * 2 - 1 }
        var out: [Measurement] = []
        for i in 0..<models {
            var all = Array(0..<datasets)
            for k in 0..<min(datasetsPerModel, datasets) { all.swapAt(k, k + rng.below(datasets - k)) }
            for d in all.prefix(datasetsPerModel).sorted() {
                for s in 0..<samplesPerDataset {
                    let value = ability[i] - difficulty[d] + noise * rng.gaussian()
                    out.append(Measurement(model: names[i], task: "dataset-\(d)", sample: "s\(s)",
                                           score: d % 2 == 0 ? (value > 0.5 ? 1 : 0) : value))
                }
            }
        }
        return Dataset(measurements: out, trueMeans: Dictionary(uniqueKeysWithValues: zip(names, ability)))
    }
}
