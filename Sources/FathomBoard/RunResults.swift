import FathomCore
import FathomRank
import Foundation

/// A run folder read through its versioned file format (`run.json` schema_version 1 or 2, and `samples*.jsonl`),
/// independent of the runner's own types: the files are the contract (`schemas/` holds their JSON Schemas).
public struct RunResults: Sendable {
    /// The `run.json` schema versions this reader understands.
    public static let supportedSchemaVersions = [1, 2]

    /// One task of the run and the axes it declares (schema_version 2).
    public struct TaskInfo: Sendable, Equatable {
        public var name: String
        public var family: String?
        /// Taxonomy tags (run.json `tags.diffusion`, `tags.scope`), when recorded.
        public var diffusion: String? = nil
        public var scope: String? = nil
        public var axes: [AxisSpec]
    }

    /// One cell of run.json `by_axis`: a task's samples whose value on `axis` falls in `value`'s bucket, at one
    /// length or pooled over lengths (`length` nil).
    public struct AxisCell: Sendable, Equatable {
        public var task: String
        public var axis: String
        public var value: AxisValue
        public var length: Int?
        public var n: Int
        public var nOk: Int
        public var score: Double?
    }

    /// One task × length cell of run.json `results`.
    public struct Cell: Sendable, Equatable {
        public var task: String
        public var length: Int
        public var n: Int
        public var nOk: Int
        public var nError: Int
        public var nOverflow: Int
        public var nMissing: Int
        public var nScoreError: Int
        public var nSkipped: Int
        public var nTruncatedOutput: Int
        /// The cell's headline (0...1): failed samples count as 0 (schema_version 2; version 1 averaged ok samples).
        public var score: Double?
        /// The mean over `ok` samples only.
        public var scoreOk: Double?
        public var ci95: [Double]?
    }

    /// One length's medians of run.json `efficiency`.
    public struct EfficiencyCell: Codable, Sendable, Equatable {
        public var length: Int
        public var n: Int
        public var latencyMs: Double
        public var ttftMs: Double?
        public var queueMs: Double?
        public var prefillTokensPerSecond: Double?
        public var decodeTokensPerSecond: Double?
        enum CodingKeys: String, CodingKey {
            case length, n, latencyMs = "latency_ms_median", ttftMs = "ttft_ms_median", queueMs = "queue_ms_median"
            case prefillTokensPerSecond = "prefill_tokens_per_s_median", decodeTokensPerSecond = "decode_tokens_per_s_median"
        }
    }

    /// One line of samples.jsonl (the last record of each id wins, as in the runner).
    public struct SampleOutcome: Sendable, Equatable {
        public var id: String
        public var task: String
        public var length: Int
        public var index: Int
        public var status: String
        /// Headline score; only meaningful when `status == "ok"`.
        public var score: Double?
        /// The sample's value on each declared axis (samples.jsonl `axes`).
        public var axes: [String: AxisValue] = [:]
        /// The prompt without its context (samples.jsonl `query`), when the run recorded it.
        public var query: String? = nil
        /// The sample failed (request, server context or scorer): it is measured as 0, never dropped.
        public var isFailure: Bool { ["error", "overflow", "score_error"].contains(status) }
        /// The value this sample contributes to rankings: its score when ok, 0 when it failed, nothing when it was
        /// skipped (or its score is not a finite number).
        public var measuredScore: Double? {
            if status == "ok" { return score.flatMap { $0.isFinite ? $0 : nil } }
            return isFailure ? 0 : nil
        }
    }

    /// Suite-level aggregates from run.json `summary`.
    public struct Summary: Sendable, Equatable {
        public var byLength: [String: Double]
        public var mean: Double?
        public var meanOk: Double?
        public var complete: Bool
        public var effectiveLength: Int?
        public var headline: String
        public var threshold: Double?
    }

    public var folder: String
    public var runID: String
    public var model: String
    public var modelKind: String
    public var suite: String
    public var status: String
    public var frameworkVersion: String?
    public var lengths: [Int]
    public var tasks: [TaskInfo]
    public var cells: [Cell]
    /// Results along declared axes (empty for schema_version 1 runs).
    public var axisCells: [AxisCell]
    /// Speed per length (run.json `efficiency`; empty for built-in systems and older runs).
    public var efficiency: [EfficiencyCell]
    public var summary: Summary
    /// Samples sorted by task, length, index, id.
    public var samples: [SampleOutcome]

