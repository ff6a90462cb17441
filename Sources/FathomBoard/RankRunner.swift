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
            return LeaderboardBuilder.mergedMeasurements(try runs(folders, allowPartial: allowPartial))
        case .scores(let file):
            guard FileManager.default.fileExists(atPath: file) else { throw BoardError.io(path: file, message: "no such file") }
            return try MeasurementLoader.load(contentsOf: URL(fileURLWithPath: file))
        }
    }

    /// The run folders read, in (suite, model, run id) order; two runs of one model on one suite are an error.
    static func runs(_ folders: [String], allowPartial: Bool) throws -> [RunResults] {
        guard !folders.isEmpty else { throw BoardError.noRuns }
        let runs = try folders.map { try RunResults.read(folder: $0, allowPartial: allowPartial) }
            .sorted { ($0.suite, $0.model, $0.runID) < ($1.suite, $1.model, $1.runID) }
        for (a, b) in zip(runs, runs.dropFirst()) where a.suite == b.suite && a.model == b.model {
            throw BoardError.duplicateRun(model: a.model, suite: a.suite, first: a.folder, second: b.folder)
        }
        return runs
    }

    /// The probe pool of `input`: its measurements with each sample's fields and question text.
    public static func pool(_ input: Input, allowPartial: Bool = false) throws -> ProbePool {
        switch input {
        case .runs(let folders):
            return ProbePool(runs: try runs(folders, allowPartial: allowPartial))
        case .scores:
            return ProbePool(measurements: try measurements(input, allowPartial: allowPartial))
        }
    }

    /// Ranks the pool globally and on the samples the probe selects: those passing `filter` (all when nil) and, for a
    /// text probe, among `textHits` (keys of `ProbePool.key`).
    public static func probe(_ pool: ProbePool, method: RankMethod, options: RankOptions, filter: ProbeFilter?,
                             text: CapabilityProbeReport.TextSelection? = nil) throws -> CapabilityProbeReport {
        guard !pool.measurements.isEmpty else { throw RankError.noData("no measurements") }
        let global = try FathomRank.rank(pool.measurements, method: method, options: options)
        let structured = filter.map { pool.selects($0) }
        let keys = text.map { Set($0.hits.map { ProbePool.key(task: $0.task, sample: $0.sample) }) }
        let result = try Probe.rank(pool.measurements, selected: { m in
            (structured?(m) ?? true) && (keys?.contains(ProbePool.key(m)) ?? true)
        }, method: method, options: options, global: global)
        return CapabilityProbeReport(filter: filter?.description, text: text, global: global, probe: result)
    }

    /// Ranks `input` by `method`.
    public static func rank(_ input: Input, method: RankMethod, options: RankOptions, allowPartial: Bool = false) throws -> RankingResult {
        try FathomRank.rank(try measurements(input, allowPartial: allowPartial), method: method, options: options)
    }

    /// `{"method", "ranking": [{"model", "rank", "score", "ci95"?}], "diagnostics": {...}}`, sorted keys, final newline.
    public static func json(_ result: RankingResult) throws -> String {
        String(decoding: try result.jsonData(prettyPrinted: true), as: UTF8.self) + "\n"
    }

    /// A plain-text report of a probe: the probe's ranking beside the global rank, with each model's selected samples
    /// and comparisons, the identifiability gate and Kendall tau-b against the global ranking.
    public static func table(_ report: CapabilityProbeReport) -> String {
        let p = report.probe
        var lines: [String] = []
        if let f = report.filter { lines.append("probe: \(f)") }
        if let t = report.text {
            lines.append("text probe: \"\(t.query)\" (\(t.model) at \(t.endpoint); top-k \(t.topK.map(String.init) ?? "none"), threshold \(t.threshold.map { String($0) } ?? "none")): \(t.hits.count) of \(t.candidates) samples"
                + (t.hits.isEmpty ? "" : String(format: ", similarity %.4f to %.4f", t.hits.last!.similarity, t.hits.first!.similarity)))
        }
        lines.append("method: \(p.method); \(p.selectedSamples) samples selected")
        lines.append("identifiable: \(p.identifiable ? "yes" : "no")" + (p.identifiable ? "" : " (\(p.components.count) strongly connected components: "
            + p.components.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: " ") + ")"))
        lines.append("kendall tau-b vs global: " + (p.kendallTauB.map { String(format: "%.4f", $0) } ?? "n/a") + " over \(p.modelsCompared) models")
        let globalRank = Dictionary(uniqueKeysWithValues: report.global.ranking.map { ($0.model, $0.rank) })
        let width = max(7, (p.samplesPerModel.keys.map(\.count).max() ?? 0) + 2)
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
        }
        lines.append(pad("rank", 6) + pad("model", width) + pad("score", 12, right: true) + pad("global", 8, right: true)
            + pad("samples", 9, right: true) + pad("comparisons", 13, right: true))
        let ranked = Set(p.ranking.ranking.map(\.model))
        // Per-component ranks are written cK.R: rank R within strongly connected component K (topological order).
        var component: [String: Int] = [:]
        if p.ranking.diagnostics["comparableAcrossComponents"] == .bool(false) {
            for (k, members) in p.components.enumerated() { for m in members { component[m] = k + 1 } }
        }
        for row in p.ranking.ranking {
            lines.append(pad(component[row.model].map { "c\($0).\(row.rank)" } ?? String(row.rank), 6) + pad(row.model, width) + pad(String(format: "%.4f", row.score), 12, right: true)
                + pad(globalRank[row.model].map(String.init) ?? "-", 8, right: true) + pad(String(p.samplesPerModel[row.model] ?? 0), 9, right: true)
                + pad(String(format: "%.0f", p.comparisonsPerModel[row.model] ?? 0), 13, right: true))
        }
        for model in p.samplesPerModel.keys.sorted() where !ranked.contains(model) {
            lines.append(pad("-", 6) + pad(model, width) + pad("-", 12, right: true) + pad(globalRank[model].map(String.init) ?? "-", 8, right: true)
                + pad("0", 9, right: true) + pad("0", 13, right: true))
        }
        if let note = p.note { lines.append("note: \(note)") }
        if case .string(let note)? = p.ranking.diagnostics["note"], note != p.note { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
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
