import FathomBoard
import FathomCore
import FathomRun
import Foundation

/// The SVG charts of `fathom report`: score against length for every task, and for tasks that record where the
/// asked needle sat, a depth × length heatmap (depths in 10% bins, mean score of the ok samples per cell).
enum ReportCharts {
    /// Writes the charts into `RUN_DIR/report/` and returns their paths.
    static func write(manifest: RunManifest, runDirectory: String) throws -> [String] {
        let folder = runDirectory + "/report"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lengths = manifest.suite.lengths
        let labels = lengths.map(ContextLength.format)
        var written: [String] = []
        func save(_ name: String, _ svg: String) throws {
            let path = folder + "/" + name
            try Data(svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        let series = manifest.tasks.enumerated().map { (i, task) in
            SVG.Series(
                name: task.name, color: SVG.palette[i % SVG.palette.count],
                values: lengths.map { length in manifest.results.first { $0.task == task.name && $0.length == length }?.score })
        }
        try save("curves.svg", SVG.curves(title: "\(manifest.suite.name) × \(manifest.model.name): score vs length", xLabels: labels, series: series))

        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runDirectory)) ?? []).filter { $0.hasPrefix("samples") && $0.hasSuffix(".jsonl") }
        var latest: [String: SampleRecord] = [:]
        for name in names.sorted() { for record in try Journal.recover(runDirectory + "/" + name) { latest[record.id] = record } }
        let bins = (0..<10).map { Double($0) * 10 + 5 }
        for task in manifest.tasks {
            let records = latest.values.filter { $0.task == task.name && $0.status == .ok && $0.answerDepth != nil && $0.score != nil }
            guard !records.isEmpty else { continue }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: lengths.count), count: bins.count)
            var counts = [[Int]](repeating: [Int](repeating: 0, count: lengths.count), count: bins.count)
            for record in records {
                guard let column = lengths.firstIndex(of: record.length) else { continue }
                let row = min(9, max(0, Int(record.answerDepth! / 10)))
                sums[row][column] += record.score!
                counts[row][column] += 1
            }
            var values: [[Double?]] = []
            for r in 0..<bins.count {
                var row: [Double?] = []
                for c in 0..<lengths.count { row.append(counts[r][c] == 0 ? nil : sums[r][c] / Double(counts[r][c])) }
                values.append(row)
            }
            try save("heatmap-\(Runner.slug(task.name)).svg", SVG.heatmap(title: "\(task.name): depth × length", xLabels: labels, depths: bins, values: values))
        }
        return written
    }
}
