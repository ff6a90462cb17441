import FathomCore
import Foundation

/// `fathom new-task NAME --kind yaml|swift|exec` (and `swift package new-task`): writes a task that passes the
/// conformance kit as generated (oracle 1.0, null 0, exact lengths): a manifest, its code, and a conformance test.
///
/// - `yaml`: a manifest over a built-in kind (`niah` over a haystack folder of your own text), and a shell test.
/// - `exec` (Python): a manifest with `plugin: exec`, the plugin script (passkey retrieval), the protocol helper
///   `fathom_exec.py`, and a unittest that runs the scorer and `fathom conformance`.
/// - `swift`: a plugin kind (passkey retrieval) in a Swift package depending on Fathom, its manifest, its own
///   `fathom` executable (FathomCLI with the new kind), and a Swift Testing conformance test (FathomTesting).
///
/// Existing files are never overwritten.
public struct TaskScaffold: Sendable {
    public enum Kind: String, CaseIterable, Sendable { case yaml, swift, exec }

    public var name: String
    public var kind: Kind
    /// Exec plugins: the language of the skeleton (python).
    public var language: String
    /// Where to write: the tasks folder for yaml and exec (default `tasks`), the package root for swift (default `.`).
    public var directory: String
    /// Swift: the Fathom package to depend on, a path or a URL.
    public var fathomPackage: String?

    public static let languages = ["python"]

    public init(name: String, kind: Kind, language: String = "python", directory: String? = nil, fathomPackage: String? = nil) {
        self.name = name
        self.kind = kind
        self.language = language
        self.directory = directory ?? (kind == .swift ? "." : "tasks")
        self.fathomPackage = fathomPackage
    }

    /// A file to write, relative to `directory`.
    public struct File: Sendable, Equatable {
        public var path: String
        public var text: String
        public var executable = false
    }

    /// What `write` did.
    public struct Result: Sendable {
        public var written: [String]
        public var kept: [String]
        /// What to do next, printed after the list of files.
        public var nextSteps: [String]
    }

    /// Names derived from the task name.
    public var names: ScaffoldNames { ScaffoldNames(task: name) }

    /// The files of the scaffold.
    public func files() throws(FathomError) -> [File] {
        guard TaskManifest.isValidName(name), name.unicodeScalars.first.map({ $0.properties.isAlphabetic }) == true else {
            throw FathomError(.usage, "'\(name)' is not a task name: start with a letter, then letters, digits, '.', '_' or '-' (e.g. acme.recall)")
        }
        let n = names
        switch kind {
        case .yaml:
            return [
                File(path: "\(name).yaml", text: n.fill(ScaffoldTemplates.yamlManifest)),
                File(path: "\(name).haystack/haystack.txt", text: ScaffoldTemplates.haystack),
                File(path: "test_\(n.slug).sh", text: n.fill(ScaffoldTemplates.yamlTest), executable: true),
            ]
        case .exec:
            guard Self.languages.contains(language) else {
                throw FathomError(
                    .usage,
                    "no skeleton for '\(language)' (there is one for: \(Self.languages.joined(separator: ", "))); any language works: implement the protocol in schemas/exec-plugin.v1.schema.json (docs/authoring.md)")
            }
            return [
                File(path: "\(name).yaml", text: n.fill(ScaffoldTemplates.execManifest)),
                File(path: "\(n.slug).py", text: n.fill(ScaffoldTemplates.execPython), executable: true),
                File(path: "fathom_exec.py", text: PythonHelper.source),
                File(path: "test_\(n.slug).py", text: n.fill(ScaffoldTemplates.execPythonTest)),
            ]
        case .swift:
            var files = [
                File(path: "Sources/\(n.module)/\(n.typeName).swift", text: n.fill(ScaffoldTemplates.swiftPlugin)),
                File(path: "Tasks/\(name).yaml", text: n.fill(ScaffoldTemplates.swiftManifest)),
                File(path: "Tests/\(n.module)Tests/\(n.typeName)ConformanceTests.swift", text: n.fill(ScaffoldTemplates.swiftTest)),
                File(path: "Sources/\(n.executable)/main.swift", text: n.fill(ScaffoldTemplates.swiftMain)),
            ]
            if !FileManager.default.fileExists(atPath: directory + "/Package.swift") {
                files.append(File(path: "Package.swift", text: try packageManifest()))
            }
            return files
        }
    }

    /// Package.swift for a new Swift plugin package.
    func packageManifest() throws(FathomError) -> String {
        guard let fathomPackage, !fathomPackage.isEmpty else {
            throw FathomError(.usage, "--kind swift needs --fathom-package PATH|URL: where the Fathom package is (a checkout's folder or its git URL)")
        }
        let dependency: String
        let identity: String
        if fathomPackage.contains("://") || fathomPackage.hasPrefix("git@") {
            dependency = ".package(url: \(jsonQuoted(fathomPackage)), branch: \"main\")"
            var last = String(fathomPackage.split(separator: "/").last ?? "fathom")
            if last.hasSuffix(".git") { last.removeLast(4) }
            identity = jsonQuoted(last.lowercased())
        } else {
            dependency = ".package(path: fathomPath)"
            identity = "URL(fileURLWithPath: fathomPath, relativeTo: URL(fileURLWithPath: Context.packageDirectory + \"/\")).standardizedFileURL.lastPathComponent.lowercased()"
        }
        return names.fill(ScaffoldTemplates.swiftPackage.replacingOccurrences(of: "__TARGETS__\n", with: ScaffoldTemplates.swiftTargets + "\n"))
            .replacingOccurrences(of: "__FATHOM_PATH__", with: jsonQuoted(fathomPackage))
            .replacingOccurrences(of: "__FATHOM_DEPENDENCY__", with: dependency)
            .replacingOccurrences(of: "__FATHOM_IDENTITY__", with: identity)
    }

