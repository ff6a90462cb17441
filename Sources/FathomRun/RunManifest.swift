import FathomCore
import FathomText
import FathomModels

/// `run.json`: what was run, how, and the results per task × length. Versioned by `schemaVersion`.
public struct RunManifest: Codable, Sendable {
    public static let currentSchemaVersion = 2

    public struct TaskEntry: Codable, Sendable {
        public var name: String
        public var kind: String
        public var version: Int
        public var hash: String
        public var file: String
        public var params: ParameterSet
        public var metrics: [String]
        public var tags: TaskTags
        public var generation: GenerationSettings
        /// Axes besides length that the task's results are aggregated by (`by_axis`).
        public var axes: [AxisSpec]
        /// Versions of outside parts the task relies on (SQLite, libxml2).
        public var provenance: [String: String]
    }

    public struct SuiteEntry: Codable, Sendable {
        public var name: String
        public var hash: String
        public var lengths: [Int]
        public var samples: Int
        public var seed: UInt64
        public var aggregate: SuiteAggregation
    }

    public struct TokenizerEntry: Codable, Sendable {
        public var name: String
        public var fingerprint: String
        public var renderer: String
        /// The chat template prompts were rendered with, when the run used one.
        public var chatTemplate: PromptRendering.Report?
        /// Whether lengths are the model's own tokens (false for the `approx` estimate).
        public var exact: Bool
        /// Why this tokenizer counted: asked for, or the default and its reason.
        public var choice: String
        enum CodingKeys: String, CodingKey { case name, fingerprint, renderer, chatTemplate = "chat_template", exact, choice }
    }

    public struct Framework: Codable, Sendable {
        public var name: String
        public var version: String
        public var gitCommit: String
        public init(name: String, version: String, gitCommit: String) {
            self.name = name
            self.version = version
            self.gitCommit = gitCommit
        }
        enum CodingKeys: String, CodingKey { case name, version, gitCommit = "git_commit" }
    }

    /// One task × length cell.
    public struct Result: Codable, Sendable, Hashable {
        public var task: String
        public var length: Int
        /// Samples planned for this cell.
        public var n: Int
        public var nOk: Int
        public var nError: Int
        public var nOverflow: Int
        public var nMissing: Int
        /// Answers the scorer could not score (`score_error`).
        public var nScoreError: Int
        /// Answers the task declined to score (`skipped`, e.g. code execution not allowed).
        public var nSkipped: Int
        public var nTruncatedOutput: Int
        /// Samples whose server-reported prompt tokens differ from the local count by more than 1%.
        public var nPromptMismatch: Int
        /// Mean headline score (0...1) with every failed sample (error, overflow, score_error) counted as 0, as
        /// RULER counts them: a failure can never raise it. Nil when no sample was scored or failed.
        public var score: Double?
        /// The mean over `ok` samples only, shown beside `score`.
        public var scoreOk: Double?
        /// 95% normal-approximation interval of `score`, clipped to 0...1; nil below 2 values.
        public var ci95: [Double]?
        public var metrics: [String: Double]

        public init(
            task: String, length: Int, n: Int, nOk: Int, nError: Int, nOverflow: Int, nMissing: Int, nScoreError: Int = 0,
            nSkipped: Int = 0, nTruncatedOutput: Int, nPromptMismatch: Int, score: Double?, scoreOk: Double? = nil, ci95: [Double]?,
            metrics: [String: Double]
        ) {
            self.scoreOk = scoreOk
            self.task = task
            self.length = length
            self.n = n
            self.nOk = nOk
            self.nError = nError
            self.nOverflow = nOverflow
            self.nMissing = nMissing
            self.nScoreError = nScoreError
            self.nSkipped = nSkipped
            self.nTruncatedOutput = nTruncatedOutput
            self.nPromptMismatch = nPromptMismatch
            self.score = score
            self.ci95 = ci95
            self.metrics = metrics
        }

        enum CodingKeys: String, CodingKey {
            case task, length, n, nOk = "n_ok", nError = "n_error", nOverflow = "n_overflow", nMissing = "n_missing"
            case nScoreError = "n_score_error", nSkipped = "n_skipped", nTruncatedOutput = "n_truncated_output", nPromptMismatch = "n_prompt_tokens_mismatch", score
            case scoreOk = "score_ok", ci95, metrics
        }
    }

