import FathomCore
import FathomRank
import Foundation

/// `leaderboard.json`: models × suites × tasks × lengths, with rankings by every FathomRank method.
/// Encoded with sorted keys and stable array orders and no timestamps, so equal inputs give equal bytes.
public struct Leaderboard: Codable, Sendable, Equatable {
    /// Version of this file's format (the schema in `schema.json`).
    public static let currentSchemaVersion = 2

    /// The ranking settings every method was run with.
    public struct Settings: Codable, Sendable, Equatable {
        public var level: String
        public var tiePolicy: String
        public var alpha: Double
        public var bootstrap: Int
        public var seed: UInt64
        enum CodingKeys: String, CodingKey { case level, tiePolicy = "tie_policy", alpha, bootstrap, seed }
    }

    /// One published run.
    public struct Run: Codable, Sendable, Equatable {
        public var model: String
        public var suite: String
        public var runID: String
        public var status: String
        public var partial: Bool
        public var frameworkVersion: String?
        enum CodingKeys: String, CodingKey { case model, suite, runID = "run_id", status, partial, frameworkVersion = "framework_version" }
    }

    /// A model's suite-level figures (from run.json `summary`).
    public struct SuiteScore: Codable, Sendable, Equatable {
        /// Failed samples counted as 0; `meanOk` averages ok samples only.
        public var mean: Double?
        public var meanOk: Double?
        public var byLength: [String: Double]
        public var effectiveLength: Int?
        /// Every planned sample scored.
        public var complete: Bool
        public var partial: Bool
        enum CodingKeys: String, CodingKey {
            case mean, meanOk = "mean_ok", byLength = "by_length", effectiveLength = "effective_length", complete, partial
        }
    }