    /// True when the run did not finish (`status` other than `complete`).
    public var isPartial: Bool { status != "complete" }

    /// The task identity used for ranking: `task@length`, e.g. `ruler.niah_single_1@4k`.
    public static func taskKey(_ task: String, _ length: Int) -> String { "\(task)@\(ContextLength.format(length))" }

    /// Sample-level measurements for FathomRank: ok samples with their score, failed samples (error, overflow,
    /// score_error) as 0, as RULER counts them, so a failure can never lift a model; skipped samples are not
    /// measured. Task = `task@length`, sample = the sample id.
    public func measurements() -> [FathomRank.Measurement] {
        samples.compactMap { s in
            s.measuredScore.map { FathomRank.Measurement(model: model, task: Self.taskKey(s.task, s.length), sample: s.id, score: $0, higherIsBetter: true) }
        }
    }

    /// Reads a run folder (or a path to its run.json). Refuses a run whose status is not `complete` unless
    /// `allowPartial`; an unknown schema_version is an error naming the file.
    public static func read(folder rawFolder: String, allowPartial: Bool = false) throws -> RunResults {
        var folder = rawFolder
        if folder.hasSuffix("/run.json") || folder == "run.json" { folder = (folder as NSString).deletingLastPathComponent }
        if folder.isEmpty { folder = "." }
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        let runPath = folder + "/run.json"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: runPath) else {
            throw BoardError.notARunFolder(path: folder)
        }
        let version: Int
        do {
            version = try JSONDecoder().decode(VersionProbe.self, from: data).schemaVersion
        } catch {
            throw BoardError.malformed(file: runPath, line: 0, message: "not a run.json (no integer schema_version): \(Self.describe(error))")
        }
        guard supportedSchemaVersions.contains(version) else {
            throw BoardError.unsupportedSchema(file: runPath, found: version, supported: supportedSchemaVersions)
        }
        if version >= 2 {
            let problems = try ResultsSchemas.validate(run: data)
            guard problems.isEmpty else {
                throw BoardError.malformed(file: runPath, line: 0, message: "run.json does not match schemas/run.schema.json: " + problems.prefix(5).joined(separator: "; "))
            }
        }
        let file: RunFile
        do { file = try JSONDecoder().decode(RunFile.self, from: data) } catch {
            throw BoardError.malformed(file: runPath, line: 0, message: "run.json of schema_version \(version) does not decode: \(Self.describe(error))")
        }
        if file.status != "complete" && !allowPartial {
            throw BoardError.incompleteRun(file: runPath, status: file.status)
        }
        let tasks = file.tasks.map { t in TaskInfo(name: t.name, family: t.tags?.family, diffusion: t.tags?.diffusion, scope: t.tags?.scope, axes: t.axes ?? []) }
        let axisCells = (file.byAxis ?? []).map {
            AxisCell(task: $0.task, axis: $0.axis, value: $0.value, length: $0.length, n: $0.n, nOk: $0.nOk, score: $0.score)
        }
        let cells = file.results.map {
            Cell(task: $0.task, length: $0.length, n: $0.n, nOk: $0.nOk, nError: $0.nError, nOverflow: $0.nOverflow,
                 nMissing: $0.nMissing ?? 0, nScoreError: $0.nScoreError ?? 0, nSkipped: $0.nSkipped ?? 0,
                 nTruncatedOutput: $0.nTruncatedOutput ?? 0, score: $0.score, scoreOk: $0.scoreOk ?? $0.score, ci95: $0.ci95)
        }
        let summary = Summary(byLength: file.summary?.byLength ?? [:], mean: file.summary?.mean,
                              meanOk: file.summary?.meanOk ?? file.summary?.mean,
                              complete: file.summary?.complete ?? cells.allSatisfy { $0.nOk == $0.n },
                              effectiveLength: file.summary?.effectiveLength, headline: file.summary?.headline ?? "mean",
                              threshold: file.summary?.threshold)
        return RunResults(folder: folder, runID: file.runID, model: file.model.name, modelKind: file.model.kind ?? "unknown",
                          suite: file.suite.name, status: file.status, frameworkVersion: file.framework?.version,
                          lengths: file.suite.lengths, tasks: tasks, cells: cells, axisCells: axisCells, efficiency: file.efficiency ?? [],
                          summary: summary,
                          samples: try readSamples(folder: folder))
    }

    /// Journal files of a folder: `samples.jsonl` and shard journals `samples.I-of-N.jsonl`, in name order.
    static func journalFiles(folder: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw BoardError.io(path: folder, message: "cannot list the folder: \(error.localizedDescription)")
        }
        return names.filter { name in
            if name == "samples.jsonl" { return true }
            guard name.hasPrefix("samples."), name.hasSuffix(".jsonl") else { return false }
            let middle = name.dropFirst("samples.".count).dropLast(".jsonl".count)
            let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
            return parts.count == 3 && parts[1] == "of" && Int(parts[0]) != nil && Int(parts[2]) != nil
        }.sorted()
    }

    static func readSamples(folder: String) throws -> [SampleOutcome] {
        var byID: [String: SampleOutcome] = [:]
        for name in try journalFiles(folder: folder) {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BoardError.io(path: path, message: "cannot read the file")
            }
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let decoder = JSONDecoder()
            for (i, line) in lines.enumerated() {
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
                let record: SampleLine
                do { record = try decoder.decode(SampleLine.self, from: Data(line)) } catch {
                    // A torn last line (a crash mid-write, no trailing newline) is dropped, as the journal does.
                    if i == lines.count - 1 { continue }
                    throw BoardError.malformed(file: path, line: i + 1, message: "not a sample record: \(describe(error))")
                }
                byID[record.id] = SampleOutcome(id: record.id, task: record.task, length: record.length, index: record.index,
                                                status: record.status, score: record.score, axes: record.axes ?? [:], query: record.query)
            }
        }
        return byID.values.sorted {
            ($0.task, $0.length, $0.index, $0.id) < ($1.task, $1.length, $1.index, $1.id)
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "invalid JSON: \(context.debugDescription)"
        default:
            return String(describing: error)
        }
    }
}

