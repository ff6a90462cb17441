import FathomCore
import Foundation

/// `fathom merge`: the journals of one run's shards, written on different machines and copied back, made into one
/// normal run folder (`samples.jsonl` and `run.json`, which `report`, `rank` and `publish` read like any run).
///
/// - Every input must be the same run: a key of run.json that defines the samples or who answered them (suite,
///   lengths, samples, seed, aggregation, tasks, tokenizer, prompt renderer, model, scoring permissions) differs
///   → an error naming the key and both files. Endpoints may differ (the same model served on each machine).
/// - Every record must be a sample of the plan: its id is recomputed from the task, length and index.
/// - A sample id counts once. Within a journal its last record counts (as in any run folder). Across journals, the
///   same outcome twice is one sample; an answered record beats a failed request (error, overflow: a retry that
///   succeeded elsewhere, as `--retry-errors` would keep it); two different answers to one sample are refused,
///   naming both journals, since nothing says which one is right.
/// - Shards and samples with no record are reported (or refused with `requireComplete`); the merged run is then
///   `partial`, and merging it again with the missing shard's folder completes it.
public enum RunMerge {
    /// What a merge did.
    public struct Report: Sendable {
        public var directory: String
        public var manifest: RunManifest
        /// The run folders merged.
        public var inputs: [String]
        /// The journals read, relative to the inputs' parents.
        public var journals: [String]
        /// Records written (one per sample id).
        public var samples: Int
        /// Records found in more than one journal with the same outcome, counted once.
        public var duplicates: Int
        /// Failed requests replaced by an answer to the same sample from another journal.
        public var replacedFailures: Int
        /// For each shard count N seen, the shard indices that have no journal.
        public var missingShards: [Int: [Int]]
        /// Planned samples with no record.
        public var missingSamples: Int
        /// Notes worth reading (different endpoints, different shard counts).
        public var notes: [String]

        /// A few lines for the terminal.
        public var text: String {
            var lines = [
                "merged \(inputs.count) run folder(s), \(journals.count) journal(s), into \(directory): \(samples) samples"
                    + (duplicates > 0 ? ", \(duplicates) duplicate record(s) counted once" : "")
                    + (replacedFailures > 0 ? ", \(replacedFailures) failed request(s) replaced by another shard's answer" : "")
            ]
            for (count, indices) in missingShards.sorted(by: { $0.key < $1.key }) where !indices.isEmpty {
                lines.append("missing shards: \(indices.map { "\($0)/\(count)" }.joined(separator: ", ")) (no samples.I-of-\(count).jsonl)")
            }
            if missingSamples > 0 {
                let planned = manifest.results.map(\.n).reduce(0, +)
                lines.append("missing samples: \(missingSamples) of \(planned) have no record (run the missing shards, then merge again)")
            }
            lines += notes.map { "note: " + $0 }
            lines.append("status: \(manifest.status)")
            return lines.joined(separator: "\n")
        }
    }