    /// A model and its suite-level figures.
    public struct Model: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        /// Keyed by suite name.
        public var suites: [String: SuiteScore]
    }

    /// A suite: the union of the lengths and tasks of its runs.
    public struct Suite: Codable, Sendable, Equatable {
        public var name: String
        public var lengths: [Int]
        public var lengthLabels: [String]
        public var tasks: [String]
        public var headline: String
        public var threshold: Double?
        enum CodingKeys: String, CodingKey { case name, lengths, lengthLabels = "length_labels", tasks, headline, threshold }
    }

    /// One model × suite × task × length cell.
    public struct Result: Codable, Sendable, Equatable {
        public var model: String
        public var suite: String
        public var task: String
        public var length: Int
        public var lengthLabel: String
        /// Failed samples counted as 0 (the headline); `scoreOk` averages ok samples only.
        public var score: Double?
        public var scoreOk: Double?
        public var ci95: [Double]?
        public var n: Int
        public var nOk: Int
        public var nError: Int
        public var nOverflow: Int
        public var nScoreError: Int
        public var nSkipped: Int
        public var nMissing: Int
        public var nTruncatedOutput: Int
        public var partial: Bool
        enum CodingKeys: String, CodingKey {
            case model, suite, task, length, lengthLabel = "length_label", score, scoreOk = "score_ok", ci95, n, nOk = "n_ok", nError = "n_error"
            case nOverflow = "n_overflow", nScoreError = "n_score_error", nSkipped = "n_skipped", nMissing = "n_missing"
            case nTruncatedOutput = "n_truncated_output", partial
        }
    }

    /// A ranking of one scope (`all`, or `suite:NAME` for one suite) by one method. `result` is FathomRank's `RankingResult`;
    /// when the method cannot rank the data, `error` says why and `result` is absent.
    public struct Ranking: Codable, Sendable, Equatable {
        public var scope: String
        public var method: String
        /// Set when the method fell back (e.g. `per-component` when the Bradley–Terry MLE is not identifiable).
        public var fallback: String?
        public var result: RankingResult?
        public var error: String?
        /// Rank and score intervals from a cluster bootstrap over samples, for the methods without intervals of their
        /// own (mean and the social-choice rules); Bradley–Terry, Plackett–Luce and Elo carry `ci95` in `result`.
        public var bootstrap: RankBootstrap?
    }

    /// Percentile intervals (2.5%, 97.5%) of each model's rank and score over bootstrap replicates.
    public struct RankBootstrap: Codable, Sendable, Equatable {
        public var replicates: Int
        public var failedReplicates: Int
        public var seed: UInt64
        public var resampling: String
        public var rankCI95: [String: [Double]]
        public var scoreCI95: [String: [Double]]
        enum CodingKeys: String, CodingKey {
            case replicates, failedReplicates = "failed_replicates", seed, resampling, rankCI95 = "rank_ci95", scoreCI95 = "score_ci95"
        }
    }

    /// One model × suite × task cell along a declared axis (from run.json `by_axis`): at one length, or pooled
    /// over the run's lengths when `length` is nil.
    public struct AxisResult: Codable, Sendable, Equatable {
        public var model: String
        public var suite: String
        public var task: String
        public var axis: String
        public var value: AxisValue
        public var length: Int?
        public var n: Int
        public var nOk: Int
        public var score: Double?
        enum CodingKeys: String, CodingKey { case model, suite, task, axis, value, length, n, nOk = "n_ok", score }
    }

    /// One model's speed on one suite at one length (medians; see run.json `efficiency`).
    public struct EfficiencyEntry: Codable, Sendable, Equatable {
        public var model: String
        public var suite: String
        public var length: Int
        public var n: Int
        public var latencyMs: Double
        public var ttftMs: Double?
        public var queueMs: Double?
        public var prefillTokensPerSecond: Double?
        public var decodeTokensPerSecond: Double?
        enum CodingKeys: String, CodingKey {
            case model, suite, length, n, latencyMs = "latency_ms_median", ttftMs = "ttft_ms_median", queueMs = "queue_ms_median"
            case prefillTokensPerSecond = "prefill_tokens_per_s_median", decodeTokensPerSecond = "decode_tokens_per_s_median"
        }
    }

    /// Depth × length heatmap cells of one model on one depth-grid task.
    public struct Heatmap: Codable, Sendable, Equatable {
        /// Samples of one length in one depth-grid cell.
        public struct Cell: Codable, Sendable, Equatable {
            public var length: Int
            public var depth: Double
            public var n: Int
            public var nOk: Int
            public var score: Double?
            enum CodingKeys: String, CodingKey { case length, depth, n, nOk = "n_ok", score }
        }
        public var model: String
        public var suite: String
        public var task: String
        public var cells: [Cell]
    }

    public var schemaVersion: Int
    public var generator: String
    public var settings: Settings
    public var runs: [Run]
    public var models: [Model]
    public var suites: [Suite]
    public var results: [Result]
    public var rankings: [Ranking]
    /// Results along every axis the tasks declare (depth, output level, K, query type…).
    public var axes: [AxisResult]
    /// Latency, time to first token and prefill/decode speed per model, suite and length.
    public var efficiency: [EfficiencyEntry]
    public var heatmaps: [Heatmap]
    /// Named capability probes (`fathom publish --probe NAME=EXPR`); absent when none was asked for.
    public var probes: [Probe]?

    /// A capability probe: the models ranked by every method on the samples its conditions select, beside the
    /// ranking on all samples (FathomRank's `ProbeResult`, without bootstrap).
    public struct Probe: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var method: String
            public var result: ProbeResult?
            public var error: String?
        }
        public var name: String
        /// The conditions, AND-ed.
        public var filter: String
        public var selectedSamples: Int
        public var results: [Entry]
        enum CodingKeys: String, CodingKey { case name, filter, selectedSamples = "selected_samples", results }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", generator, settings, runs, models, suites, results, rankings, axes, efficiency, heatmaps, probes
    }

    /// Sorted-keys, pretty-printed JSON with a final newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// Settings for building a leaderboard.
public struct PublishOptions: Sendable {
    public var level: VoterLevel = .task
    public var tiePolicy: TiePolicy = .half
    public var alpha: Double = 0
    /// Bootstrap replicates for the methods that support intervals (Bradley–Terry, Plackett–Luce, Elo).
    public var bootstrap: Int = 100
    public var seed: UInt64 = 0
    public var allowPartial: Bool = false
    /// Named structured probes: (name, conditions joined by ` and `).
    public var probes: [(name: String, expression: String)] = []
    public init(level: VoterLevel = .task, tiePolicy: TiePolicy = .half, alpha: Double = 0, bootstrap: Int = 100,
                seed: UInt64 = 0, allowPartial: Bool = false, probes: [(name: String, expression: String)] = []) {
        self.level = level; self.tiePolicy = tiePolicy; self.alpha = alpha; self.bootstrap = bootstrap
        self.seed = seed; self.allowPartial = allowPartial; self.probes = probes
    }

    /// Parses `NAME=EXPR` (the first `=` ends the name).
    public static func probe(parsing text: String) throws -> (name: String, expression: String) {
        guard let eq = text.firstIndex(of: "=") else { throw BoardError.probe(name: text, message: "write NAME=EXPR, e.g. 'joins=query_type=join'") }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces), expression = String(text[text.index(after: eq)...])
        guard !name.isEmpty else { throw BoardError.probe(name: text, message: "the probe has no name (write NAME=EXPR)") }
        return (name, expression)
    }
}