struct VersionProbe: Decodable {
    let schemaVersion: Int
    enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version" }
}

/// The part of run.json (schema_version 1 or 2) the board reads.
struct RunFile: Decodable {
    struct Framework: Decodable { let version: String? }
    struct Suite: Decodable { let name: String; let lengths: [Int] }
    struct Tags: Decodable { let family: String?; let diffusion: String?; let scope: String? }
    struct Task: Decodable { let name: String; let tags: Tags?; let axes: [AxisSpec]? }
    struct Model: Decodable { let name: String; let kind: String? }
    struct Result: Decodable {
        let task: String
        let length: Int
        let n: Int
        let nOk: Int
        let nError: Int
        let nOverflow: Int
        let nMissing: Int?
        let nScoreError: Int?
        let nSkipped: Int?
        let nTruncatedOutput: Int?
        let score: Double?
        let scoreOk: Double?
        let ci95: [Double]?
        enum CodingKeys: String, CodingKey {
            case task, length, n, nOk = "n_ok", nError = "n_error", nOverflow = "n_overflow", nMissing = "n_missing"
            case nScoreError = "n_score_error", nSkipped = "n_skipped", nTruncatedOutput = "n_truncated_output", score
            case scoreOk = "score_ok", ci95
        }
    }
    struct Summary: Decodable {
        let byLength: [String: Double]?
        let mean: Double?
        let meanOk: Double?
        let complete: Bool?
        let effectiveLength: Int?
        let headline: String?
        let threshold: Double?
        enum CodingKeys: String, CodingKey {
            case byLength = "by_length", mean, meanOk = "mean_ok", complete, effectiveLength = "effective_length", headline, threshold
        }
    }
    let status: String
    let runID: String
    let framework: Framework?
    let suite: Suite
    let tasks: [Task]
    let model: Model
    struct AxisResult: Decodable {
        let task: String
        let axis: String
        let value: AxisValue
        let length: Int?
        let n: Int
        let nOk: Int
        let score: Double?
        enum CodingKeys: String, CodingKey { case task, axis, value, length, n, nOk = "n_ok", score }
    }
    let results: [Result]
    let byAxis: [AxisResult]?
    let efficiency: [RunResults.EfficiencyCell]?
    let summary: Summary?
    enum CodingKeys: String, CodingKey {
        case status, runID = "run_id", framework, suite, tasks, model, results, byAxis = "by_axis", efficiency, summary
    }
}

/// The part of a samples.jsonl line the board reads.
struct SampleLine: Decodable {
    let id: String
    let task: String
    let length: Int
    let index: Int
    let status: String
    let score: Double?
    let axes: [String: AxisValue]?
    let query: String?
}
