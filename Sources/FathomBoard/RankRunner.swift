import FathomRank
import Foundation

/// What `fathom rank` does, as a library function: measurements from run folders or a scores file → ranking.
public enum RankRunner {
    /// Where the measurements come from.
    public enum Input: Sendable {
        /// Run folders (sample-level measurements from samples.jsonl; tasks are `task@length`).
        case runs([String])
        /// A CSV or JSONL file of `model,task,sample,score[,higher_is_better]` rows.
        case scores(String)
    }

    /// Loads the measurements of `input`.
    public static func measurements(_ input: Input, allowPartial: Bool = false) throws -> [FathomRank.Measurement] {
        switch input {
        case .runs(let folders):
            guard !folders.isEmpty else { throw BoardError.noRuns }
            let runs = try folders.map { try RunResults.read(folder: $0, allowPartial: allowPartial) }
                .sorted { ($0.suite, $0.model, $0.runID) < ($1.suite, $1.model, $1.runID) }
            for (a, b) in zip(runs, runs.dropFirst()) where a.suite == b.suite && a.model == b.model {
                throw BoardError.duplicateRun(model: a.model, suite: a.suite, first: a.folder, second: b.folder)
            }
            return LeaderboardBuilder.mergedMeasurements(runs)
        case .scores(let file):
            guard FileManager.default.fileExists(atPath: file) else { throw BoardError.io(path: file, message: "no such file") }
            return try MeasurementLoader.load(contentsOf: URL(fileURLWithPath: file))
        }
    }

    /// Ranks `input` by `method`.
    public static func rank(_ input: Input, method: RankMethod, options: RankOptions, allowPartial: Bool = false) throws -> RankingResult {
        try FathomRank.rank(try measurements(input, allowPartial: allowPartial), method: method, options: options)
    }

    /// `{"method", "ranking": [{"model", "rank", "score", "ci95"?}], "diagnostics": {...}}`, sorted keys, final newline.
    public static func json(_ result: RankingResult) throws -> String {
        String(decoding: try result.jsonData(prettyPrinted: true), as: UTF8.self) + "\n"
    }

    /// A plain-text table of a ranking.
    public static func table(_ result: RankingResult) -> String {
        let width = max(5, (result.ranking.map { $0.model.count }.max() ?? 0) + 2)
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
        }
        var lines = ["method: \(result.method)"]
        let hasCI = result.ranking.contains { $0.ci95 != nil }
        lines.append(pad("rank", 6) + pad("model", width) + pad("score", 12, right: true) + (hasCI ? pad("95% CI", 26, right: true) : ""))
        for row in result.ranking {
            var line = pad(String(row.rank), 6) + pad(row.model, width) + pad(String(format: "%.4f", row.score), 12, right: true)
            if hasCI {
                line += pad(row.ci95.map { $0.count == 2 ? String(format: "[%.4f, %.4f]", $0[0], $0[1]) : "-" } ?? "-", 26, right: true)
            }
            lines.append(line)
        }
        if case .string(let note)? = result.diagnostics["note"] { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }
}
