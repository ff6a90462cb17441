import ArgumentParser
import FathomCore
import FathomTasks
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests strictly: task or suite names, or YAML files (none: every manifest).")

    @Argument(help: "Task names, suite names or manifest files.") var targets: [String] = []
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        let directory = try Registry.locateTasksDirectory(explicit: tasksOption.directory)
        let registry: Registry
        do {
            registry = try Registry.load(directory: directory, kinds: BuiltinPlugins.all)
        } catch let errors as ManifestErrors {
            for error in errors.errors { printError("invalid: \(error)") }
            throw ExitCode.failure
        }
        var failures = 0
        for target in targets {
            if target.hasSuffix(".yaml") || target.hasSuffix(".yml") || FileManager.default.fileExists(atPath: target) {
                do {
                    try registry.validateFile(target)
                    print("ok: \(target)")
                } catch {
                    printError("invalid: \(error)")
                    failures += 1
                }
            } else if registry.tasks[target] != nil || registry.suites[target] != nil {
                print("ok: \(target)")
            } else {
                printError("invalid: no task or suite named '\(target)'")
                failures += 1
            }
        }
        if targets.isEmpty { print("ok: \(registry.tasks.count) tasks and \(registry.suites.count) suites in \(directory)") }
        if failures > 0 { throw ExitCode.failure }
    }
}
