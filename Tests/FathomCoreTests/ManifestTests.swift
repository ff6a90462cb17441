import FathomCore
import Foundation
import Testing

/// A minimal plugin kind so the registry has something to resolve manifests against.
struct EchoPlugin: TaskPlugin {
    static let kind = "echo"
    static let summary = "Repeats a word."
    static let metrics = ["exact", "loose"]
    static let defaultMaxTokens = 8
    static let defaultTags = TaskTags(family: "test", diffusion: "low", scope: "small")
    struct Parameters: TaskParameters {
        enum Word: String, ParameterChoice { case hello, bye }
        var word = Word.hello
        var times = 1
        var weight = 0.5
        static let documentation: [String: ParameterDoc] = [
            "word": ParameterDoc("the word"), "times": ParameterDoc("repetitions", minimum: 1), "weight": ParameterDoc("a weight"),
        ]
    }
    let descriptor: TaskDescriptor
    let parameters: Parameters
    init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        if parameters.times > 100 { throw FathomError(.invalidValue, "too many times", key: "params.times") }
        self.descriptor = descriptor
        self.parameters = parameters
    }
    func makeSample(_ request: SampleRequest) throws -> Sample { fatalError("not used in manifest tests") }
    func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) -> Score { Score(value: 0, metrics: [:]) }
    func oracleAnswer(sample: Sample) -> String { "" }
}

@Suite struct ManifestTests {
    let good = """
        name: test.echo
        plugin: echo
        version: 1
        params: {word: bye, times: 3, weight: 2}
        generation: {max_tokens: 16, stop: ["\\n"]}
        metrics: [exact, loose]
        tags: {family: demo, diffusion: high, scope: large}
        """

    func registry() throws -> Registry { try Registry(kinds: [EchoPlugin.self]) }

    /// Parses and instantiates `text` and returns the error it raises.
    func failure(_ text: String, file: String = "Tasks/x.yaml") throws -> FathomError {
        do {
            _ = try registry().instantiate(try TaskManifest.parse(text, file: file))
        } catch let error as FathomError {
            #expect(error.description.contains(file), "error must name the file: \(error)")
            return error
        }
        Issue.record("expected an error for:\n\(text)")
        return FathomError(.io, "none")
    }

    @Test func goodManifestResolves() throws {
        let task = try registry().instantiate(try TaskManifest.parse(good, file: "Tasks/x.yaml"))
        let d = task.descriptor
        #expect(d.name == "test.echo")
        #expect(d.parameters.string("word") == "bye")
        #expect(d.parameters.int("times") == 3)
        #expect(d.parameters.double("weight") == 2)
        #expect(d.generation == GenerationSettings(maxTokens: 16, stop: ["\n"]))
        #expect(d.metrics == ["exact", "loose"])
        #expect(d.tags == TaskTags(family: "demo", diffusion: "high", scope: "large"))
    }

    @Test func defaultsFillWhatIsMissing() throws {
        let task = try registry().instantiate(try TaskManifest.parse("name: a\nplugin: echo\nversion: 2\n", file: "f.yaml"))
        #expect(task.descriptor.parameters.string("word") == "hello")
        #expect(task.descriptor.metrics == ["exact"])
        #expect(task.descriptor.generation.maxTokens == 8)
    }

    @Test func parseErrors() throws {
        #expect(try failure("name: [unclosed\n").kind == .parse)
        #expect(try failure("").kind == .parse)
        #expect(try failure("- a\n- b\n").kind == .wrongType)
    }

    @Test func unknownKeys() throws {
        let top = try failure(good.replacingOccurrences(of: "params:", with: "parms:"))
        #expect(top.kind == .unknownKey && top.key == "parms" && top.line == 4)
        let nested = try failure(good.replacingOccurrences(of: "max_tokens", with: "max_token"))
        #expect(nested.kind == .unknownKey && nested.key == "generation.max_token")
        let param = try failure(good.replacingOccurrences(of: "times: 3", with: "tiems: 3"))
        #expect(param.kind == .unknownKey && param.key == "params.tiems")
        let tag = try failure(good.replacingOccurrences(of: "scope: large", with: "size: large"))
        #expect(tag.kind == .unknownKey && tag.key == "tags.size")
    }

    @Test func missingKeys() throws {
        let error = try failure("name: a\nplugin: echo\n")
        #expect(error.kind == .missingKey && error.key == "version")
    }

    @Test func wrongTypes() throws {
        let version = try failure(good.replacingOccurrences(of: "version: 1", with: "version: one"))
        #expect(version.kind == .wrongType && version.key == "version")
        let quoted = try failure(good.replacingOccurrences(of: "version: 1", with: "version: \"1\""))
        #expect(quoted.kind == .wrongType)
        let param = try failure(good.replacingOccurrences(of: "times: 3", with: "times: three"))
        #expect(param.kind == .wrongType && param.key == "params.times")
        let metrics = try failure(good.replacingOccurrences(of: "metrics: [exact, loose]", with: "metrics: exact"))
        #expect(metrics.kind == .wrongType && metrics.key == "metrics")
        let name = try failure(good.replacingOccurrences(of: "name: test.echo", with: "name: 12"))
        #expect(name.kind == .wrongType && name.key == "name")
    }

