import FathomCore
import FathomRun
import Foundation

/// `fathom report`: a run folder read back, its results table (per task × length, or per task × axis value with
/// `--by AXIS`), the suite's comparison sections, and SVG charts in `RUN_DIR/report/`.
public struct RunReport: Sendable {
    public var manifest: RunManifest
    public var directory: String

    public init(manifest: RunManifest, directory: String) {
        self.manifest = manifest
        self.directory = directory
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
        if let axis { lines = [try AxisTable.render(manifest, axis: axis)] }
        for section in ReportSections.all { lines += section.lines(for: manifest) }
        return lines.joined(separator: "\n")
    }

    /// Writes the charts (score vs length; depth × length heatmaps; score vs `axis` when given) into
    /// `RUN_DIR/report/` and returns their paths.
    public func writeCharts(by axis: String? = nil) throws -> [String] {
        try ReportCharts.write(manifest: manifest, folder: directory + "/report", by: axis)
    }
}

extension String {
    func trimmingTrailingSlashes() -> String {
        var s = self
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