    /// One cell of a task's results along a declared axis: the samples whose value falls in `value`'s bucket, at
    /// one length, or pooled over every length when `length` is nil.
    public struct AxisResult: Codable, Sendable, Hashable {
        public var task: String
        public var axis: String
        public var value: AxisValue
        public var length: Int?
        /// Samples with a record in this cell (missing samples have no known axis value).
        public var n: Int
        public var nOk: Int
        /// Samples that failed (error, overflow, score_error).
        public var nFailed: Int
        public var nSkipped: Int
        public var nTruncatedOutput: Int
        /// Mean headline score with failed samples counted as 0; nil when none was scored or failed.
        public var score: Double?
        /// The mean over `ok` samples only.
        public var scoreOk: Double?
        public var ci95: [Double]?

        enum CodingKeys: String, CodingKey {
            case task, axis, value, length, n, nOk = "n_ok", nFailed = "n_failed", nSkipped = "n_skipped"
            case nTruncatedOutput = "n_truncated_output", score, scoreOk = "score_ok", ci95
        }
    }

    /// Suite-level aggregates.
    /// Suite-level aggregates. Every headline (per-length means, Avg, wAvg, effective length) counts failed samples
    /// as 0; the `_ok` figures beside them average ok samples only.
    public struct Summary: Codable, Sendable, Hashable {
        /// Mean over tasks per length (keys are lengths such as "4k"); present when every task has a score there.
        public var byLength: [String: Double]
        /// Mean of `byLength` over lengths (RULER's Avg).
        public var mean: Double?
        /// RULER's wAvg (inc): weights 1…n over ascending lengths.
        public var weightedMeanIncreasing: Double?
        /// RULER's wAvg (dec): weights n…1.
        public var weightedMeanDecreasing: Double?
        /// Largest length whose score, and every shorter length's, exceeds the threshold (0–100 scale).
        public var effectiveLength: Int?
        public var headline: String
        public var threshold: Double
        /// `byLength` and `mean` over ok samples only.
        public var byLengthOk: [String: Double] = [:]
        public var meanOk: Double?
        /// Every planned sample of every cell was scored (no failure, skip or missing sample).
        public var complete = false

        public init(
            byLength: [String: Double], mean: Double?, weightedMeanIncreasing: Double?, weightedMeanDecreasing: Double?, effectiveLength: Int?,
            headline: String, threshold: Double
        ) {
            self.byLength = byLength
            self.mean = mean
            self.weightedMeanIncreasing = weightedMeanIncreasing
            self.weightedMeanDecreasing = weightedMeanDecreasing
            self.effectiveLength = effectiveLength
            self.headline = headline
            self.threshold = threshold
        }

        enum CodingKeys: String, CodingKey {
            case byLength = "by_length", mean, weightedMeanIncreasing = "weighted_mean_increasing"
            case weightedMeanDecreasing = "weighted_mean_decreasing", effectiveLength = "effective_length", headline, threshold
            case byLengthOk = "by_length_ok", meanOk = "mean_ok", complete
        }
    }

    public var schemaVersion: Int
    public var status: String
    public var framework: Framework
    public var runID: String
    public var suite: SuiteEntry
    public var tasks: [TaskEntry]
    public var model: ModelInfo
    /// What the backend probed and did: server kinds, effective context, concurrency history, retries, cache.
    public var backend: BackendReport?
    public var tokenizer: TokenizerEntry
    public var sampling: GenerationSeed
    public var shard: Shard?
    /// What scorers were allowed (running model code in the sandbox).
    public var scoring: ScoringContext
    public var results: [Result]
    /// Results along each declared axis, per length and pooled.
    public var byAxis: [AxisResult]
    public var summary: Summary
    /// Latency, time to first token, queue wait, prefill and decode speed per length (empty for built-in systems).
    public var efficiency: [Efficiency]

    public struct GenerationSeed: Codable, Sendable {
        public var temperature: Double
        public var topP: Double
        public var seed: UInt64
        enum CodingKeys: String, CodingKey { case temperature, topP = "top_p", seed }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", status, framework, runID = "run_id", suite, tasks, model, backend, tokenizer, sampling
        case shard, scoring, results, byAxis = "by_axis", summary, efficiency
    }
}
