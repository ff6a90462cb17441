import FathomCore
import FathomRun

/// LongGenBench's comparison: single-item accuracy, packed accuracy and the drop, on the same items, per task
/// (style) and K, from the samples whose details hold both (`ItemScores` with a `baseline`: a packed answer and the
/// same items asked one at a time). Accuracy is pooled over items (correct / items asked); rows per length follow
/// when the run has several.
public enum PackedDropSection: ReportSection {
    public static var readsRecords: Bool { true }

    struct Tally {
        var samples = 0
        var items = 0
        var single = 0
        var packed = 0
        var truncated = 0

        mutating func add(_ s: ItemScores) {
            samples += 1
            items += s.outcomes.count
            single += s.baselineCorrect ?? 0
            packed += s.correct
            truncated += s.truncated ? 1 : 0
        }
    }

    struct Key: Hashable, Comparable {
        var task: Int
        var k: Int
        var length: Int?
        static func < (a: Key, b: Key) -> Bool { (a.task, a.k, a.length ?? -1) < (b.task, b.k, b.length ?? -1) }
    }

    public static func lines(for manifest: RunManifest, records: [SampleRecord]) -> [String] {
        let order = Dictionary(manifest.tasks.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var tallies: [Key: Tally] = [:]
        for record in records where record.status == .ok {
            guard let task = order[record.task], let details = record.scoreDetails, details["baseline"] != nil,
                let scores = ItemScores(json: details), scores.baseline?.count == scores.outcomes.count
            else { continue }
            let k = scores.outcomes.count
            tallies[Key(task: task, k: k, length: nil), default: Tally()].add(scores)
            tallies[Key(task: task, k: k, length: record.length), default: Tally()].add(scores)
        }
        guard !tallies.isEmpty else { return [] }
        let perLength = Set(tallies.keys.compactMap(\.length)).count > 1
        var rows: [[String]] = []
        for key in tallies.keys.sorted() where key.length == nil || perLength {
            let t = tallies[key]!
            let task = manifest.tasks[key.task]
            let style: String
            if case .string(let s)? = task.params.values["style"] { style = s } else { style = "-" }
            let items = Double(max(1, t.items))
            let single = Double(t.single) / items, packed = Double(t.packed) / items
            rows.append([
                task.name, style, "\(key.k)", key.length.map(ContextLength.format) ?? "all", Format.score(single), Format.score(packed),
                Format.score(single - packed), "\(t.items)", "\(t.truncated)/\(t.samples)",
            ])
        }
        let header = ["task", "style", "K", "length", "single", "packed", "drop", "items", "truncated"]
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max()! + 2 }
        func render(_ cells: [String]) -> String { cells.enumerated().map { Format.pad($0.element, widths[$0.offset], right: $0.offset >= 4) }.joined() }
        return ["packed vs single-item accuracy on the same items (×100; drop = single − packed, in points):", render(header)] + rows.map(render)
    }
}