/// Builds a `Leaderboard` from many runs. The result does not depend on the order of `runs`.
public enum LeaderboardBuilder {
    public static func build(_ inputRuns: [RunResults], options: PublishOptions = PublishOptions()) throws -> Leaderboard {
        guard !inputRuns.isEmpty else { throw BoardError.noRuns }
        let runs = inputRuns.sorted { ($0.suite, $0.model, $0.runID, $0.folder) < ($1.suite, $1.model, $1.runID, $1.folder) }
        for (a, b) in zip(runs, runs.dropFirst()) where a.suite == b.suite && a.model == b.model {
            throw BoardError.duplicateRun(model: a.model, suite: a.suite, first: a.folder, second: b.folder)
        }
        let runEntries = runs.map {
            Leaderboard.Run(model: $0.model, suite: $0.suite, runID: $0.runID, status: $0.status, partial: $0.isPartial,
                            frameworkVersion: $0.frameworkVersion)
        }
        // Models.
        var models: [String: Leaderboard.Model] = [:]
        for run in runs {
            var entry = models[run.model] ?? Leaderboard.Model(name: run.model, kind: run.modelKind, suites: [:])
            entry.suites[run.suite] = Leaderboard.SuiteScore(
                mean: run.summary.mean, meanOk: run.summary.meanOk, byLength: run.summary.byLength, effectiveLength: run.summary.effectiveLength,
                complete: run.summary.complete, partial: run.isPartial)
            models[run.model] = entry
        }
        // Suites: union of lengths and tasks over the runs of a suite.
        var suiteLengths: [String: Set<Int>] = [:], suiteTasks: [String: [String]] = [:]
        var suiteHeadline: [String: (String, Double?)] = [:]
        for run in runs {
            suiteLengths[run.suite, default: []].formUnion(run.lengths)
            for t in run.tasks where !(suiteTasks[run.suite] ?? []).contains(t.name) { suiteTasks[run.suite, default: []].append(t.name) }
            if suiteHeadline[run.suite] == nil { suiteHeadline[run.suite] = (run.summary.headline, run.summary.threshold) }
        }
        let suites = suiteLengths.keys.sorted().map { name -> Leaderboard.Suite in
            let lengths = suiteLengths[name]!.sorted()
            return Leaderboard.Suite(name: name, lengths: lengths, lengthLabels: lengths.map(ContextLength.format),
                                     tasks: suiteTasks[name] ?? [], headline: suiteHeadline[name]!.0, threshold: suiteHeadline[name]!.1)
        }
        // Results.
        var results: [Leaderboard.Result] = []
        for run in runs {
            for c in run.cells {
                results.append(Leaderboard.Result(
                    model: run.model, suite: run.suite, task: c.task, length: c.length, lengthLabel: ContextLength.format(c.length),
                    score: c.score, scoreOk: c.scoreOk, ci95: c.ci95, n: c.n, nOk: c.nOk, nError: c.nError, nOverflow: c.nOverflow,
                    nScoreError: c.nScoreError, nSkipped: c.nSkipped, nMissing: c.nMissing, nTruncatedOutput: c.nTruncatedOutput,
                    partial: run.isPartial))
            }
        }
        results.sort { ($0.suite, $0.task, $0.length, $0.model) < ($1.suite, $1.task, $1.length, $1.model) }
        // Rankings: all runs together, then each suite.
        var rankings: [Leaderboard.Ranking] = []
        let scopes: [(String, [RunResults])] = [("all", runs)] + suites.map { s in ("suite:" + s.name, runs.filter { $0.suite == s.name }) }
        for (scope, scopeRuns) in scopes {
            let measurements = mergedMeasurements(scopeRuns)
            for method in RankMethod.allCases {
                rankings.append(ranking(scope: scope, method: method, measurements: measurements, options: options))
            }
        }
        return Leaderboard(
            schemaVersion: Leaderboard.currentSchemaVersion, generator: "fathom publish",
            settings: .init(level: options.level.rawValue, tiePolicy: options.tiePolicy.rawValue, alpha: options.alpha,
                            bootstrap: options.bootstrap, seed: options.seed),
            runs: runEntries, models: models.keys.sorted().map { models[$0]! }, suites: suites, results: results,
            rankings: rankings, axes: axisResults(runs),
            efficiency: runs.flatMap { run in
                run.efficiency.map {
                    Leaderboard.EfficiencyEntry(
                        model: run.model, suite: run.suite, length: $0.length, n: $0.n, latencyMs: $0.latencyMs, ttftMs: $0.ttftMs, queueMs: $0.queueMs,
                        prefillTokensPerSecond: $0.prefillTokensPerSecond, decodeTokensPerSecond: $0.decodeTokensPerSecond)
                }
            }.sorted { ($0.suite, $0.model, $0.length) < ($1.suite, $1.model, $1.length) },
            heatmaps: heatmaps(runs), probes: options.probes.isEmpty ? nil : try probes(runs, options: options))
    }

