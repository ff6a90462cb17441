import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory publish-leaderboard [--check]`: regenerates leaderboard/ from
/// the reference systems' runs, as scripts/publish_reference_leaderboard.sh does (that script is the one definition:
/// this runs it with the package's `fathom`). `--check` regenerates twice and diffs with the committed folder.
@main
struct PublishLeaderboard: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let fathom: URL
        if let path = ProcessInfo.processInfo.environment["FATHOM"], !path.isEmpty {
            fathom = URL(fileURLWithPath: path)
        } else {
            let result = try packageManager.build(.product("fathom"), parameters: .init(configuration: .debug, logging: .concise))
            guard result.succeeded, let artifact = result.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == "fathom" }) else {
                throw Failure(description: "could not build the fathom product:\n\(result.logText)")
            }
            fathom = artifact.url
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", "scripts/publish_reference_leaderboard.sh"] + arguments
        process.currentDirectoryURL = context.package.directoryURL
        var environment = ProcessInfo.processInfo.environment
        environment["FATHOM"] = fathom.path
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "publishing failed (status \(process.terminationStatus))") }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }
}