    /// Merges the run folders found at or below `directories` into the fresh folder `destination`.
    public static func merge(_ directories: [String], into destination: String, requireComplete: Bool = false) throws(FathomError) -> Report {
        let folders = try runFolders(directories)
        let target = URL(fileURLWithPath: destination).standardizedFileURL.path
        if let same = folders.first(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw FathomError(.usage, "--into must be a new folder, not one of the inputs (\(same))")
        }
        let manifests = try folders.map { folder throws(FathomError) in (folder, try readManifest(folder)) }
        let (firstFolder, first) = manifests[0]
        for (folder, manifest) in manifests.dropFirst() {
            if let key = firstDifference(first, manifest) {
                throw FathomError(
                    .usage,
                    "cannot merge: these are different runs (\(key.name) differs): \(firstFolder)/run.json has \(key.left), "
                        + "\(folder)/run.json has \(key.right)")
            }
        }
        let expected = expectedIDs(first)
        var chosen: [String: (record: SampleRecord, source: String)] = [:]
        var journals: [String] = []
        var duplicates = 0
        var replaced = 0
        for folder in folders {
            for path in RunFolder.journals(in: folder) {
                journals.append(path)
                var latest: [String: SampleRecord] = [:]
                var order: [String] = []
                for record in try Journal.read(path) {
                    guard expected["\(record.task)|\(record.length)|\(record.index)"] == record.id else {
                        throw FathomError(
                            .journal,
                            "sample \(record.id) (task \(record.task), length \(record.length), index \(record.index)) is not a sample of "
                                + "this run's plan (\(firstFolder)/run.json)", file: path)
                    }
                    if latest.updateValue(record, forKey: record.id) == nil { order.append(record.id) }
                }
                for id in order {
                    let record = latest[id]!
                    guard let (kept, source) = chosen[id] else {
                        chosen[id] = (record, path)
                        continue
                    }
                    switch resolve(kept, record) {
                    case .same: duplicates += 1
                    case .keepFirst: replaced += 1
                    case .keepSecond:
                        replaced += 1
                        chosen[id] = (record, path)
                    case .conflict:
                        throw FathomError(
                            .journal,
                            "sample \(id) (task \(record.task), length \(record.length), index \(record.index)) has two different answers: "
                                + "\(describe(kept)) in \(source), \(describe(record)) in \(path); remove the journal you do not want and merge again")
                    }
                }
            }
        }
        let missingShards = Self.missingShards(journals)
        var notes: [String] = []
        let endpoints = Set(manifests.compactMap { $0.1.model.endpoint })
        if endpoints.count > 1 { notes.append("the shards were answered by different endpoints: \(endpoints.sorted().joined(separator: ", "))") }
        if missingShards.count > 1 { notes.append("journals of different shard counts (\(missingShards.keys.sorted().map(String.init).joined(separator: ", ")))") }

        // Plan order: length, then sample index, then task (as `RunPlan.items`).
        let taskOrder = Dictionary(uniqueKeysWithValues: first.tasks.enumerated().map { ($1.name, $0) })
        let lengthOrder = Dictionary(uniqueKeysWithValues: first.suite.lengths.enumerated().map { ($1, $0) })
        let records = chosen.values.map(\.record).sorted {
            (lengthOrder[$0.length]!, $0.index, taskOrder[$0.task]!) < (lengthOrder[$1.length]!, $1.index, taskOrder[$1.task]!)
        }
        let planned = first.suite.lengths.count * first.suite.samples * first.tasks.count
        if requireComplete, records.count < planned || missingShards.values.contains(where: { !$0.isEmpty }) {
            throw FathomError(
                .usage,
                "\(planned - records.count) of \(planned) planned samples have no record"
                    + missingShards.filter { !$0.value.isEmpty }.map { " (missing shards \($0.value.map(String.init).joined(separator: ",")) of \($0.key))" }
                    .joined() + "; nothing was written")
        }
        try write(records, manifest: first, to: destination)
        let manifest = try RunFolder.refresh(destination, status: "partial")
        return Report(
            directory: destination, manifest: manifest, inputs: folders, journals: journals, samples: records.count, duplicates: duplicates,
            replacedFailures: replaced, missingShards: missingShards, missingSamples: planned - records.count, notes: notes)
    }

