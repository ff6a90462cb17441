import ArgumentParser
import FathomCore
import FathomTasks
import Foundation

/// The `fathom` command line as a library: a package with its own plugin kinds builds its own `fathom` by calling
/// `main` with them, and gets every command (list, validate, run, export, conformance, new-task…) over its kinds
/// next to the built-in ones.
public enum FathomCLI {
    /// Parses the process's arguments (or `arguments`), runs the command with `kinds` (include
    /// `BuiltinPlugins.all`: the built-in manifests need them) and the manifests of `taskFolders` added to the
    /// built-in ones (as `--tasks-dir` would; folders that do not exist are skipped), and exits with its status.
    public static func main(kinds: [any TaskPlugin.Type], taskFolders: [String] = [], arguments: [String]? = nil) async -> Never {
        PluginKinds.set(kinds, folders: taskFolders)
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
    public static func run(_ arguments: [String], kinds: [any TaskPlugin.Type], taskFolders: [String] = []) async throws {
        PluginKinds.set(kinds, folders: taskFolders)
        var command = try Fathom.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
}

extension FathomCLI {
    /// The `Tasks/` folder of the package whose source file calls this (the nearest folder above `file` holding a
    /// Package.swift): a plugin package's `main.swift` passes it as `taskFolders`, so its own `fathom` lists its
    /// tasks while run from a checkout of the package.
    public static func packageTasksFolder(_ file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.appendingPathComponent("Tasks").path
            }
        }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Tasks").path
    }
}

/// The plugin kinds the running command knows, and the task folders its package adds (set once by `FathomCLI.main`).
enum PluginKinds {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kinds: [any TaskPlugin.Type] = BuiltinPlugins.all
    nonisolated(unsafe) private static var folders: [String] = []

    static func set(_ value: [any TaskPlugin.Type], folders added: [String] = []) {
        lock.withLock {
            kinds = value
            folders = added
        }
    }
    static var current: [any TaskPlugin.Type] { lock.withLock { kinds } }
    /// The package's own task folders that exist.
    static var taskFolders: [String] {
        lock.withLock { folders }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}