    /// Writes the files under `directory` (creating folders); files that exist are kept, never overwritten (an
    /// identical `fathom_exec.py` is simply reused). Fails before writing anything if a task file already exists.
    public func write() throws -> Result {
        let manager = FileManager.default
        let files = try files()
        var kept: [String] = []
        var clashes: [String] = []
        for file in files where manager.fileExists(atPath: directory + "/" + file.path) {
            let existing = manager.contents(atPath: directory + "/" + file.path).map { String(decoding: $0, as: UTF8.self) }
            if file.path == "fathom_exec.py" || existing == file.text { kept.append(file.path) } else { clashes.append(file.path) }
        }
        guard clashes.isEmpty else {
            throw FathomError(.io, "not overwriting \(clashes.map { directory + "/" + $0 }.joined(separator: ", ")): choose another name or --dir")
        }
        var written: [String] = []
        for file in files where !kept.contains(file.path) {
            let path = directory + "/" + file.path
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
            if file.executable { try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
            written.append(path)
        }
        if kept.contains("fathom_exec.py"), let existing = manager.contents(atPath: directory + "/fathom_exec.py"),
            String(decoding: existing, as: UTF8.self) != PythonHelper.source
        {
            kept[kept.firstIndex(of: "fathom_exec.py")!] = "fathom_exec.py (yours differs from this Fathom's helper: compare them)"
        }
        let packageWritten = files.contains { $0.path == "Package.swift" }
        return Result(written: written, kept: kept.map { directory + "/" + $0 }, nextSteps: nextSteps(packageWritten: packageWritten))
    }

    /// What to run next; for a Swift kind added to an existing package, the Package.swift lines to add.
    public func nextSteps(packageWritten: Bool) -> [String] {
        let n = names
        let dir = directory
        switch kind {
        case .yaml:
            return [
                "fathom list --tasks-dir \(dir)                 # \(name) next to the built-in tasks",
                "fathom run \(name) --tasks-dir \(dir) --model oracle --lengths 4k --samples 5",
                "sh \(dir)/test_\(n.slug).sh                       # the conformance kit (or: fathom conformance \(name) --tasks-dir \(dir))",
                "edit \(dir)/\(name).yaml (params; `fathom list --kinds` shows every kind's) and put your own .txt files in \(dir)/\(name).haystack/",
            ]
        case .exec:
            return [
                "fathom list --tasks-dir \(dir)",
                "fathom run \(name) --tasks-dir \(dir) --model oracle --lengths 4k --samples 5",
                "python3 -m unittest discover -s \(dir) -p 'test_\(n.slug).py'   # the scorer's tests and the conformance kit",
                "edit \(dir)/\(n.slug).py: make_sample, score and oracle (the protocol: fathom schema exec-plugin)",
            ]
        case .swift:
            var steps: [String] = []
            if !packageWritten {
                steps.append("add to your Package.swift (not changed), with `let fathom = \"<the Fathom package's identity>\"` and Fathom in its dependencies:")
                steps += names.fill(ScaffoldTemplates.swiftTargets).split(separator: "\n").map { "    " + $0 }
            }
            steps += [
                "cd \(dir) && swift test                         # the conformance kit on \(name) (FathomTesting)",
                "swift run \(n.executable) list                  # your own fathom: \(name) next to the built-in tasks",
                "swift run \(n.executable) run \(name) --model oracle --lengths 4k --samples 5",
            ]
            return steps
        }
    }
}

/// Names derived from a task name such as `acme.recall`: slug `acme_recall` (the Swift kind's `plugin:` name and the
/// Python file's), type `AcmeRecall`, module `AcmeRecallTasks`, executable `fathom-acme-recall`.
public struct ScaffoldNames: Sendable {
    public let task: String
    public let slug: String
    public let typeName: String
    public var kind: String { slug }
    public var module: String { typeName + "Tasks" }
    public var executable: String { "fathom-" + slug.replacingOccurrences(of: "_", with: "-") }

    public init(task: String) {
        self.task = task
        let parts = task.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
        slug = parts.joined(separator: "_")
        let camel = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        typeName = camel.first?.isLetter == true ? camel : "Task" + camel
    }

    func fill(_ template: String) -> String {
        template.replacingOccurrences(of: "__TASK__", with: task).replacingOccurrences(of: "__SLUG__", with: slug)
            .replacingOccurrences(of: "__TYPE__", with: typeName).replacingOccurrences(of: "__KIND__", with: kind)
            .replacingOccurrences(of: "__MODULE__", with: module).replacingOccurrences(of: "__EXECUTABLE__", with: executable)
    }
}