    /// Every named probe ranked by every method (no bootstrap), against the ranking of all samples by the same method.
    static func probes(_ runs: [RunResults], options: PublishOptions) throws -> [Leaderboard.Probe] {
        let pool = ProbePool(runs: runs)
        var names = Set<String>()
        var rankOptions = RankOptions(voterLevel: options.level, tiePolicy: options.tiePolicy, alpha: options.alpha, bootstrap: 0, seed: options.seed)
        rankOptions.identifiability = .perComponent
        let globals = RankMethod.allCases.map { method in
            (try? rank(pool.measurements, method: method, options: rankOptions)) ?? RankingResult(method: method.rawValue, ranking: [])
        }
        return try options.probes.map { probe in
            guard names.insert(probe.name).inserted else { throw BoardError.probe(name: probe.name, message: "two probes share this name") }
            let filter: ProbeFilter
            do { filter = try pool.filter([probe.expression]) } catch { throw BoardError.probe(name: probe.name, message: "\(error)") }
            let selects = pool.selects(filter)
            let selected = Set(pool.measurements.lazy.filter(selects).map { ProbePool.key($0) }).count
            guard selected > 0 else { throw BoardError.probe(name: probe.name, message: "'\(filter)' selects no sample") }
            let results = zip(RankMethod.allCases, globals).map { method, global -> Leaderboard.Probe.Entry in
                do {
                    let result = try Probe.rank(pool.measurements, selected: selects, method: method, options: rankOptions, global: global)
                    return .init(method: method.rawValue, result: result, error: nil)
                } catch {
                    return .init(method: method.rawValue, result: nil, error: "\(error)")
                }
            }
            return Leaderboard.Probe(name: probe.name, filter: filter.description, selectedSamples: selected, results: results)
        }
    }

    /// Measurements of several runs. A sample id seen twice for one model (the same sample in two suites that share
    /// a task and length) counts once: the first run in (suite, model) order wins.
    static func mergedMeasurements(_ runs: [RunResults]) -> [FathomRank.Measurement] {
        struct Key: Hashable { let model: String, task: String, sample: String }
        var seen = Set<Key>()
        var out: [FathomRank.Measurement] = []
        for run in runs {
            for m in run.measurements() where seen.insert(Key(model: m.model, task: m.task, sample: m.sample)).inserted {
                out.append(m)
            }
        }
        return out
    }

    /// Runs one method; bootstraps where supported. A Bradley–Terry / Plackett–Luce MLE that does not exist falls
    /// back to per-component fits (flagged); any other failure is recorded as an error, never a silent number.
    static func ranking(scope: String, method: RankMethod, measurements: [FathomRank.Measurement],
                        options: PublishOptions) -> Leaderboard.Ranking {
        var rankOptions = RankOptions(voterLevel: options.level, tiePolicy: options.tiePolicy, alpha: options.alpha,
                                      bootstrap: 0, seed: options.seed)
        switch method {
        case .bradleyTerry, .plackettLuce, .elo: rankOptions.bootstrap = options.bootstrap
        default: break
        }
        do {
            let result = try rank(measurements, method: method, options: rankOptions)
            var entry = Leaderboard.Ranking(scope: scope, method: method.rawValue, fallback: nil, result: result, error: nil)
            if rankOptions.bootstrap == 0 && options.bootstrap > 0 {
                entry.bootstrap = bootstrapIntervals(measurements, method: method, options: rankOptions,
                                                     replicates: options.bootstrap, seed: options.seed, models: result.order)
            }
            return entry
        } catch let error as RankError {
            if case .notIdentifiable = error {
                rankOptions.identifiability = .perComponent
                rankOptions.bootstrap = 0
                if let result = try? rank(measurements, method: method, options: rankOptions) {
                    return Leaderboard.Ranking(scope: scope, method: method.rawValue, fallback: "per-component", result: result,
                                               error: error.description)
                }
            }
            return Leaderboard.Ranking(scope: scope, method: method.rawValue, fallback: nil, result: nil, error: error.description)
        } catch {
            return Leaderboard.Ranking(scope: scope, method: method.rawValue, fallback: nil, result: nil, error: String(describing: error))
        }
    }

