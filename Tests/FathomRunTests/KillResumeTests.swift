import FathomRun
import FathomTestSupport
import Foundation
import Testing

/// Kills `fathom run` with SIGKILL at random moments and re-runs it: in the end every planned sample is in the
/// journal exactly once and the run is complete with the oracle's perfect score.
@Suite(.serialized) struct KillResumeTests {
    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepoPaths.fathomExecutable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: RepoPaths.root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a process to exit without blocking a cooperative thread.
    func exit(of process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func sigkillAtAnyMomentLosesAndDuplicatesNothing() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: RepoPaths.fathomExecutable), "build the fathom executable first")
        let out = RepoPaths.temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let arguments = ["run", "quick", "--model", "oracle", "--samples", "25", "--out", out, "--concurrency", "4", "--quiet"]
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<8 {
            let process = try launch(arguments)
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...400, using: &generator)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            await exit(of: process)
        }
        let final = try launch(arguments)
        await exit(of: final)
        final.waitUntilExit()  // already exited: reaps it and sets the status
        #expect(final.terminationStatus == 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: out + "/quick/oracle")
        #expect(runs.count == 1)
        let directory = out + "/quick/oracle/" + runs[0]
        let records = try Journal.recover(directory + "/samples.jsonl")
        let planned = 6 * 2 * 25
        #expect(records.count == planned, "\(records.count) records for \(planned) samples after \(kills) kills")
        #expect(Set(records.map { $0.id }).count == planned)
        let manifest = try JSONDecoder().decode(RunManifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/run.json")))
        #expect(manifest.status == "complete" && manifest.summary.mean == 1)
        #expect(kills > 0)
    }
}
