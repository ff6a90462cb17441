import FathomCore
import Foundation

/// ONEBench missingness protocols.
public enum MissingnessProtocol: String, CaseIterable, Sendable, Codable {
    /// Protocol A ("sparsity"): drop ceil(f·Nᵢ) random measurements of each model i.
    case perModel = "per-model"
    /// Protocol B ("robustness"): keep a random round((1−f)·S) of the S samples.
    case perSample = "per-sample"
}

/// One point of a robustness curve. `error` is set (and the taus are nil) when the
/// method refused the sparsified data, e.g. the identifiability gate.
public struct RobustnessPoint: Codable, Sendable, Equatable {
    public var fraction: Double
    public var seed: UInt64
    public var measurements: Int
    public var tauVsFull: Double?
    public var tauVsTruth: Double?
    public var error: String?
}

/// Robustness harness: sparsify, re-rank, compare with the full-data ranking (and the truth if given).
public enum Robustness {
    /// ONEBench's grid {0, .1, …, .9, .91, …, .99}.
    public static let defaultFractions: [Double] = (0...9).map { Double($0) / 10 } + (91...99).map { Double($0) / 100 }

    /// Deterministically removes a fraction of the measurements.
    public static func sparsify(_ measurements: [Measurement], fraction: Double, protocol proto: MissingnessProtocol, seed: UInt64) -> [Measurement] {
        precondition(fraction >= 0 && fraction <= 1)
        var rng = SeededRandom(seed: seed ^ (UInt64(fraction * 1_000_000) &* 0x9E37_79B9_7F4A_7C15))
        switch proto {
        case .perModel:
            // Group row indices by model (sorted names for determinism).
            var rowsByModel: [String: [Int]] = [:]
            for (i, m) in measurements.enumerated() { rowsByModel[m.model, default: []].append(i) }
            var keep = [Bool](repeating: true, count: measurements.count)
            for model in rowsByModel.keys.sorted() {
                var rows = rowsByModel[model]!
                let drop = Int((fraction * Double(rows.count)).rounded(.up))
                for k in 0..<min(drop, rows.count) {   // partial Fisher–Yates
                    let j = k + rng.below(rows.count - k)
                    rows.swapAt(k, j)
                    keep[rows[k]] = false
                }
            }
            return measurements.indices.filter { keep[$0] }.map { measurements[$0] }
        case .perSample:
            struct Key: Hashable { let task: String, sample: String }
            var seen = Set<Key>()
            var keys: [Key] = []
            for m in measurements where seen.insert(Key(task: m.task, sample: m.sample)).inserted { keys.append(Key(task: m.task, sample: m.sample)) }
            keys.sort { $0.task != $1.task ? $0.task < $1.task : $0.sample < $1.sample }
            let keepCount = Int(((1 - fraction) * Double(keys.count)).rounded())
            for k in 0..<min(keepCount, keys.count) {
                let j = k + rng.below(keys.count - k)
                keys.swapAt(k, j)
            }
            let kept = Set(keys.prefix(keepCount))
            return measurements.filter { kept.contains(Key(task: $0.task, sample: $0.sample)) }
        }
    }

    /// Runs the protocol over `fractions` × `seeds`.
    public static func run(_ measurements: [Measurement], method: RankMethod, options: RankOptions,
                           protocol proto: MissingnessProtocol, fractions: [Double] = defaultFractions,
                           seeds: [UInt64] = [0, 1, 2], truth: [String: Double]? = nil) throws -> [RobustnessPoint] {
        let full = try rank(measurements, method: method, options: options)
        let fullScores = Dictionary(uniqueKeysWithValues: full.ranking.map { ($0.model, $0.score) })
        var points: [RobustnessPoint] = []
        for fraction in fractions {
            for seed in seeds {
                let sparse = sparsify(measurements, fraction: fraction, protocol: proto, seed: seed)
                var point = RobustnessPoint(fraction: fraction, seed: seed, measurements: sparse.count, tauVsFull: nil, tauVsTruth: nil, error: nil)
                do {
                    let result = try rank(sparse, method: method, options: options)
                    if result.diagnostics["comparableAcrossComponents"] == .bool(false) {
                        point.error = "not comparable across components"
                    } else {
                        let scores = Dictionary(uniqueKeysWithValues: result.ranking.map { ($0.model, $0.score) })
                        point.tauVsFull = Kendall.tauB(scores, fullScores)
                        point.tauVsTruth = truth.flatMap { Kendall.tauB(scores, $0) }
                    }
                } catch {
                    point.error = String(describing: error)
                }
                points.append(point)
            }
        }
        return points
    }
}
