import FathomCore
import FathomTasks
import FathomTesting
import Testing
import ExampleLinesTasks

/// The conformance kit on example.lines: oracle 1.0, null <= 0.05, deterministic samples, exact lengths, hostile answers.
/// The registry is the one this package's `fathom` loads: the built-in tasks plus Tasks/.
@Suite struct ExampleLinesConformanceTests {
    static let registry: Registry = try! BuiltinTasks.registry(adding: [PackagePaths.root() + "/Tasks"], kinds: BuiltinPlugins.all + [ExampleLines.self])

    @Test func conforms() throws {
        var kit = ConformanceKit()
        // Add your model's tokenizer to check lengths in its tokens: kit.tokenizers = [try TokenizerLoader.load("tokenizer.json")]
        kit.lengths = [2048, 8192]
        let report = kit.check(try Self.registry.task(named: "example.lines"))
        #expect(report.passed, "\(report)")
    }
}
