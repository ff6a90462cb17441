import FathomCore
import Foundation
@testable import FathomBoard

/// Writes fabricated run folders in a temporary directory.
struct RunFixture {
    struct S { var task: String; var length: Int; var index: Int; var status: String; var score: Double? }

    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("board-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A run folder with run.json (results computed from `samples`) and samples.jsonl.
    @discardableResult
    func writeRun(model: String, suite: String = "mini", status: String = "complete", schemaVersion: Int = 1,
                  tasks: [(name: String, params: String)] = [("t.a", "{}"), ("t.grid", #"{"values": {"depth_mode": "linear", "depth_points": 3, "haystack": "essay"}}"#)],
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
                {"task": "\(t.name)", "length": \(length), "n": \(cell.count), "n_ok": \(ok.count), "n_error": \(cell.filter { $0.status == "error" }.count), "n_overflow": 0, "n_missing": 0, "n_truncated_output": 0, "n_prompt_tokens_mismatch": 0, "score": \(score), "metrics": {}}
                """)
            }
        }
        let modelJSON = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        let taskJSON = tasks.map { #"{"name": "\#($0.name)", "kind": "niah", "version": 1, "hash": "h", "file": "f.yaml", "params": \#($0.params), "metrics": ["string_match_all"], "tags": {"family": "synthetic-recall", "diffusion": "low", "scope": "small"}, "generation": {}}"# }
        let runJSON = """
        {"schema_version": \(schemaVersion), "status": "\(status)", "framework": {"name": "fathom", "version": "0.1.0", "git_commit": "abc"},
         "run_id": "run-\(Slug.make(model))", "suite": {"name": "\(suite)", "hash": "x", "lengths": \(lengths), "samples": 3, "seed": 42, "aggregate": {}},
         "tasks": [\(taskJSON.joined(separator: ", "))], "model": {"name": \(modelJSON), "kind": "reference"},
         "tokenizer": {"name": "approx", "fingerprint": "f", "renderer": "r"}, "sampling": {"temperature": 0, "top_p": 1, "seed": 42},
         "results": [\(results.joined(separator: ",\n"))],
         "summary": {"by_length": {"4k": 0.5, "8k": 0.25}, "mean": 0.375, "headline": "mean", "threshold": 85.6}}
        """
        try Data(runJSON.utf8).write(to: dir.appendingPathComponent("run.json"))
        var lines = samples.map { s in
            let score = s.status == "ok" ? String(s.score!) : "null"
            return #"{"id": "\#(s.task)-\#(s.length)-\#(s.index)", "task": "\#(s.task)", "length": \#(s.length), "index": \#(s.index), "prompt_hash": "p", "prompt_tokens": 10, "response": "r", "latency_ms": 1.5, "status": "\#(s.status)", "attempts": 1, "score": \#(score), "truncated": false, "prompt_tokens_mismatch": false, "cached": false}"#
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
