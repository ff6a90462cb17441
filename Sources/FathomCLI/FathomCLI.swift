import ArgumentParser
import FathomCore
import FathomTasks
import Foundation

/// The `fathom` command line as a library: a package with its own plugin kinds builds its own `fathom` by calling
/// `main` with them, and gets every command (list, validate, run, export, conformance, new-task…) over its kinds
/// next to the built-in ones.
public enum FathomCLI {
    /// Parses the process's arguments (or `arguments`), runs the command with `kinds` (include
    /// `BuiltinPlugins.all`: the built-in manifests need them), and exits with its status.
    public static func main(kinds: [any TaskPlugin.Type], arguments: [String]? = nil) async -> Never {
        PluginKinds.set(kinds)
        do {
            var command = try Fathom.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Fathom.exit()
        } catch {
            Fathom.exit(withError: error)
        }
    }

    /// Runs one command in process (for tests): parses `arguments` and runs it with `kinds`; errors are thrown.
    public static func run(_ arguments: [String], kinds: [any TaskPlugin.Type]) async throws {
        PluginKinds.set(kinds)
        var command = try Fathom.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
}

/// The plugin kinds the running command knows (set once by `FathomCLI.main`).
enum PluginKinds {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kinds: [any TaskPlugin.Type] = BuiltinPlugins.all

    static func set(_ value: [any TaskPlugin.Type]) { lock.withLock { kinds = value } }
    static var current: [any TaskPlugin.Type] { lock.withLock { kinds } }
}
