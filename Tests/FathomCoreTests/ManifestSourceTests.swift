@testable import FathomCore
import Foundation
import Testing

/// Where manifests come from: the built-in set plus added folders, with clashes named by both files.
@Suite struct ManifestSourceTests {
    let echo = """
        name: test.echo
        plugin: echo
        version: 1

        """

    func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-sources-\(UInt64.random(in: 0...UInt64.max))").path
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    var builtin: ManifestSource {
        .embedded([
            .init(path: "demo/echo.yaml", text: echo),
            .init(path: "suites/demo.yaml", text: "name: demo\ntasks: [test.echo]\nlengths: [4k]\n"),
        ])
    }

    @Test func addedFoldersAddTasksAndSuitesAreOptional() throws {
        let mine = try folder(["deep/mine.yaml": echo.replacingOccurrences(of: "test.echo", with: "my.echo")])
        defer { try? FileManager.default.removeItem(atPath: mine) }
        let registry = try Registry.load(sources: [builtin, try .folder(mine)], kinds: [EchoPlugin.self])
        #expect(registry.taskNames == ["my.echo", "test.echo"] && registry.suites.keys.sorted() == ["demo"])
        #expect(registry.tasks["test.echo"]!.descriptor.file == "demo/echo.yaml", "built-in tasks keep their relative file names")
        #expect(registry.tasks["my.echo"]!.descriptor.file == mine + "/deep/mine.yaml")
        #expect(registry.tasks["my.echo"]!.descriptor.directory == URL(fileURLWithPath: mine + "/deep").standardizedFileURL.path)
        #expect(registry.sourceLabels["test.echo"] == "built-in" && registry.sourceLabels["my.echo"] == mine)
        #expect(registry.directory == "", "an embedded set has no folder on disk")
    }

