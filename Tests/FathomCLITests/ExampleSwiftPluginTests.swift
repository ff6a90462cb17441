import FathomCore
import FathomTasks
import FathomTestSupport
import Foundation
import Testing

/// Examples/SwiftPlugin through the conformance kit, as its own test does (ExampleLinesConformanceTests), without
/// building the example package (which would build every dependency a second time): its plugin,
/// Sources/ExampleLinesTasks/ExampleLines.swift, is compiled into this target through the symlink ExampleLines.swift,
/// and its manifest is the package's Tasks/. ScaffoldTests checks the rest of the package is what the scaffold writes.
@Suite struct ExampleSwiftPluginTests {
    @Test func swiftExampleConforms() throws {
        let registry = try BuiltinTasks.registry(
            adding: [RepoPaths.root + "/Examples/SwiftPlugin/Tasks"], kinds: BuiltinPlugins.all + [ExampleLines.self])
        #expect(registry.sourceLabels["example.lines"] != "built-in" && registry.tasks["ruler.vt"] != nil, "added to the built-in tasks")
        var kit = ConformanceKit()
        kit.lengths = [2048, 8192]  // as the example's own test
        let report = kit.check(try registry.task(named: "example.lines"))
        #expect(report.passed, "\(report)")
        #expect(report.samplesChecked == 2 * 2 * 6)
    }
}
