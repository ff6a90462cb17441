import ArgumentParser
import FathomCore
import FathomRun
import FathomTasks
import FathomText
import Foundation

enum FathomVersion {
    static let version = "0.1.0"

    /// The git commit of the checkout holding the tasks folder, or "unknown".
    static func gitCommit(near directory: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "unknown" }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmedASCIIWhitespace()
        return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
    }

    static func framework(tasksDirectory: String) -> RunManifest.Framework {
        RunManifest.Framework(name: "fathom", version: version, gitCommit: gitCommit(near: tasksDirectory))
    }
}

/// Where manifests come from.
struct TasksOption: ParsableArguments {
    @Option(name: .customLong("tasks"), help: "Tasks folder (default: ./Tasks or $FATHOM_TASKS).")
    var directory: String?

    func loadRegistry() throws -> Registry {
        let directory = try Registry.locateTasksDirectory(explicit: directory)
        return try Registry.load(directory: directory, kinds: BuiltinPlugins.all)
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

    @Option(help: "Tokenizer that counts lengths: approx (default; approximate), a tokenizer.json or .tiktoken file, or endpoint (the server's own, with fathom run --endpoint).")
    var tokenizer: String?

    func plan(names: [String], registry: Registry) throws -> RunPlan {
        try RunPlan.resolve(
            names: names, registry: registry, lengths: try lengths.map { try ContextLength.parseList($0) }, samples: samples, seed: seed)
    }

    func makeTokenizer() throws -> any Tokenizer { try TokenizerChoice.make(tokenizer) }
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