    /// The run folders named: a folder holding run.json, or every folder below one that holds a run.json (a pod's
    /// whole `--out` tree), in name order. Each folder once.
    public static func runFolders(_ directories: [String]) throws(FathomError) -> [String] {
        guard !directories.isEmpty else { throw FathomError(.usage, "name the run folders to merge") }
        var out: [String] = []
        var seen: Set<String> = []
        let files = FileManager.default
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw FathomError(.io, "no such folder", file: directory)
            }
            var found: [String] = []
            if files.fileExists(atPath: directory + "/run.json") {
                found = [directory]
            } else {
                let below = (files.enumerator(atPath: directory)?.allObjects as? [String]) ?? []
                found = below.filter { $0 == "run.json" || $0.hasSuffix("/run.json") }.sorted()
                    .map { directory + "/" + String($0.dropLast("/run.json".count)) }
            }
            guard !found.isEmpty else { throw FathomError(.io, "no run folder (a folder holding run.json) in or below this folder", file: directory) }
            for folder in found where seen.insert(URL(fileURLWithPath: folder).standardizedFileURL.path).inserted { out.append(folder) }
        }
        return out
    }

    static func readManifest(_ folder: String) throws(FathomError) -> RunManifest {
        let file = folder + "/run.json"
        guard let data = FileManager.default.contents(atPath: file) else { throw FathomError(.io, "cannot read run.json", file: file) }
        do {
            return try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            throw FathomError(.parse, "not a run.json of schema \(RunManifest.currentSchemaVersion): \(error)", file: file)
        }
    }

    /// The first key, in a fixed order, whose value differs between two runs' run.json, with both values.
    static func firstDifference(_ a: RunManifest, _ b: RunManifest) -> (name: String, left: String, right: String)? {
        func json<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
            return text.count > 160 ? String(text.prefix(157)) + "..." : text
        }
        var keys: [(String, String, String)] = [
            ("schema_version", json(a.schemaVersion), json(b.schemaVersion)),
            ("suite.name", json(a.suite.name), json(b.suite.name)),
            ("tasks", json(a.tasks.map(\.name)), json(b.tasks.map(\.name))),
            ("suite.lengths", json(a.suite.lengths), json(b.suite.lengths)),
            ("suite.samples", json(a.suite.samples), json(b.suite.samples)),
            ("suite.seed", json(a.suite.seed), json(b.suite.seed)),
            ("suite.aggregate", json(a.suite.aggregate), json(b.suite.aggregate)),
        ]
        for (x, y) in zip(a.tasks, b.tasks) {
            keys += [
                ("tasks[\(x.name)].version", json(x.version), json(y.version)),
                ("tasks[\(x.name)].params", json(x.params), json(y.params)),
                ("tasks[\(x.name)].generation", json(x.generation), json(y.generation)),
                ("tasks[\(x.name)].hash", json(x.hash), json(y.hash)),
            ]
        }
        keys += [
            ("suite.hash (the prefix mode)", json(a.suite.hash), json(b.suite.hash)),
            ("tokenizer.name", json(a.tokenizer.name), json(b.tokenizer.name)),
            ("tokenizer.fingerprint", json(a.tokenizer.fingerprint), json(b.tokenizer.fingerprint)),
            ("tokenizer.renderer", json(a.tokenizer.renderer), json(b.tokenizer.renderer)),
            ("tokenizer.chat_template", json(a.tokenizer.chatTemplate), json(b.tokenizer.chatTemplate)),
            ("model.name", json(a.model.name), json(b.model.name)),
            ("model.kind", json(a.model.kind), json(b.model.kind)),
            ("sampling", json(a.sampling), json(b.sampling)),
            ("scoring", json(a.scoring), json(b.scoring)),
        ]
        return keys.first { $0.1 != $0.2 }.map { (name: $0.0, left: $0.1, right: $0.2) }
    }

    /// Each planned sample's id, by "task|length|index", recomputed from run.json.
    static func expectedIDs(_ manifest: RunManifest) -> [String: String] {
        var out: [String: String] = [:]
        for task in manifest.tasks {
            for length in manifest.suite.lengths {
                for index in 0..<manifest.suite.samples {
                    let identity = SampleIdentity(
                        task: task.name, version: task.version, parameters: task.params, length: length, index: index, suiteSeed: manifest.suite.seed)
                    out["\(task.name)|\(length)|\(index)"] = identity.id
                }
            }
        }
        return out
    }

    enum Resolution { case same, keepFirst, keepSecond, conflict }

    /// Two journals' records of one sample: the same outcome, an answer over a failed request, or a conflict.
    static func resolve(_ a: SampleRecord, _ b: SampleRecord) -> Resolution {
        func failedRequest(_ r: SampleRecord) -> Bool { r.status == .error || r.status == .overflow }
        switch (failedRequest(a), failedRequest(b)) {
        case (true, true): return .same
        case (false, true): return .keepFirst
        case (true, false): return .keepSecond
        case (false, false):
            let same = a.status == b.status && a.score == b.score && a.scores == b.scores && a.response == b.response
                && a.turns?.map(\.response) == b.turns?.map(\.response)
            return same ? .same : .conflict
        }
    }

    static func describe(_ record: SampleRecord) -> String {
        "\(record.status.rawValue)" + (record.score.map { " score \($0)" } ?? "") + " (\(record.response.utf8.count) bytes of answer)"
    }

    /// For each shard count seen in journal names (`samples.I-of-N.jsonl`), the indices with no journal.
    static func missingShards(_ journals: [String]) -> [Int: [Int]] {
        var present: [Int: Set<Int>] = [:]
        for path in journals {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard name.hasPrefix("samples."), name.hasSuffix(".jsonl") else { continue }
            let parts = name.dropFirst("samples.".count).dropLast(".jsonl".count).split(separator: "-")
            guard parts.count == 3, parts[1] == "of", let index = Int(parts[0]), let count = Int(parts[2]) else { continue }
            present[count, default: []].insert(index)
        }
        var out: [Int: [Int]] = [:]
        for (count, seen) in present { out[count] = (0..<count).filter { !seen.contains($0) } }
        return out
    }

    /// Writes the merged journal and a run.json (the first input's, shard cleared) into a new or empty folder.
    static func write(_ records: [SampleRecord], manifest: RunManifest, to destination: String) throws(FathomError) {
        let files = FileManager.default
        if let existing = try? files.contentsOfDirectory(atPath: destination), !existing.isEmpty {
            throw FathomError(.usage, "--into must be a new or empty folder; this one holds \(existing.count) file(s)", file: destination)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        do {
            try files.createDirectory(atPath: destination, withIntermediateDirectories: true)
            for record in records {
                data.append(try encoder.encode(record))
                data.append(0x0a)
            }
            try data.write(to: URL(fileURLWithPath: destination + "/samples.jsonl"), options: .atomic)
        } catch {
            throw FathomError(.io, "cannot write the merged journal: \(error.localizedDescription)", file: destination)
        }
        var merged = manifest
        merged.shard = nil
        merged.status = "partial"
        try merged.write(to: destination)
    }
}
