import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory new-task NAME --kind yaml|swift|exec [--language python] [--dir DIR]`:
/// the same as `fathom new-task`, run in this package's folder. Thin: it builds the package's `fathom` product (or
/// uses $FATHOM) and runs its `new-task` command, so there is one scaffolder.
@main
struct NewTask: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let fathom = try FathomTool.locate(packageManager: packageManager)
        try FathomTool.run(fathom, ["new-task"] + arguments, in: context.package.directoryURL)
    }
}

/// Finds and runs the `fathom` executable (shared with PublishLeaderboard through a copy: plugins cannot share code).
enum FathomTool {
    /// $FATHOM when set, else this package's `fathom` product, built in the package's own build folder (no second
    /// copy of its dependencies, as `context.tool(named:)` would build).
    static func locate(packageManager: PackageManager) throws -> URL {
        if let path = ProcessInfo.processInfo.environment["FATHOM"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let result = try packageManager.build(.product("fathom"), parameters: .init(configuration: .debug, logging: .concise))
        guard result.succeeded, let artifact = result.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == "fathom" }) else {
            throw PluginFailure("could not build the fathom product (set FATHOM=/path/to/fathom to use another):\n\(result.logText)")
        }
        return artifact.url
    }

    static func run(_ executable: URL, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PluginFailure("fathom \(arguments.first ?? "") exited with status \(process.terminationStatus)") }
    }
}

struct PluginFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