    @Test func aSuiteInAnAddedFolderMayNameBuiltInTasks() throws {
        let mine = try folder([
            "mine.yaml": echo.replacingOccurrences(of: "test.echo", with: "my.echo"),
            "suites/both.yaml": "name: both\ntasks: [test.echo, my.echo]\nlengths: [2k]\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: mine) }
        let registry = try Registry.load(sources: [builtin, try .folder(mine)], kinds: [EchoPlugin.self])
        #expect(registry.suites["both"]?.tasks == ["test.echo", "my.echo"])
    }

    @Test func aNameClashNamesBothFiles() throws {
        let mine = try folder(["clash.yaml": echo])
        defer { try? FileManager.default.removeItem(atPath: mine) }
        do {
            _ = try Registry.load(sources: [builtin, try .folder(mine)], kinds: [EchoPlugin.self])
            Issue.record("a clash must be an error")
        } catch let errors as ManifestErrors {
            let text = errors.description
            #expect(text.contains("\(mine)/clash.yaml") && text.contains("Tasks/demo/echo.yaml (built in)"), "\(text)")
            #expect(errors.errors.first?.kind == .duplicateName && errors.errors.first?.line == 1)
        }
        let twice = try folder(["suites/demo.yaml": "name: demo\ntasks: [test.echo]\nlengths: [4k]\n"])
        defer { try? FileManager.default.removeItem(atPath: twice) }
        do {
            _ = try Registry.load(sources: [builtin, try .folder(twice)], kinds: [EchoPlugin.self])
            Issue.record("a suite clash must be an error")
        } catch let errors as ManifestErrors {
            #expect(errors.description.contains("Tasks/suites/demo.yaml (built in)") && errors.description.contains("\(twice)/suites/demo.yaml"))
        }
    }

    @Test func addedFoldersMustExistAndHoldManifests() throws {
        #expect(throws: FathomError.self) { _ = try ManifestSource.folder("/nonexistent/fathom-tasks") }
        let empty = try folder(["notes.txt": "nothing"])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        do { _ = try ManifestSource.folder(empty) } catch { #expect(error.message.contains("holds no task manifests")) }
    }

    @Test func fathomTasksAddsColonSeparatedFoldersBeforeTheFlags() {
        let folders = ManifestSource.addedFolders(explicit: ["b", "c", "./a"], environment: ["FATHOM_TASKS": "a::/x/y"])
        #expect(folders == ["a", "/x/y", "b", "c"])
        #expect(ManifestSource.addedFolders(explicit: [], environment: [:]).isEmpty)
    }

    /// Relative paths in parameters start at the manifest's folder (a haystack folder works from any directory).
    @Test func relativePathsStartAtTheManifest() throws {
        let mine = try folder(["sub/mine.yaml": echo])
        defer { try? FileManager.default.removeItem(atPath: mine) }
        let registry = try Registry.load(sources: [try .folder(mine)], kinds: [EchoPlugin.self])
        let d = registry.tasks["test.echo"]!.descriptor
        #expect(d.resolvePath("texts") == d.directory! + "/texts" && d.resolvePath("/abs") == "/abs")
    }

    @Test func embeddedLiteralsKeepEveryByte() {
        #expect(ManifestEmbedding.literal("a: 1\nb: \"x\"\n") == "#\"\"\"\na: 1\nb: \"x\"\n\n\"\"\"#")
        #expect(ManifestEmbedding.literal("q: \"#x\"\n").hasPrefix("##\"\"\""), "a quote before # needs two pounds")
        #expect(ManifestEmbedding.literal("a\r\nb") == "\"a\\r\\nb\"", "CR cannot survive a multi-line literal: escape it")
        #expect(ManifestEmbedding.literal("one line") == "\"one line\"")
    }
}

/// Every error in a manifest at once, in line order, with the nearest known name for a misspelt one.
@Suite struct AllErrorsAtOnceTests {
    @Test func fourMistakesInOneRound() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-four-\(UInt64.random(in: 0...UInt64.max)).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
            name: test.four
            plugin: echo
            version: 1
            params:
              times: three
              colour: red
            generation:
              max_tokens: -5
            metrics: [exakt]

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let errors = try Registry(kinds: [EchoPlugin.self]).check(file: path)
        #expect(errors.map(\.line) == [5, 6, 8, 9], "\(errors)")
        #expect(errors.map(\.key) == ["params.times", "params.colour", "generation.max_tokens", "metrics"])
        #expect(errors.map(\.kind) == [.wrongType, .unknownKey, .invalidValue, .invalidValue])
        #expect(errors[3].message.contains("did you mean 'exact'?"), "\(errors[3])")
        #expect(errors.allSatisfy { $0.file == path })
    }

    @Test func misspeltNamesSuggestTheNearest() throws {
        let registry = try Registry(kinds: [EchoPlugin.self])
        func error(_ text: String) -> FathomError? {
            do { _ = try registry.instantiate(try TaskManifest.parse(text, file: "x.yaml")) } catch { return error }
            return nil
        }
        #expect(error("name: a\nplugin: ekho\nversion: 1\n")?.message.contains("did you mean 'echo'?") == true)
        #expect(error("name: a\nplugin: echo\nversion: 1\nparams: {tmies: 2}\n")?.message.contains("did you mean 'times'?") == true)
        #expect(error("name: a\nplugin: echo\nversion: 1\nparams: {word: helo}\n")?.message.contains("did you mean 'hello'?") == true)
        #expect(error("name: a\nplugin: echo\nversoin: 1\n")?.message.contains("did you mean 'version'?") == true)
        var withTask = registry
        try withTask.add(try TaskManifest.parse("name: ruler.niah_single_1\nplugin: echo\nversion: 1\n", file: "t.yaml"))
        do { _ = try withTask.task(named: "ruler.niah_singel_1") } catch { #expect(error.message.contains("did you mean 'ruler.niah_single_1'?")) }
        do { _ = try withTask.task(named: "niah_single_1") } catch { #expect(error.message.contains("'ruler.niah_single_1'")) }
    }

    @Test func suggestionsAreByEditDistance() {
        #expect(Suggestions.nearest(to: "metircs", among: ["metrics", "tags", "params"]) == ["metrics"])
        #expect(Suggestions.nearest(to: "ruler-nia", among: ["ruler-niah", "ruler", "quick"]).first == "ruler-niah")
        #expect(Suggestions.nearest(to: "zzzz", among: ["metrics", "tags"]).isEmpty)
        #expect(Suggestions.hint(for: "x", among: []) == "")
    }
}
