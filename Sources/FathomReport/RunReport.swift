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

    /// Reads `RUN_DIR/run.json` (a path to the file itself is accepted too).
    public static func load(_ path: String) throws(FathomError) -> RunReport {
        let folder = path.hasSuffix("run.json") ? String(path.dropLast("run.json".count)).trimmingTrailingSlashes() : path
        let file = folder + "/run.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw FathomError(.io, "no run.json here: is this a run folder (OUT/<suite>/<model>/<run-id>)?", file: file)
        }
        do {
            return RunReport(manifest: try JSONDecoder().decode(RunManifest.self, from: data), directory: folder.isEmpty ? "." : folder)
        } catch {
            throw FathomError(.parse, "not a run.json of schema \(RunManifest.currentSchemaVersion): \(error)", file: file)
        }
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
