import ArgumentParser
import FathomCore
import FathomTasks
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests strictly and report every error at once: task or suite names, or YAML files (none: every manifest).")

    @Argument(help: "Task names, suite names or manifest files.") var targets: [String] = []
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        let result = ManifestValidation.run(targets: targets, folders: tasksOption.addedFolders, kinds: PluginKinds.current)
        for line in result.lines { if line.hasPrefix("ok: ") { print(line) } else { printError(line) } }
        if result.errorCount > 0 { throw ExitCode.failure }
    }
}
