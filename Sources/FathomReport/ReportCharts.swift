import FathomBoard
import FathomCore
import FathomRun
import Foundation

/// The SVG charts of `fathom report`: score against length for every task; for every task with a `depth` axis,
/// a depth × length heatmap (the axis's own buckets, the same ones the leaderboard uses); with `--by AXIS`, score
/// against that axis's values for every task that declares it.
public enum ReportCharts {
    public static func write(manifest: RunManifest, folder: String, by axis: String? = nil) throws -> [String] {
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

        for task in manifest.tasks where task.axes.contains(where: { $0.name == "depth" }) {
            let cells = manifest.byAxis.filter { $0.task == task.name && $0.axis == "depth" && $0.length != nil }
            let depths = Array(Set(cells.map(\.value))).sorted().compactMap { value -> Double? in
                if case .number(let x) = value { x } else { nil }
            }
            guard !depths.isEmpty else { continue }
            let values = depths.map { depth in
                lengths.map { length in cells.first { $0.value == .number(depth) && $0.length == length }?.score }
            }
            try save("heatmap-\(Slug.make(task.name)).svg", SVG.heatmap(title: "\(task.name): depth × length", xLabels: labels, depths: depths, values: values))
        }

        if let axis {
            let tasks = manifest.tasks.filter { $0.axes.contains { $0.name == axis } }
            let cells = manifest.byAxis.filter { $0.axis == axis && $0.length == nil }
            let values = Array(Set(cells.map(\.value))).sorted()
            let axisSeries = tasks.enumerated().map { (i, task) in
                SVG.Series(
                    name: task.name, color: SVG.palette[i % SVG.palette.count],
                    values: values.map { value in cells.first { $0.task == task.name && $0.value == value }?.score })
            }
            try save(
                "by-\(Slug.make(axis)).svg",
                SVG.curves(title: "\(manifest.suite.name) × \(manifest.model.name): score vs \(axis)", xLabels: values.map(\.description), series: axisSeries))
        }
        return written
    }
}
