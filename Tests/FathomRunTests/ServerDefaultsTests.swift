import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// Issue 16, items 3 and 4: against a one-slot server Fathom sends one request at a time by default (the wait is
/// recorded as queue time, apart from the server's time), and records prefill and decode speed per length.
@Suite(.serialized) struct ServerDefaultsTests {
    static let body = #"{"id":"x","object":"chat.completion","created":0,"model":"test-model","choices":[{"index":0,"message":{"role":"assistant","content":" 1."},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":5,"total_tokens":1005},"timings":{"prompt_n":1000,"prompt_ms":500,"predicted_n":5,"predicted_ms":100}}"#

    @Test func concurrencyFollowsTheServersSlotsAndTimingsAreKept() async throws {
        var identity = TestOpenAIServer.Identity()
        identity.contextPerSlot = 8192
        identity.slots = 1
        let server = TestOpenAIServer(identity: identity) { _, _ in .stall(seconds: 0.15, then: .init(.status(200, body: Self.body))) }
        let url = try server.start()
        defer { server.stop() }
        let out = RepoPaths.temporaryDirectory("slots")
        defer { try? FileManager.default.removeItem(atPath: out) }
        var options = OpenAICompatibleBackend.Options()
        options.concurrency = .slots(fallback: 8)  // the CLI's default
        let session = RunSession(
            names: ["ruler.niah_single_1"], registry: try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all),
            sampling: SamplingConfiguration(lengths: [2048], samples: 4, tokenizer: "approx"), prompts: PromptConfiguration(template: .none),
            backend: BackendConfiguration(model: "test-model", endpoints: [url], options: options),
            options: RunOptions(outRoot: out, concurrency: 64, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        let (manifest, directory) = try await session.run()
        #expect(manifest.backend?.concurrency == "server slots (1, from the probe)")
        let records = try Journal.recover(directory + "/samples.jsonl")
        #expect(records.count == 4)
        // One slot: each request waits for the ones before it, in Fathom, not in the server.
        let queued = records.compactMap(\.queueMs).sorted()
        #expect(queued.count == 4 && queued[0] < 100 && queued[3] > 250, "\(queued)")
        #expect(records.allSatisfy { $0.timings?.promptMs == 500 && $0.timings?.predictedTokens == 5 })
        let efficiency = try #require(manifest.efficiency.first)
        #expect(efficiency.length == 2048 && efficiency.n == 4)
        #expect(efficiency.prefillTokensPerSecond == 2000 && efficiency.decodeTokensPerSecond == 50)
        #expect((efficiency.queueMs ?? 0) > 0 && efficiency.latencyMs >= 150)
    }

    @Test func builtInSystemsHaveNoEfficiency() async throws {
        let out = RepoPaths.temporaryDirectory("no-efficiency")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let session = RunSession(
            names: ["ruler.niah_single_1"], registry: try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all),
            sampling: SamplingConfiguration(lengths: [2048], samples: 2), prompts: PromptConfiguration(template: .none),
            backend: BackendConfiguration(model: "oracle"),
            options: RunOptions(outRoot: out, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        let (manifest, _) = try await session.run()
        #expect(manifest.efficiency.isEmpty)
    }
}
