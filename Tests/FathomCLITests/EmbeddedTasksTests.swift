import FathomCore
import FathomTasks
import FathomTestSupport
import Foundation
import Testing

/// The binary carries its tasks: the generated copy of Tasks/ is current, loads the same tasks, and a copy of the
/// binary outside the checkout lists and runs them from any folder.
@Suite struct EmbeddedTasksTests {
    static let regenerate = "run `\(ManifestEmbedding.command)` from the repository root and commit the result"

    @Test func embeddedManifestsAreCurrent() throws {
        let committed = try String(contentsOfFile: RepoPaths.root + "/" + ManifestEmbedding.outputPath, encoding: .utf8)
        #expect(committed == (try ManifestEmbedding.render(directory: RepoPaths.tasks)), "\(ManifestEmbedding.outputPath) is out of date with Tasks/: \(Self.regenerate)")
        let disk = try ManifestSource.folder(RepoPaths.tasks, relativeNames: true).files
        #expect(BuiltinManifests.files == disk, "the manifests compiled into this build differ from Tasks/: \(Self.regenerate), then rebuild")
    }

    @Test func embeddedPythonHelperIsCurrent() throws {
        let helper = try String(contentsOfFile: RepoPaths.root + "/" + ManifestEmbedding.pythonHelperPath, encoding: .utf8)
        let committed = try String(contentsOfFile: RepoPaths.root + "/" + ManifestEmbedding.pythonHelperOutputPath, encoding: .utf8)
        #expect(committed == ManifestEmbedding.renderPythonHelper(helper), "\(ManifestEmbedding.pythonHelperOutputPath) is out of date: \(Self.regenerate)")
    }

    @Test func embeddedSetLoadsWhatTheCheckoutLoads() throws {
        let embedded = try BuiltinTasks.registry(preferCheckout: false)
        let checkout = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        #expect(embedded.directory == "" && embedded.taskNames == checkout.taskNames)
        for name in checkout.taskNames {
            let (a, b) = (embedded.tasks[name]!.descriptor, checkout.tasks[name]!.descriptor)
            #expect(a.hash == b.hash && a.file == b.file && a.parameters == b.parameters, "\(name)")
        }
        #expect(embedded.suites == checkout.suites)
        #expect(BuiltinTasks.checkoutRoot() == RepoPaths.root, "tests run from the checkout, which is recognised")
        #expect(try BuiltinTasks.registry().directory == RepoPaths.tasks)
    }

    /// The release question: copy the binary out of the checkout and use it from another folder.
    @Test func aCopyOfTheBinaryWorksFromAnyFolder() async throws {
        let dir = RepoPaths.temporaryDirectory("binary-copy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: RepoPaths.fathomExecutable, toPath: dir + "/bin/fathom")
        let list = try await Self.run(dir + "/bin/fathom", ["list"], in: dir)
        #expect(list.status == 0 && list.output.contains("ruler.niah_single_1") && list.output.contains("niah.classic"), "\(list.output)")
        let run = try await Self.run(dir + "/bin/fathom", ["run", "quick", "--model", "oracle", "--samples", "1", "--lengths", "2k", "--out", dir + "/runs", "--quiet"], in: dir)
        #expect(run.status == 0 && run.output.contains("mean") && run.output.contains("100.0"), "\(run.output)")
        #expect(!run.output.contains("cannot find"))
    }

    /// Runs a process to the end without blocking the cooperative pool (it polls).
    static func run(
        _ executable: String, _ arguments: [String], in directory: String, environment extra: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["FATHOM_TASKS"] = nil
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-output-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
        try handle.close()
        return (process.terminationStatus, try String(contentsOfFile: output, encoding: .utf8))
    }
}
