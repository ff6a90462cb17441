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
                    try validateFile(target, registry: registry)
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

    /// A file outside the registry is checked on its own: a suite if it has `tasks:`, else a task.
    func validateFile(_ path: String, registry: Registry) throws {
        let text = try Registry.readManifest(path)
        if text.split(separator: "\n").contains(where: { $0.hasPrefix("tasks:") }) {
            var copy = registry
            let suite = try SuiteManifest.parse(text, file: path)
            if let existing = copy.suites[suite.name], existing.file.hasSuffix(path) || path.hasSuffix(existing.file) { return }
            try copy.add(suite)
        } else {
            let manifest = try TaskManifest.parse(text, file: path)
            _ = try registry.instantiate(manifest)
        }
    }
}
