import ArgumentParser
import FathomModels
import Foundation

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Inspect or clear the response cache.", subcommands: [List.self, Clear.self])

    struct Location: ParsableArguments {
        @Option(help: "Cache folder (default: $FATHOM_CACHE or ~/.cache/fathom/responses).") var dir: String?
        @Option(help: "Only entries of this model.") var model: String?
        func open() throws -> ResponseCache { try ResponseCache(directory: dir ?? ResponseCache.defaultDirectory) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Count entries per model and endpoint.")
        @OptionGroup var location: Location
        func run() throws {
            let cache = try location.open()
            var counts: [String: Int] = [:]
            for (_, entry) in cache.entries() where location.model == nil || entry.model == location.model {
                counts["\(entry.model)\t\(entry.endpoint)\t\(entry.build ?? "-")", default: 0] += 1
            }
            print("entries\tmodel\tendpoint\tbuild")
            for key in counts.keys.sorted() { print("\(counts[key]!)\t\(key)") }
            print("(\(counts.values.reduce(0, +)) entries in \(cache.directory))")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Delete entries (all, or one model's).")
        @OptionGroup var location: Location
        func run() throws {
            let cache = try location.open()
            var removed = 0
            for (path, entry) in cache.entries() where location.model == nil || entry.model == location.model {
                try FileManager.default.removeItem(atPath: path)
                removed += 1
            }
            print("removed \(removed) entries from \(cache.directory)")
        }
    }
}
