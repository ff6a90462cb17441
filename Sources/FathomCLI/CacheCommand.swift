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
        func run() throws { print(try location.open().summary(model: location.model)) }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Delete entries (all, or one model's).")
        @OptionGroup var location: Location
        func run() throws {
            let cache = try location.open()
            print("removed \(try cache.clear(model: location.model)) entries from \(cache.directory)")
        }
    }
}
