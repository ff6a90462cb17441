import FathomCore
import FathomRun

/// HELMET's summary table (`scripts/collect_results.py`): for each length, the mean score of each category (the
/// mean of its tasks there) and their overall mean, as HELMET reports "Ours" over its seven categories. Categories
/// come from the tasks' `family` tags (`helmet-rag` → RAG, …; the `synthetic-recall` tasks of the run are Recall).
/// Printed when the run holds a HELMET category task.
public enum HelmetCategoriesSection: ReportSection {
    /// (family tag, HELMET's name), in HELMET's order.
    public static let categories: [(family: String, name: String)] = [
        ("synthetic-recall", "Recall"), ("helmet-rag", "RAG"), ("helmet-rerank", "Re-rank"), ("helmet-cite", "Cite"),
        ("helmet-longqa", "LongQA"), ("helmet-summ", "Summ"), ("helmet-icl", "ICL"),
    ]

    /// Per category and length, the mean score of its tasks that have one (nil when none does).
    public static func means(_ manifest: RunManifest) -> [(name: String, byLength: [Int: Double])] {
        var out: [(String, [Int: Double])] = []
        for (family, name) in categories {
            let tasks = Set(manifest.tasks.filter { $0.tags.family == family }.map(\.name))
            guard !tasks.isEmpty else { continue }
            var byLength: [Int: Double] = [:]
            for length in manifest.suite.lengths {
                let scores = manifest.results.filter { tasks.contains($0.task) && $0.length == length }.compactMap(\.score)
                if !scores.isEmpty { byLength[length] = scores.reduce(0, +) / Double(scores.count) }
            }
            out.append((name, byLength))
        }
        return out
    }

    public static func lines(for manifest: RunManifest) -> [String] {
        guard manifest.tasks.contains(where: { $0.tags.family.hasPrefix("helmet-") }) else { return [] }
        let rows = means(manifest)
        let lengths = manifest.suite.lengths
        var lines = ["HELMET categories (mean of each category's tasks; overall: mean of the categories; ×100)"]
        lines.append(Format.pad("category", 12) + lengths.map { Format.pad(ContextLength.format($0), 9, right: true) }.joined())
        for (name, byLength) in rows {
            lines.append(Format.pad(name, 12) + lengths.map { Format.pad(byLength[$0].map(Format.score) ?? "-", 9, right: true) }.joined())
        }
        var overall = Format.pad("overall", 12)
        for length in lengths {
            let present = rows.compactMap { $0.byLength[length] }
            overall += Format.pad(present.isEmpty ? "-" : Format.score(present.reduce(0, +) / Double(present.count)), 9, right: true)
        }
        lines.append(overall)
        return lines
    }
}
