import FathomCore
import Foundation

/// A crash-safe response cache: one JSON file per entry, written to a temporary name and renamed into place.
///
/// The key hashes the endpoint, the model id, the server build (when known) and the canonical request body, so two
/// models, two servers or two builds never share an entry. Only successful answers are cached.
public final class ResponseCache: @unchecked Sendable {
    /// A cached answer with the identity it was stored under.
    public struct Entry: Codable, Sendable {
        public var key: String
        public var endpoint: String
        public var model: String
        public var build: String?
        public var route: String
        public var text: String
        public var reasoning: String?
        public var finishReason: String?
        public var usage: Usage?
        public var latencyMs: Double
        enum CodingKeys: String, CodingKey {
            case key, endpoint, model, build, route, text, reasoning, finishReason = "finish_reason", usage, latencyMs = "latency_ms"
        }
    }

    public let directory: String
    private let lock = NSLock()
    private var hitCount = 0
    private var missCount = 0

    public init(directory: String) throws(FathomError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FathomError(.io, "cannot create the response cache folder: \(error.localizedDescription)", file: directory)
        }
    }

    /// The default folder: `$FATHOM_CACHE`, else `~/.cache/fathom/responses`.
    public static var defaultDirectory: String {
        if let env = ProcessInfo.processInfo.environment["FATHOM_CACHE"], !env.isEmpty { return env }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/fathom/responses"
    }

    public static func key(endpoint: String, model: String, build: String?, route: String, body: Data) -> String {
        var hasher = SHA256()
        for part in ["fathom-cache-v1", endpoint, model, build ?? "", route] {
            hasher.update(part)
            hasher.update([0])
        }
        hasher.update(body)
        return SHA256.hexString(hasher.finalize())
    }

    private func path(_ key: String) -> String { "\(directory)/\(key.prefix(2))/\(key).json" }

    public func lookup(_ key: String) -> Entry? {
        let entry = FileManager.default.contents(atPath: path(key)).flatMap { try? JSONDecoder().decode(Entry.self, from: $0) }
        lock.withLock { if entry == nil { missCount += 1 } else { hitCount += 1 } }
        return entry?.key == key ? entry : nil
    }

    public func store(_ entry: Entry) {
        let final = path(entry.key)
        let folder = (final as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(entry) else { return }
        let temporary = "\(final).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, final) != 0 { unlink(temporary) }
    }

    public var counts: (hits: Int, misses: Int) { lock.withLock { (hitCount, missCount) } }

    /// Every entry (for `fathom cache ls|clear`).
    public func entries() -> [(path: String, entry: Entry)] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [(String, Entry)] = []
        while let item = enumerator.nextObject() as? String {
            guard item.hasSuffix(".json") else { continue }
            let full = directory + "/" + item
            if let data = FileManager.default.contents(atPath: full), let entry = try? JSONDecoder().decode(Entry.self, from: data) {
                out.append((full, entry))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}

extension ResponseCache {
    /// Entries per (model, endpoint, build), for `fathom cache ls`, optionally of one model only.
    public func summary(model: String? = nil) -> String {
        var counts: [String: Int] = [:]
        for (_, entry) in entries() where model == nil || entry.model == model {
            counts["\(entry.model)\t\(entry.endpoint)\t\(entry.build ?? "-")", default: 0] += 1
        }
        var lines = ["entries\tmodel\tendpoint\tbuild"]
        for key in counts.keys.sorted() { lines.append("\(counts[key]!)\t\(key)") }
        lines.append("(\(counts.values.reduce(0, +)) entries in \(directory))")
        return lines.joined(separator: "\n")
    }

    /// Deletes every entry (or one model's) and returns how many were removed.
    public func clear(model: String? = nil) throws -> Int {
        var removed = 0
        for (path, entry) in entries() where model == nil || entry.model == model {
            try FileManager.default.removeItem(atPath: path)
            removed += 1
        }
        return removed
    }
}
