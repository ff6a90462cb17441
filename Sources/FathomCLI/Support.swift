import ArgumentParser
import FathomCore
import FathomRun
import FathomTasks
import FathomText
import Foundation

enum FathomVersion {
    static let version = RunManifest.Framework.version
}

/// Where manifests come from: the built-in tasks (carried by the binary), plus folders added with `--tasks-dir`
/// (repeatable) and `$FATHOM_TASKS` (colon-separated).
struct TasksOption: ParsableArguments {
    @Option(
        name: [.customLong("tasks-dir"), .customLong("tasks")],
        help: "A folder of task manifests (and optionally suites/) to add to the built-in tasks; repeatable. $FATHOM_TASKS adds folders too (colon-separated).")
    var folders: [String] = []

    /// The folders added to the built-in tasks: the package's own (`FathomCLI.main(taskFolders:)`), $FATHOM_TASKS,
    /// then --tasks-dir.
    var addedFolders: [String] { ManifestSource.addedFolders(explicit: folders, first: PluginKinds.taskFolders) }

    func loadRegistry() throws -> Registry {
        let registry = try BuiltinTasks.registry(adding: addedFolders, kinds: PluginKinds.current)
        Self.noteCheckout(registry)
        return registry
    }

    /// Running from a checkout whose Tasks/ differs from the copy in the binary: say so once (a copy of this binary
    /// elsewhere would not see the changes until the copy is regenerated).
    static func noteCheckout(_ registry: Registry) {
        guard !registry.directory.isEmpty, let source = try? ManifestSource.folder(registry.directory, relativeNames: true, builtin: true) else { return }
        let changed = BuiltinTasks.differencesFromEmbedded(source)
        guard !changed.isEmpty else { return }
        printError(
            "note: built-in tasks read from \(registry.directory); \(changed.count) manifest(s) differ from the copy embedded in this binary "
                + "(\(changed.prefix(3).joined(separator: ", "))\(changed.count > 3 ? ", …" : "")): run `\(ManifestEmbedding.command)`")
    }
}

/// What samples to make: lengths, count, seed, tokenizer.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Comma-separated lengths, e.g. 4k,8k,128k (default: the suite's; 4k for tasks).")
    var lengths: String?

    @Option(help: "Samples per task and length (default: the suite's; 20 for tasks).")
    var samples: Int?

    @Option(help: "Suite seed (default: the suite's; 42 for tasks).")
    var seed: UInt64?

    @Option(help: "Tokenizer that counts lengths: a tokenizer.json or .tiktoken file, endpoint (the server's own tokenize route), or approx (an estimate). Default: against a server with a tokenize route (or a local engine), the server's own; otherwise approx.")
    var tokenizer: String?

    var configuration: SamplingConfiguration {
        get throws {
            SamplingConfiguration(lengths: try lengths.map { try ContextLength.parseList($0) }, samples: samples, seed: seed, tokenizer: tokenizer)
        }
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Pads or truncates for table columns.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    if text.count >= width { return text }
    let padding = String(repeating: " ", count: width - text.count)
    return right ? padding + text : text + padding
}

/// Encodes as sorted-keys JSON without escaped slashes.
func jsonText<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
