import FathomCore
import Foundation

/// A run folder on disk (`run.json` and its journals), read back and kept honest: when a journal is newer than
/// run.json (a run stopped by a signal or a crash, a shard still writing), the aggregates are rebuilt from the
/// journals, so `report`, `rank` and `publish` never read stale results.
public enum RunFolder {
    /// The journal files of a folder: `samples.jsonl` and shard journals, in name order.
    public static func journals(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("samples") && $0.hasSuffix(".jsonl") }.sorted().map { directory + "/" + $0 }
    }

    /// Every record of every journal (all shards), in file order, read only: a torn last line (a writer may still
    /// be appending) is left out but left in place, for its writer to repair.
    public static func records(in directory: String) throws(FathomError) -> [SampleRecord] {
        var records: [SampleRecord] = []
        for path in journals(in: directory) { records += try Journal.read(path) }
        return records
    }

    /// run.json of `directory`, with its results, per-axis results and summary rebuilt from the journals when any
    /// journal is newer than run.json, or when `status` is given (which then becomes the run's status). A run whose
    /// every planned sample has a record is `complete`; one still marked `running` whose journals no live process
    /// holds (it was killed) is `interrupted`. The rebuilt file is written back when the folder allows.
    @discardableResult
    public static func refresh(_ directory: String, status: String? = nil) throws(FathomError) -> RunManifest {
        let file = directory + "/run.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw FathomError(.io, "no run.json here: is this a run folder (OUT/<suite>/<model>/<run-id>)?", file: file)
        }
        var manifest: RunManifest
        do {
            manifest = try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            throw FathomError(.parse, "not a run.json of schema \(RunManifest.currentSchemaVersion): \(error)", file: file)
        }
        guard status != nil || isStale(directory) else { return manifest }
        let aggregates = Aggregator.aggregate(layout: RunLayout(manifest: manifest), records: try records(in: directory))
        manifest.results = aggregates.results
        manifest.byAxis = aggregates.byAxis
        manifest.summary = aggregates.summary
        manifest.efficiency = aggregates.efficiency
        if let status {
            manifest.status = status
        } else if manifest.status == "running", !journals(in: directory).contains(where: { JournalLock.isHeld(journal: $0) }) {
            manifest.status = "interrupted"
        }
        if aggregates.results.allSatisfy({ $0.nMissing == 0 }) { manifest.status = "complete" }
        try? manifest.write(to: directory)
        return manifest
    }

    /// Whether a journal was written after run.json.
    public static func isStale(_ directory: String) -> Bool {
        func modified(_ path: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        guard let written = modified(directory + "/run.json") else { return false }
        return journals(in: directory).contains { (modified($0) ?? .distantPast) > written }
    }
}

extension RunManifest {
    /// Writes `DIR/run.json` atomically (sorted keys, pretty-printed).
    public func write(to directory: String) throws(FathomError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/run.json"), options: .atomic)
        } catch {
            throw FathomError(.io, "cannot write run.json: \(error.localizedDescription)", file: directory)
        }
    }
}
