import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// One writer per journal: a second writer stops at once naming the holder; the lock dies with its process; readers
/// never cut a journal that another process is writing.
@Suite(.serialized) struct JournalLockTests {
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func record(_ id: String) -> SampleRecord {
        let sample = Sample(
            id: id, task: "t", index: 0, length: 4096, messages: [], answerPrefix: "", promptText: "p", reference: Reference(answers: ["a"]),
            generation: GenerationSettings(maxTokens: 8), metadata: SampleMetadata(targetLength: 4096, promptTokens: 1, contextTokens: 0, tokenizer: "x"))
        return SampleRecord(sample: sample, result: GenerationResult(text: "a", latencyMs: 1), outcome: .scored(Score(value: 1, metrics: [:])))
    }

    @Test func aSecondWriterIsRefusedWithTheHolderNamed() async throws {
        let dir = RepoPaths.temporaryDirectory("lock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/samples.jsonl"
        let (first, _) = try Journal.open(path)
        try await first.append(record("a"))
        do {
            _ = try Journal.open(path)
            Issue.record("a second writer was let in")
        } catch {
            #expect(error.kind == .journal && error.file == path)
            #expect(error.message.contains("pid \(getpid())") && error.message.contains(Self.hostName()), "\(error)")
            #expect(error.message.contains("since "), "\(error)")
        }
        #expect(try Journal.read(path).map(\.id) == ["a"])  // the refused writer touched nothing
        first.close()
        let (next, existing) = try Journal.open(path)  // released: the next writer proceeds and resumes
        #expect(existing.map(\.id) == ["a"])
        next.close()
    }

    /// Shard 1 reads shard 0's journal for run.json while shard 0 is in the middle of a write: the partial line stays.
    @Test func readersNeverTruncateAJournalBeingWritten() async throws {
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        let out = RepoPaths.temporaryDirectory("readers")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let plan = try RunPlan.resolve(names: ["quick"], registry: registry, lengths: [2048], samples: 2, seed: 3)
        let tasks = registry.tasks
        let oracle = OracleSystem { tasks[$0.task]!.oracleAnswer(sample: $0) }
        func runner(_ shard: Shard) -> Runner {
            Runner(
                factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: oracle,
                options: RunOptions(outRoot: out, concurrency: 2, shard: shard, showProgress: false,
                                    framework: RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")))
        }
        let zero = runner(Shard(index: 0, count: 2))
        try FileManager.default.createDirectory(atPath: zero.directory, withIntermediateDirectories: true)
        let path = zero.directory + "/samples.0-of-2.jsonl"
        let (writer, _) = try Journal.open(path)
        try await writer.append(record("shard-0-done"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"id":"shard-0-half-writ"#.utf8))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let manifest = try await runner(Shard(index: 1, count: 2)).run()
        #expect(manifest.results.map(\.nOk).reduce(0, +) == plan.items(shard: Shard(index: 1, count: 2)).count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "a reader cut another writer's journal")
        writer.close()
    }

    /// The readers (the runner's resume and run.json) count a sample id once however many lines it has: two writers
    /// before this lock left every sample twice.
    @Test func duplicateLinesCountOnce() async throws {
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        let out = RepoPaths.temporaryDirectory("duplicates")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let plan = try RunPlan.resolve(names: ["quick"], registry: registry, lengths: [2048], samples: 2, seed: 3)
        let tasks = registry.tasks
        let oracle = OracleSystem { tasks[$0.task]!.oracleAnswer(sample: $0) }
        func runner(_ backend: any ModelBackend) -> Runner {
            Runner(factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
                   options: RunOptions(outRoot: out, concurrency: 2, showProgress: false,
                                       framework: RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")))
        }
        let first = runner(oracle)
        _ = try await first.run()
        let path = first.directory + "/samples.jsonl"
        let lines = try Data(contentsOf: URL(fileURLWithPath: path))
        try (lines + lines).write(to: URL(fileURLWithPath: path))
        try lines.write(to: URL(fileURLWithPath: first.directory + "/samples.0-of-2.jsonl"))
        let counting = CountingBackend(inner: oracle)
        let manifest = try await runner(counting).run()
        #expect(counting.calls == 0)
        #expect(manifest.status == "complete" && manifest.results.allSatisfy { $0.n == 2 && $0.nOk == 2 && $0.nMissing == 0 })
    }

    func launch(_ arguments: [String], stderr: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepoPaths.fathomExecutable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: RepoPaths.root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a process to exit (at most `seconds`) without blocking a cooperative thread.
    func exit(of process: Process, within seconds: Double = 120) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else { return false }
        process.waitUntilExit()
        return true
    }

    /// Two real `fathom run` processes on one run folder: the second stops at once, naming the first; the first goes on;
    /// once the first is killed (SIGKILL: no clean-up runs), its lock does not block the next run.
    @Test func twoProcessesOneWriterAndAKilledHolderDoesNotBlock() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: RepoPaths.fathomExecutable), "build the fathom executable first")
        let answering = ReleaseFlag()
        let server = TestOpenAIServer { _, _ in
            answering.isSet ? .complete(content: "x") : .stall(seconds: 120, then: .init(.complete(content: "x")))
        }
        let url = try server.start()
        defer { server.stop() }
        let out = RepoPaths.temporaryDirectory("writers")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let arguments = [
            "run", "quick", "--lengths", "2k", "--samples", "1", "--model", "test-model", "--endpoint", url, "--tokenizer", "approx",
            "--concurrency", "1", "--out", out, "--quiet",
        ]
        let holder = try launch(arguments)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        // The holder is past its journal's lock once its first request reaches the server (where it stalls).
        let deadline = ContinuousClock.now + .seconds(120)
        while server.requests.isEmpty && holder.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!server.requests.isEmpty, "the first process sent nothing")
        let runs = try FileManager.default.contentsOfDirectory(atPath: out + "/quick/test-model")
        try #require(runs.count == 1)
        let journal = out + "/quick/test-model/" + runs[0] + "/samples.jsonl"
        let holderRecord = (try? String(contentsOfFile: journal + ".lock", encoding: .utf8)) ?? ""
        #expect(holderRecord.contains("\"pid\":\(holder.processIdentifier)"), "the lock file does not name its holder: \(holderRecord)")
        let requestsBefore = server.requests.count

        let pipe = Pipe()
        let second = try launch(arguments, stderr: pipe)
        let exited = await exit(of: second, within: 60)
        if !exited {
            kill(second.processIdentifier, SIGKILL)
            second.waitUntilExit()
        }
        #expect(exited, "the second writer did not stop")
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(second.terminationStatus != 0)
        #expect(message.contains("pid \(holder.processIdentifier)") && message.contains(Self.hostName()) && message.contains(journal), "\(message)")
        #expect(server.requests.count == requestsBefore, "the refused writer sent requests")
        #expect(holder.isRunning, "the holder was disturbed")

        kill(holder.processIdentifier, SIGKILL)
        _ = await exit(of: holder)
        answering.set()
        let next = try launch(arguments)
        let finished = await exit(of: next, within: 300)
        if !finished {
            kill(next.processIdentifier, SIGKILL)
            next.waitUntilExit()
        }
        #expect(finished && next.terminationStatus == 0, "a killed holder's lock blocked the next run")
        let records = try Journal.read(journal)
        #expect(records.count == 6 && Set(records.map(\.id)).count == 6, "\(records.count) records")
    }
}

/// A thread-safe one-way flag for responders.
final class ReleaseFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
