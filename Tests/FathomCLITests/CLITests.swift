import FathomBench
import FathomCLI
import FathomCore
import FathomTasks
import FathomTestSupport
import Foundation
import Testing

/// The CLI as a library: an outside package's kinds reach every command.
@Suite(.serialized) struct CLITests {
    @Test func extraKindsReachTheCommands() async throws {
        let dir = RepoPaths.temporaryDirectory("cli-kinds")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "name: ext.passkey\nplugin: scaffolded_passkey\nversion: 1\n".write(toFile: dir + "/ext.yaml", atomically: true, encoding: .utf8)
        let arguments = ["conformance", "ext.passkey", "--tasks-dir", dir, "--lengths", "2k", "--samples", "2"]
        try await FathomCLI.run(arguments, kinds: BuiltinPlugins.all + [ScaffoldedPasskey.self])
        try await FathomCLI.run(["validate", "ext.passkey", "--tasks-dir", dir], kinds: BuiltinPlugins.all + [ScaffoldedPasskey.self])
        #expect(FathomCLI.packageTasksFolder() == RepoPaths.tasks, "the Tasks/ folder of the package of the calling file")
        // A package's own fathom adds its Tasks/ (FathomCLI.main(kinds:taskFolders:)); a folder that is not there is skipped.
        try await FathomCLI.run(["validate", "ext.passkey"], kinds: BuiltinPlugins.all + [ScaffoldedPasskey.self], taskFolders: [dir, dir + "/none"])
        do {
            try await FathomCLI.run(arguments, kinds: BuiltinPlugins.all)
            Issue.record("without the kind, the manifest must not load")
        } catch {
            #expect(String(describing: error).contains("unknown plugin kind 'scaffolded_passkey'"), "\(error)")
        }
    }

    /// `--tasks DIR` (the old flag, which replaced the built-in tasks) now adds DIR like `--tasks-dir`; naming the
    /// checkout's own Tasks/ with it is not a clash.
    @Test func theOldTasksFlagAdds() async throws {
        let dir = RepoPaths.temporaryDirectory("cli-tasks-flag")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "name: ext.passkey\nplugin: scaffolded_passkey\nversion: 1\n".write(toFile: dir + "/ext.yaml", atomically: true, encoding: .utf8)
        let kinds = BuiltinPlugins.all + [ScaffoldedPasskey.self]
        try await FathomCLI.run(["validate", "ext.passkey", "ruler.vt", "--tasks", dir], kinds: kinds)
        try await FathomCLI.run(["validate", "ruler.vt", "--tasks", RepoPaths.tasks], kinds: kinds)
        do {
            try await FathomCLI.run(["validate", "ext.passkey", "--tasks", RepoPaths.tasks], kinds: kinds)
            Issue.record("without the folder, ext.passkey is unknown")
        } catch {}
    }

    /// `fathom validate FILE`: every error of the file at once, `FILE:LINE: error: key 'K': MESSAGE`.
    @Test func validateReportsEveryErrorAtOnce() throws {
        let dir = RepoPaths.temporaryDirectory("validate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/four.yaml"
        try """
            name: my.four
            plugin: niah
            version: 1
            params:
              keys: "four"
              haystak: essay
            generation:
              max_tokens: -5
            metrics: [string_match_al]

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = ManifestValidation.run(targets: [file, "ruler.niah_singel_1", "quik"], folders: [])
        let lines = result.lines
        #expect(result.errorCount == 6, "\(lines)")
        #expect(lines.contains("\(file):5: error: key 'params.keys': expected int, found 'four'"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):6: error: key 'params.haystak': unknown parameter (did you mean 'haystack'?)") }, "\(lines)")
        #expect(lines.contains("\(file):8: error: key 'generation.max_tokens': max_tokens must be at least 1, not -5"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):9: error: key 'metrics': plugin 'niah' cannot report 'string_match_al' (did you mean 'string_match_all'") }, "\(lines)")
        #expect(lines.contains("error: no task or suite named 'ruler.niah_singel_1' (did you mean 'ruler.niah_single_1'?)"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("error: no task or suite named 'quik' (did you mean 'quick'") }, "\(lines)")
        #expect(lines.last == "6 errors")
    }
}

/// The message ArgumentParser would print for an error thrown while parsing.
func Fathom_message(_ error: any Error) -> String { String(describing: error) }
