import FathomAuthoring
import FathomBench
import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// `fathom new-task` writes tasks that pass the conformance kit as generated.
@Suite struct ScaffoldTests {
    /// The kit, lighter than the default (the generated tests run the full one).
    var kit: ConformanceKit {
        var kit = ConformanceKit()
        kit.lengths = [2048, 8192]
        kit.seeds = [42]
        kit.samplesPerCell = 3
        return kit
    }

    @Test func yamlTaskConformsAsGenerated() async throws {
        let dir = RepoPaths.temporaryDirectory("scaffold-yaml") + "/tasks"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let result = try TaskScaffold(name: "my.recall", kind: .yaml, directory: dir).write()
        #expect(result.written.count == 3)
        let registry = try BuiltinTasks.registry(adding: [dir])
        let task = try registry.task(named: "my.recall")
        #expect(task.descriptor.kind == "niah" && registry.tasks.count > 1, "a YAML task is a manifest over a built-in kind")
        // The generated test itself, through the binary (at two lengths: users run the full kit, in a release build).
        let test = try await EmbeddedTasksTests.run(
            "/bin/sh", [dir + "/test_my_recall.sh", "--lengths", "2k,8k", "--samples", "3"], in: "/", environment: ["FATHOM": RepoPaths.fathomExecutable])
        #expect(test.status == 0 && test.output.contains("ok: my.recall (") && test.output.contains("1 task conform"), "\(test.output)")
    }

    @Test func execTaskConformsAsGenerated() async throws {
        let dir = RepoPaths.temporaryDirectory("scaffold-exec") + "/tasks"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        _ = try TaskScaffold(name: "my.passkey", kind: .exec, directory: dir).write()
        let registry = try BuiltinTasks.registry(adding: [dir])
        var kit = self.kit
        kit.lengths = [2048]
        kit.tokenizers = [try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")]
        kit.exactLengths = [4096]
        kit.exactSamples = 2
        let report = kit.check(try registry.task(named: "my.passkey"))
        #expect(report.passed, "\(report)")
        // The generated unittest's scorer tests (its conformance test runs the full kit: CI runs it on the example).
        let unit = try await EmbeddedTasksTests.run(
            "/usr/bin/env", ["python3", "-m", "unittest", "-q", "test_my_passkey.ScorerTests"], in: dir, environment: [:])
        #expect(unit.status == 0, "\(unit.output)")
    }

    /// The Swift skeleton compiles and conforms: Sources/FathomBench/ScaffoldedPasskey.swift is what the scaffold
    /// writes for `scaffolded.passkey`, compiled into FathomBench (the Swift twin in `fathom bench exec`).
    @Test func swiftPluginConformsAsGenerated() throws {
        let files = try TaskScaffold(name: "scaffolded.passkey", kind: .swift, directory: "/nonexistent", fathomPackage: "/x/fathom").files()
        let plugin = try #require(files.first { $0.path == "Sources/ScaffoldedPasskeyTasks/ScaffoldedPasskey.swift" })
        let compiled = try String(contentsOfFile: RepoPaths.root + "/Sources/FathomBench/ScaffoldedPasskey.swift", encoding: .utf8)
        #expect(plugin.text == compiled, "the Swift skeleton changed: regenerate Sources/FathomBench/ScaffoldedPasskey.swift with `fathom new-task scaffolded.passkey --kind swift --dir /tmp/s` and copy it")
        let manifest = try #require(files.first { $0.path == "Tasks/scaffolded.passkey.yaml" })
        var registry = try Registry(kinds: [ScaffoldedPasskey.self])
        try registry.add(try TaskManifest.parse(manifest.text, file: manifest.path))
        var kit = self.kit
        kit.tokenizers = [try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/sp.tokenizer.json")]
        let report = kit.check(try registry.task(named: "scaffolded.passkey"))
        #expect(report.passed, "\(report)")
        #expect(files.contains { $0.path == "Package.swift" } && files.contains { $0.path == "Sources/fathom-scaffolded-passkey/main.swift" })
    }

    /// Examples/SwiftPlugin is the scaffold of `example.lines` (its plugin then written as LongChat's line retrieval),
    /// so CI building and testing it compiles the generated Package.swift, main and conformance test.
    @Test func swiftExampleIsTheScaffold() throws {
        let example = RepoPaths.root + "/Examples/SwiftPlugin"
        let files = try TaskScaffold(name: "example.lines", kind: .swift, directory: "/nonexistent", fathomPackage: "../..").files()
        for file in files where !file.path.hasPrefix("Sources/ExampleLinesTasks/") {
            let committed = try String(contentsOfFile: example + "/" + file.path, encoding: .utf8)
            #expect(committed == file.text, "Examples/SwiftPlugin/\(file.path) differs from what `fathom new-task example.lines --kind swift --fathom-package ../..` writes")
        }
    }

    @Test func neverOverwrites() throws {
        let dir = RepoPaths.temporaryDirectory("scaffold-twice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try TaskScaffold(name: "twice", kind: .exec, directory: dir).write()
        try "# mine\n".write(toFile: dir + "/twice.yaml", atomically: true, encoding: .utf8)
        #expect(throws: FathomError.self) { _ = try TaskScaffold(name: "twice", kind: .exec, directory: dir).write() }
        #expect(try String(contentsOfFile: dir + "/twice.yaml", encoding: .utf8) == "# mine\n")
        let second = try TaskScaffold(name: "other", kind: .exec, directory: dir).write()
        #expect(second.kept == [dir + "/fathom_exec.py"], "the helper is shared by the tasks of a folder")
        #expect(throws: FathomError.self) { _ = try TaskScaffold(name: "9lives", kind: .yaml, directory: dir).files() }
        #expect(throws: FathomError.self) { _ = try TaskScaffold(name: "x", kind: .exec, language: "cobol", directory: dir).files() }
        #expect(throws: FathomError.self) { _ = try TaskScaffold(name: "x", kind: .swift, directory: dir + "/pkg").files() }
    }
}
