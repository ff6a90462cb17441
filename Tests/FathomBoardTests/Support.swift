import FathomCore
import Foundation
@testable import FathomBoard

/// Writes fabricated run folders in a temporary directory. Version-2 folders are checked against the published
/// schemas (`ResultsSchemas`) as they are written, so the fixture cannot drift from the real format.
struct RunFixture {
    struct SchemaViolation: Error, CustomStringConvertible { var description: String }

    struct S { var task: String; var length: Int; var index: Int; var status: String; var score: Double? }

    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("board-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A run folder with run.json (results computed from `samples`) and samples.jsonl.
    @discardableResult
    func writeRun(model: String, suite: String = "mini", status: String = "complete", schemaVersion: Int = 2,
                  tasks: [(name: String, params: String)] = [("t.a", "{}"), ("t.grid", #"{"depth_mode": "linear", "depth_points": 3, "haystack": "essay"}"#)],
                  lengths: [Int] = [4096, 8192], samples: [S], extraJournal: (name: String, lines: [String])? = nil,
                  tornLine: Bool = false) throws -> String {
        let dir = root.appendingPathComponent("\(suite)/\(Slug.make(model))/run-\(Slug.make(model))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var results: [String] = []
        for t in tasks {
            for length in lengths {
                let cell = samples.filter { $0.task == t.name && $0.length == length }
                let ok = cell.filter { $0.status == "ok" }
                let score = ok.isEmpty ? "null" : String(ok.map { $0.score! }.reduce(0, +) / Double(ok.count))
                results.append("""
                {"task": "\(t.name)", "length": \(length), "n": \(max(1, cell.count)), "n_ok": \(ok.count), "n_error": \(cell.filter { $0.status == "error" }.count), "n_overflow": 0, "n_missing": 0, "n_score_error": 0, "n_skipped": 0, "n_truncated_output": 0, "n_prompt_tokens_mismatch": 0\(ok.isEmpty ? "" : ", \"score\": " + score), "metrics": {}}
                """)
            }
        }
        // t.grid declares an exact depth axis on a 3-point grid (0, 50, 100): sample i sits at grid[i % 3].
        var byAxis: [String] = []
        let grid = [0.0, 50, 100]
        for t in tasks where t.name == "t.grid" {
            for (d, depth) in grid.enumerated() {
                for length in lengths + [0] {
                    let cell = samples.filter { $0.task == t.name && $0.index % 3 == d && (length == 0 || $0.length == length) }
                    guard !cell.isEmpty else { continue }
                    let ok = cell.filter { $0.status == "ok" }
                    let score = ok.isEmpty ? "" : ", \"score\": \(ok.map { $0.score! }.reduce(0, +) / Double(ok.count))"
                    byAxis.append(#"{"task": "t.grid", "axis": "depth", "value": \#(depth), \#(length == 0 ? "" : "\"length\": \(length), ")"n": \#(cell.count), "n_ok": \#(ok.count), "n_failed": \#(cell.count - ok.count), "n_skipped": 0, "n_truncated_output": 0\#(score)}"#)
                }
            }
        }
        let modelJSON = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        let axes = { (name: String) in
            name == "t.grid" ? #"[{"name": "depth", "doc": "d", "binning": {"kind": "exact"}}]"# : "[]"
        }
        let taskJSON = tasks.map { #"{"name": "\#($0.name)", "kind": "niah", "version": 1, "hash": "h", "file": "f.yaml", "params": \#($0.params), "metrics": ["string_match_all"], "tags": {"family": "synthetic-recall", "diffusion": "low", "scope": "small"}, "generation": {"max_tokens": 8, "stop": [], "temperature": 0, "top_p": 1, "prefix_mode": "chat-user"}, "axes": \#(axes($0.name)), "provenance": {}}"# }
        let runJSON = """
        {"schema_version": \(schemaVersion), "status": "\(status)", "framework": {"name": "fathom", "version": "0.1.0", "git_commit": "abc"},
         "run_id": "run-\(Slug.make(model))", "suite": {"name": "\(suite)", "hash": "x", "lengths": \(lengths), "samples": 3, "seed": 42, "aggregate": {"by_length": "mean", "headline": "mean", "threshold": 85.6}},
         "tasks": [\(taskJSON.joined(separator: ", "))], "model": {"name": \(modelJSON), "kind": "reference"},
         "tokenizer": {"name": "approx", "fingerprint": "f", "renderer": "r", "exact": false, "choice": "given with --tokenizer"}, "sampling": {"temperature": 0, "top_p": 1, "seed": 42},
         "scoring": {"allow_exec": false},
         "results": [\(results.joined(separator: ",\n"))],
         "by_axis": [\(byAxis.joined(separator: ",\n"))],
         "efficiency": [],
         "summary": {"by_length": {"4k": 0.5, "8k": 0.25}, "mean": 0.375, "headline": "mean", "threshold": 85.6, "by_length_ok": {"4k": 0.5, "8k": 0.25}, "mean_ok": 0.375, "complete": false}}
        """
        if schemaVersion == 2 {
            let problems = try ResultsSchemas.validate(run: Data(runJSON.utf8))
            guard problems.isEmpty else { throw SchemaViolation(description: "fixture run.json: \(problems)") }
        }
        try Data(runJSON.utf8).write(to: dir.appendingPathComponent("run.json"))
        var lines = samples.map { s in
            let score = s.status == "ok" ? #", "score": \#(s.score!)"# : ""
            return #"{"id": "\#(s.task)-\#(s.length)-\#(s.index)", "task": "\#(s.task)", "length": \#(s.length), "index": \#(s.index), "prompt_hash": "p", "prompt_tokens": 10, "response": "r", "latency_ms": 1.5, "status": "\#(s.status)", "attempts": 1\#(score), "truncated": false, "prompt_tokens_mismatch": false, "cached": false}"#
        }
        for line in lines {
            let problems = try ResultsSchemas.validate(sample: Data(line.utf8))
            guard problems.isEmpty else { throw SchemaViolation(description: "fixture sample line: \(problems)") }
        }
        if tornLine { lines.append(#"{"id": "torn", "task": "#) }
        try Data((lines.joined(separator: "\n") + (tornLine ? "" : "\n")).utf8).write(to: dir.appendingPathComponent("samples.jsonl"))
        if let extra = extraJournal {
            try Data((extra.lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent(extra.name))
        }
        return dir.path
    }

    /// Samples for both tasks at both lengths: three per cell; `quality` shifts the success pattern.
    static func samples(quality: Int) -> [S] {
        var out: [S] = []
        for task in ["t.a", "t.grid"] {
            for length in [4096, 8192] {
                for index in 0..<3 {
                    let ok = (index + length / 4096 + (task == "t.a" ? 0 : 1)) % 3 < quality
                    out.append(S(task: task, length: length, index: index, status: "ok", score: ok ? 1 : 0))
                }
            }
        }
        return out
    }
}