    @Test func invalidValues() throws {
        let allowed = try failure(good.replacingOccurrences(of: "word: bye", with: "word: ciao"))
        #expect(allowed.kind == .invalidValue && allowed.key == "params.word")
        let minimum = try failure(good.replacingOccurrences(of: "times: 3", with: "times: 0"))
        #expect(minimum.kind == .invalidValue)
        let tag = try failure(good.replacingOccurrences(of: "diffusion: high", with: "diffusion: medium"))
        #expect(tag.kind == .invalidValue && tag.key == "tags.diffusion")
        let metric = try failure(good.replacingOccurrences(of: "[exact, loose]", with: "[exact, rouge]"))
        #expect(metric.kind == .invalidValue && metric.key == "metrics")
        let plugin = try failure(good.replacingOccurrences(of: "times: 3", with: "times: 1000"))
        #expect(plugin.kind == .invalidValue && plugin.key == "params.times")
        let tokens = try failure(good.replacingOccurrences(of: "max_tokens: 16", with: "max_tokens: 0"))
        #expect(tokens.kind == .invalidValue)
    }

    @Test func unknownPlugin() throws {
        let error = try failure(good.replacingOccurrences(of: "plugin: echo", with: "plugin: ekko"))
        #expect(error.kind == .unknownPlugin && error.key == "plugin" && error.message.contains("echo"))
    }

    @Test func duplicateYAMLKey() throws {
        let error = try failure(good + "\nname: again\n")
        #expect(error.kind == .parse && error.message.contains("duplicated key(s): 'name'"))
    }

    @Test func suiteErrors() throws {
        var registry = try registry()
        try registry.add(try TaskManifest.parse(good, file: "a.yaml"))
        let missing = try SuiteManifest.parse("name: s\ntasks: [test.echo, test.nope]\nlengths: [4k]\n", file: "suites/s.yaml")
        #expect(throws: FathomError.self) { try registry.add(missing) }
        do { try registry.add(missing) } catch { #expect(error.kind == .missingTask && error.key == "tasks" && error.file == "suites/s.yaml") }
        #expect(throws: FathomError.self) { _ = try SuiteManifest.parse("name: s\ntasks: [a, a]\nlengths: [4k]\n", file: "s.yaml") }
        do { _ = try SuiteManifest.parse("name: s\ntasks: [a]\nlengths: [4q]\n", file: "s.yaml") } catch {
            #expect(error.kind == .invalidValue && error.key == "lengths")
        }
        do { _ = try SuiteManifest.parse("name: s\ntasks: [a]\nlengths: [4k]\naggregate: {headline: median}\n", file: "s.yaml") } catch {
            #expect(error.kind == .invalidValue && error.key == "aggregate.headline")
        }
        let suite = try SuiteManifest.parse("name: s\ntasks: [test.echo]\nlengths: [4k, 128k]\n", file: "s.yaml")
        #expect(suite.lengths == [4096, 131_072] && suite.samples == 100 && suite.seed == 42)
    }

    @Test func registryLoadCollectsEveryError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-manifests-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: dir + "/suites", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try good.write(toFile: dir + "/one.yaml", atomically: true, encoding: .utf8)
        try good.write(toFile: dir + "/two.yaml", atomically: true, encoding: .utf8)
        try "name: x\nplugin: nope\nversion: 1\n".write(toFile: dir + "/three.yaml", atomically: true, encoding: .utf8)
        try "name: s\ntasks: [missing.task]\nlengths: [4k]\n".write(toFile: dir + "/suites/s.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try Registry.load(directory: dir, kinds: [EchoPlugin.self])
            Issue.record("expected errors")
        } catch let errors as ManifestErrors {
            #expect(Set(errors.errors.map { $0.kind }) == [.duplicateName, .unknownPlugin, .missingTask])
            #expect(errors.errors.first { $0.kind == .duplicateName }?.file == "two.yaml")
        }
        try FileManager.default.removeItem(atPath: dir + "/two.yaml")
        try FileManager.default.removeItem(atPath: dir + "/three.yaml")
        try "name: s\ntasks: [test.echo]\nlengths: [4k]\n".write(toFile: dir + "/suites/s.yaml", atomically: true, encoding: .utf8)
        let registry = try Registry.load(directory: dir, kinds: [EchoPlugin.self])
        #expect(registry.taskNames == ["test.echo"] && registry.suites["s"]?.tasks == ["test.echo"])
    }

    @Test func duplicateKindsAreRejected() {
        #expect(throws: FathomError.self) { _ = try Registry(kinds: [EchoPlugin.self, EchoPlugin.self]) }
    }
}
