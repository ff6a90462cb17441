import ArgumentParser
import FathomAuthoring
import FathomTasks
import Foundation

/// `fathom new-task`: scaffolds a task that passes the conformance kit as generated.
struct NewTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-task",
        abstract: "Scaffold a task: its manifest, its code and a conformance test, passing as generated (oracle 1.0).",
        discussion: """
            yaml: a manifest over a built-in kind (niah over your own text). exec: a plugin in any language (a Python \
            skeleton and the protocol helper). swift: a plugin kind in a Swift package with its own fathom. Files go to \
            --dir (default: tasks/ for yaml and exec, the current folder, a package root, for swift); nothing is \
            overwritten. Guide: docs/authoring.md.
            """)

    @Argument(help: "The task's name, e.g. acme.recall (letters, digits, '.', '_', '-').") var name: String
    @Option(help: "yaml, swift or exec.") var kind: String
    @Option(help: "Exec plugins: the skeleton's language (python).") var language = "python"
    @Option(help: "Where to write (default: tasks for yaml and exec, . for swift).") var dir: String?
    @Option(help: "Swift: the Fathom package to depend on, a path or a git URL (default: the checkout this fathom was built in).")
    var fathomPackage: String?

    func validate() throws {
        guard TaskScaffold.Kind(rawValue: kind) != nil else {
            throw ValidationError("--kind takes \(TaskScaffold.Kind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(kind)'")
        }
    }

    func run() throws {
        let scaffold = TaskScaffold(
            name: name, kind: TaskScaffold.Kind(rawValue: kind)!, language: language, directory: dir,
            fathomPackage: fathomPackage ?? BuiltinTasks.checkoutRoot())
        let result = try scaffold.write()
        for path in result.written { print("wrote \(path)") }
        for path in result.kept { print("kept  \(path)") }
        print("\nnext:")
        for step in result.nextSteps { print("  " + step) }
    }
}
