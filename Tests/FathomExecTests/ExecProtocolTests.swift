import FathomCore
import FathomExec
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct ExecProtocolTests {
    /// The schema in schemas/ is the one the binary validates plugin lines with (`fathom schema exec-plugin`).
    @Test func committedSchemaIsTheBinarys() throws {
        let file = try #require(FileManager.default.contents(atPath: RepoPaths.root + "/schemas/exec-plugin.v1.schema.json"))
        #expect(String(decoding: file, as: UTF8.self) == ExecSchema.json + "\n", "schemas/exec-plugin.v1.schema.json differs: run `fathom schema exec-plugin > schemas/exec-plugin.v1.schema.json`")
    }

    /// Lines are checked against the schema, with messages an author can act on.
    @Test func pluginLinesAreValidated() throws {
        let validator = try JSONSchemaValidator(schemaJSON: Data(ExecSchema.json.utf8))
        func violations(_ line: String) throws -> [String] { try validator.validate(json: Data(line.utf8)) }
        #expect(try violations(#"{"type":"description","protocol":1,"summary":"s","metrics":["m"],"max_tokens":4}"#).isEmpty)
        #expect(try violations(#"{"type":"sample","messages":[{"role":"user","content":"x"}],"reference":{"answers":["a"]}}"#).isEmpty)
        #expect(try violations(#"{"type":"score","value":0.5,"metrics":{"m":0.5},"details":{"any":[1,2]}}"#).isEmpty)
        #expect(try violations(#"{"type":"bogus"}"#) == ["$: unknown type 'bogus'"])
        let typo = try violations(#"{"type":"sample","messages":[{"role":"user","content":"x"}],"refrence":{"answers":["a"]}}"#)
        #expect(typo.contains("$: missing required property 'reference'") && typo.contains("$: property 'refrence' is not allowed"), "\(typo)")
        #expect(try violations(#"{"type":"score","value":2}"#) == ["$.value: 2.0 > maximum 1.0"])
        #expect(try violations(#"{"type":"sample","messages":[{"role":"robot","content":"x"}],"reference":{"answers":[]}}"#) == ["$.messages[0].role: value not in enum"])
    }
}

/// The Python example (Examples/python-exec, LongChat line retrieval) through the conformance kit, with an exact
/// tokenizer and under a chat template: its lengths are exact because it sizes with Fathom's counts.
@Suite struct ExampleExecPluginTests {
    @Test func pythonExampleConforms() throws {
        let registry = try Registry.load(
            sources: [try ManifestSource.folder(RepoPaths.root + "/Examples/python-exec")], kinds: [], external: [ExecPlugin.self])
        var kit = ConformanceKit()
        kit.lengths = [2048, 4096]
        kit.seeds = [42]
        kit.samplesPerCell = 3
        let tokenizer = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")
        kit.tokenizers = [tokenizer]
        kit.exactLengths = [4096]
        kit.exactSamples = 2
        kit.chatTemplate = try ModelChatTemplate.load(path: RepoPaths.fixtures + "/chat/tokenizer_config.json", tokenizer: tokenizer)
        let task = try registry.task(named: "example.lines_exec")
        let report = kit.check(task)
        #expect(report.passed, "\(report)")
        #expect(report.samplesChecked == 6 + 2 + 2 * 2)
        #expect(task.axes.map(\.name) == ["depth"] && task.provenance["python"] != nil)
    }
}
