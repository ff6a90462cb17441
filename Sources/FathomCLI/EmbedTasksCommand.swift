import ArgumentParser
import FathomCore
import FathomTasks
import Foundation

/// `fathom embed-tasks` (hidden, for developers): regenerates the files the binary carries from their sources:
/// Sources/FathomTasks/BuiltinManifests.swift from Tasks/, and Sources/FathomAuthoring/PythonHelper.swift from
/// Examples/python-exec/fathom_exec.py.
struct EmbedTasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-tasks", abstract: "Regenerate the built-in manifests (and the Python exec helper) carried by the binary (developers).",
        shouldDisplay: false)

    @Option(help: "The repository root (default: the current folder).") var root = "."

    func run() throws {
        guard let helper = FileManager.default.contents(atPath: root + "/" + ManifestEmbedding.pythonHelperPath) else {
            throw ValidationError("run it from the repository root (or pass --root): no \(ManifestEmbedding.pythonHelperPath) here")
        }
        let outputs = [
            (ManifestEmbedding.outputPath, try ManifestEmbedding.render(directory: root + "/Tasks")),
            (ManifestEmbedding.pythonHelperOutputPath, ManifestEmbedding.renderPythonHelper(String(decoding: helper, as: UTF8.self))),
        ]
        for (path, text) in outputs {
            let old = FileManager.default.contents(atPath: root + "/" + path).map { String(decoding: $0, as: UTF8.self) }
            if old == text {
                print("\(path) is up to date")
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + path))
                print("wrote \(path) (rebuild to carry it)")
            }
        }
    }
}
