import FathomRank
import Foundation

/// A run folder read through its versioned file format (`run.json` schema_version 1 and `samples*.jsonl`),
/// independent of the runner's own types: the files are the contract.
public struct RunResults: Sendable {
    /// The `run.json` schema versions this reader understands.
    public static let supportedSchemaVersions = [1]

    /// One task of the run, with its depth grid when the task places needles on a fixed grid.
    public struct TaskInfo: Sendable, Equatable {
        public var name: String
        public var family: String?
        /// Requested depth (percent) of each grid cell; sample `i` sits in cell `i % count`. Nil when the task
        /// draws depths at random (RULER mode), which samples.jsonl does not record.
        public var depthGrid: [Double]?
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
        public var nTruncatedOutput: Int
        /// Mean over `ok` samples (0...1); nil when no sample is ok.
        public var score: Double?
        public var ci95: [Double]?
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
        /// True when this sample counts as a measurement: status ok with a finite score.
        public var isMeasured: Bool { status == "ok" && (score?.isFinite ?? false) }
    }

    /// Suite-level aggregates from run.json `summary`.
    public struct Summary: Sendable, Equatable {
        public var byLength: [String: Double]
        public var mean: Double?
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
    public var summary: Summary
    /// Samples sorted by task, length, index, id.
    public var samples: [SampleOutcome]

    /// True when the run did not finish (`status` other than `complete`).
    public var isPartial: Bool { status != "complete" }

    /// The task identity used for ranking: `task@length`, e.g. `ruler.niah_single_1@4k`.
    public static func taskKey(_ task: String, _ length: Int) -> String { "\(task)@\(LengthLabel.format(length))" }

    /// Sample-level measurements for FathomRank: only `ok` samples count; failed samples are not measured
    /// (absent), never 0. Task = `task@length`, sample = the sample id.
    public func measurements() -> [FathomRank.Measurement] {
        samples.filter(\.isMeasured).map {
            FathomRank.Measurement(model: model, task: Self.taskKey($0.task, $0.length), sample: $0.id, score: $0.score!, higherIsBetter: true)
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
        let file: RunFileV1
        do { file = try JSONDecoder().decode(RunFileV1.self, from: data) } catch {
            throw BoardError.malformed(file: runPath, line: 0, message: "run.json of schema_version 1 does not decode: \(Self.describe(error))")
        }
        if file.status != "complete" && !allowPartial {
            throw BoardError.incompleteRun(file: runPath, status: file.status)
        }
        let tasks = file.tasks.map { t in
            TaskInfo(name: t.name, family: t.tags?.family, depthGrid: DepthGrid.grid(params: t.params))
        }
        let cells = file.results.map {
            Cell(task: $0.task, length: $0.length, n: $0.n, nOk: $0.nOk, nError: $0.nError, nOverflow: $0.nOverflow,
                 nMissing: $0.nMissing ?? 0, nTruncatedOutput: $0.nTruncatedOutput ?? 0, score: $0.score, ci95: $0.ci95)
        }
        let summary = Summary(byLength: file.summary?.byLength ?? [:], mean: file.summary?.mean,
                              effectiveLength: file.summary?.effectiveLength, headline: file.summary?.headline ?? "mean",
                              threshold: file.summary?.threshold)
        return RunResults(folder: folder, runID: file.runID, model: file.model.name, modelKind: file.model.kind ?? "unknown",
                          suite: file.suite.name, status: file.status, frameworkVersion: file.framework?.version,
                          lengths: file.suite.lengths, tasks: tasks, cells: cells, summary: summary,
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
                let record: SampleLineV1
                do { record = try decoder.decode(SampleLineV1.self, from: Data(line)) } catch {
                    // A torn last line (a crash mid-write, no trailing newline) is dropped, as the journal does.
                    if i == lines.count - 1 { continue }
                    throw BoardError.malformed(file: path, line: i + 1, message: "not a sample record: \(describe(error))")
                }
                byID[record.id] = SampleOutcome(id: record.id, task: record.task, length: record.length, index: record.index,
                                                status: record.status, score: record.score)
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

/// Length labels as Fathom writes them (k = 1024, m = 1024²).
public enum LengthLabel {
    public static func format(_ length: Int) -> String {
        if length > 0 && length % (1024 * 1024) == 0 { return "\(length / (1024 * 1024))m" }
        if length > 0 && length % 1024 == 0 { return "\(length / 1024)k" }
        return String(length)
    }
}

/// The NIAH plugin's documented depth grids: `depth_mode` linear or sigmoid with `depth_points` cells; sample `i`
/// sits at cell `i % depth_points` (see Tasks/niah/classic.yaml).
enum DepthGrid {
    static func grid(params: JSONValue?) -> [Double]? {
        // run.json stores a task's parameters as {"values": {...}} (FathomCore's ParameterSet); accept a bare object too.
        var params = params
        if case .object(let wrapper)? = params, case .object? = wrapper["values"], wrapper.count == 1 { params = wrapper["values"] }
        guard case .object(let p)? = params, case .string(let mode)? = p["depth_mode"], mode == "linear" || mode == "sigmoid" else {
            return nil
        }
        var points = 40
        if case .number(let d)? = p["depth_points"], d >= 1, d == d.rounded() { points = Int(d) }
        let linear = points == 1 ? [50.0] : (0..<points).map { Double($0) * 100 / Double(points - 1) }
        if mode == "linear" { return linear }
        return linear.map { x in
            if x == 0 || x == 100 { return x }
            let y = 100 / (1 + exp(-0.1 * (x - 50)))
            return (y * 1000).rounded() / 1000
        }
    }
}

/// A generic JSON value (for task parameters, whose shape is the plugin's business).
enum JSONValue: Decodable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}

struct VersionProbe: Decodable {
    let schemaVersion: Int
    enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version" }
}

/// The part of run.json (schema_version 1) the board reads.
struct RunFileV1: Decodable {
    struct Framework: Decodable { let version: String? }
    struct Suite: Decodable { let name: String; let lengths: [Int] }
    struct Tags: Decodable { let family: String? }
    struct Task: Decodable { let name: String; let params: JSONValue?; let tags: Tags? }
    struct Model: Decodable { let name: String; let kind: String? }
    struct Result: Decodable {
        let task: String
        let length: Int
        let n: Int
        let nOk: Int
        let nError: Int
        let nOverflow: Int
        let nMissing: Int?
        let nTruncatedOutput: Int?
        let score: Double?
        let ci95: [Double]?
        enum CodingKeys: String, CodingKey {
            case task, length, n, nOk = "n_ok", nError = "n_error", nOverflow = "n_overflow", nMissing = "n_missing"
            case nTruncatedOutput = "n_truncated_output", score, ci95
        }
    }
    struct Summary: Decodable {
        let byLength: [String: Double]?
        let mean: Double?
        let effectiveLength: Int?
        let headline: String?
        let threshold: Double?
        enum CodingKeys: String, CodingKey {
            case byLength = "by_length", mean, effectiveLength = "effective_length", headline, threshold
        }
    }
    let status: String
    let runID: String
    let framework: Framework?
    let suite: Suite
    let tasks: [Task]
    let model: Model
    let results: [Result]
    let summary: Summary?
    enum CodingKeys: String, CodingKey {
        case status, runID = "run_id", framework, suite, tasks, model, results, summary
    }
}

/// The part of a samples.jsonl line the board reads.
struct SampleLineV1: Decodable {
    let id: String
    let task: String
    let length: Int
    let index: Int
    let status: String
    let score: Double?
}
