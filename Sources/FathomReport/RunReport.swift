import FathomBoard
import FathomCore
import FathomRun
import Foundation

/// `fathom report`: a run folder read back, its results table (per task × length, or per task × axis value with
/// `--by AXIS`), the suite's comparison sections, and SVG charts in `RUN_DIR/report/`.
public struct RunReport: Sendable {
    public var manifest: RunManifest
    public var directory: String
    private let cache = RecordCache()

    public init(manifest: RunManifest, directory: String) {
        self.manifest = manifest
        self.directory = directory
    }

    /// The run's sample records (every journal in the folder; the last record of each id), read once.
    public func records() throws(FathomError) -> [SampleRecord] {
        if let records = cache.records { return records }
        var latest: [String: Int] = [:]
        var records: [SampleRecord] = []
        for record in try RunFolder.records(in: directory) {
            if let i = latest[record.id] { records[i] = record } else {
                latest[record.id] = records.count
                records.append(record)
            }
        }
        cache.records = records
        return records
    }

    /// Reads `RUN_DIR/run.json` (a path to the file itself is accepted too), rebuilt from the journals when any
    /// journal is newer than it.
    public static func load(_ path: String) throws(FathomError) -> RunReport {
        var folder = path.hasSuffix("run.json") ? String(path.dropLast("run.json".count)).trimmingTrailingSlashes() : path.trimmingTrailingSlashes()
        if folder.isEmpty { folder = "." }
        return RunReport(manifest: try RunFolder.refresh(folder), directory: folder)
    }

    /// The report as `fathom report` prints it: the table (by length, or by `axis`) and every section that applies.
    public func text(by axis: String? = nil) throws(FathomError) -> String {
        var lines = [ResultsTable.render(manifest)]
        if let axis {
            lines = []
            if declares(axis) { lines.append(try AxisTable.render(manifest, axis: axis)) }
            lines += try views(axis).map(\.text)
            if lines.isEmpty { lines.append(try AxisTable.render(manifest, axis: axis)) }  // the error naming the axes
        }
        for section in ReportSections.all {
            lines += section.readsRecords ? section.lines(for: manifest, records: try records()) : section.lines(for: manifest)
        }
        return lines.joined(separator: "\n")
    }

    /// Whether a task of the run declares `axis`.
    func declares(_ axis: String) -> Bool { manifest.tasks.contains { $0.axes.contains { $0.name == axis } } }

    /// What the sections show for `--by name` from per-sample details.
    func views(_ name: String) throws(FathomError) -> [ReportView] {
        var out: [ReportView] = []
        for section in ReportSections.all where section.readsRecords {
            if let view = section.view(name, manifest: manifest, records: try records()) { out.append(view) }
        }
        return out
    }

    /// Writes the charts (score vs length; depth × length heatmaps; score vs `axis` when given, and the sections'
    /// views of it as `details-by-AXIS.svg`) into `RUN_DIR/report/` and returns their paths.
    public func writeCharts(by axis: String? = nil) throws -> [String] {
        let folder = directory + "/report"
        var written = try ReportCharts.write(manifest: manifest, folder: folder, by: axis.flatMap { declares($0) ? $0 : nil })
        guard let axis else { return written }
        for (v, view) in try views(axis).enumerated() {
            let series = view.series.enumerated().map { (i, s) in
                SVG.Series(name: s.name, color: SVG.palette[i % SVG.palette.count], values: s.values)
            }
            let path = folder + "/details-by-\(Slug.make(axis))" + (v == 0 ? "" : "-\(v + 1)") + ".svg"
            try Data(SVG.curves(title: view.title, xLabels: view.xLabels, series: series).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        return written
    }
}

/// The records of a report, read at most once (a report is a value; the cache is shared by its copies).
private final class RecordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [SampleRecord]?
    var records: [SampleRecord]? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension String {
    func trimmingTrailingSlashes() -> String {
        var s = self
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