    /// Cluster bootstrap over samples (FathomRank's seeded resampling): each replicate repeats every (task, sample)
    /// as often as it was drawn and reruns the method. Replicates the method cannot rank are counted, not used.
    static func bootstrapIntervals(_ measurements: [FathomRank.Measurement], method: RankMethod, options: RankOptions,
                                   replicates: Int, seed: UInt64, models: [String]) -> Leaderboard.RankBootstrap {
        struct SampleKey: Hashable, Comparable {
            let task: String, sample: String
            static func < (a: SampleKey, b: SampleKey) -> Bool { (a.task, a.sample) < (b.task, b.sample) }
        }
        var bySample: [SampleKey: [FathomRank.Measurement]] = [:]
        for m in measurements { bySample[SampleKey(task: m.task, sample: m.sample), default: []].append(m) }
        let keys = bySample.keys.sorted()
        var ranks: [String: [Double]] = [:], scores: [String: [Double]] = [:]
        var failed = 0
        for r in 0..<replicates {
            let counts = Bootstrap.sampleCounts(sampleCount: keys.count, seed: seed, replicate: r)
            var resampled: [FathomRank.Measurement] = []
            for (i, key) in keys.enumerated() where counts[i] > 0 {
                for copy in 0..<Int(counts[i]) {
                    for var m in bySample[key]! { m.sample += "#\(copy)"; resampled.append(m) }
                }
            }
            guard let result = try? rank(resampled, method: method, options: options) else { failed += 1; continue }
            for row in result.ranking { ranks[row.model, default: []].append(Double(row.rank)); scores[row.model, default: []].append(row.score) }
        }
        func intervals(_ values: [String: [Double]]) -> [String: [Double]] {
            var out: [String: [Double]] = [:]
            for model in models { if let v = values[model], !v.isEmpty { out[model] = [Bootstrap.quantile(v, 0.025), Bootstrap.quantile(v, 0.975)] } }
            return out
        }
        return Leaderboard.RankBootstrap(replicates: replicates - failed, failedReplicates: failed, seed: seed,
                                         resampling: "samples with replacement (cluster bootstrap), method rerun per replicate",
                                         rankCI95: intervals(ranks), scoreCI95: intervals(scores))
    }

    /// Every run's `by_axis` cells, in a stable order.
    static func axisResults(_ runs: [RunResults]) -> [Leaderboard.AxisResult] {
        var out: [Leaderboard.AxisResult] = []
        for run in runs {
            for c in run.axisCells {
                out.append(Leaderboard.AxisResult(
                    model: run.model, suite: run.suite, task: c.task, axis: c.axis, value: c.value, length: c.length, n: c.n, nOk: c.nOk,
                    score: c.score))
            }
        }
        return out.sorted {
            ($0.suite, $0.task, $0.axis, $0.value, $0.length ?? Int.max, $0.model) < ($1.suite, $1.task, $1.axis, $1.value, $1.length ?? Int.max, $1.model)
        }
    }

    /// Depth × length heatmaps for tasks whose `depth` axis is an exact grid (the classic test: one design point per
    /// cell); bucketed depths of other tasks are in `axes`.
    static func heatmaps(_ runs: [RunResults]) -> [Leaderboard.Heatmap] {
        var out: [Leaderboard.Heatmap] = []
        for run in runs {
            for task in run.tasks.sorted(by: { $0.name < $1.name }) {
                guard task.axes.contains(where: { $0.name == "depth" && $0.binning == .exact }) else { continue }
                let cells = run.axisCells.filter { $0.task == task.name && $0.axis == "depth" && $0.length != nil }
                    .compactMap { c -> Leaderboard.Heatmap.Cell? in
                        guard case .number(let depth) = c.value, let length = c.length else { return nil }
                        return Leaderboard.Heatmap.Cell(length: length, depth: depth, n: c.n, nOk: c.nOk, score: c.score)
                    }
                    .sorted { ($0.length, $0.depth) < ($1.length, $1.depth) }
                guard !cells.isEmpty else { continue }
                out.append(Leaderboard.Heatmap(model: run.model, suite: run.suite, task: task.name, cells: cells))
            }
        }
        return out.sorted { ($0.suite, $0.task, $0.model) < ($1.suite, $1.task, $1.model) }
    }
}
