import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// Issue 16, item 1: against a server, "4K" means the model's 4K. Without `--tokenizer`, a server with a tokenize
/// route counts lengths itself; `approx` is used only for built-in systems or servers without one, and run.json says
/// which and why.
@Suite(.serialized) struct TokenizerDefaultTests {
    func session(endpoint: String?, model: String, tokenizer: String? = nil, out: String) throws -> RunSession {
        RunSession(
            names: ["ruler.niah_single_1"], registry: try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all),
            sampling: SamplingConfiguration(lengths: [2048], samples: 1, tokenizer: tokenizer), prompts: PromptConfiguration(template: .none),
            backend: BackendConfiguration(model: model, endpoints: endpoint.map { [$0] } ?? []),
            options: RunOptions(outRoot: out, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
    }

    @Test func aServerWithATokenizeRouteCountsByDefault() async throws {
        var identity = TestOpenAIServer.Identity()
        identity.contextPerSlot = 8192  // llama.cpp-like: /props and /tokenize answer
        let server = TestOpenAIServer(identity: identity) { _, _ in .complete(content: " 1.") }
        let url = try server.start()
        defer { server.stop() }
        let out = RepoPaths.temporaryDirectory("tok-default")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (manifest, _) = try await session(endpoint: url, model: "test-model", out: out).run()
        #expect(manifest.tokenizer.name == "endpoint:llama.cpp" && manifest.tokenizer.exact)
        #expect(manifest.tokenizer.choice.contains("default"))
        // Asked for approx, it is approx, and run.json says it was asked.
        let (approx, _) = try await session(endpoint: url, model: "test-model", tokenizer: "approx", out: out).run()
        #expect(approx.tokenizer.name == "approx" && !approx.tokenizer.exact && approx.tokenizer.choice.contains("--tokenizer"))
    }

    @Test func aServerWithoutOneFallsBackToApproxAndSaysSo() async throws {
        let server = TestOpenAIServer(identity: TestOpenAIServer.Identity()) { _, _ in .complete(content: " 1.") }  // no /props, no /tokenize
        let url = try server.start()
        defer { server.stop() }
        let out = RepoPaths.temporaryDirectory("tok-none")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (manifest, _) = try await session(endpoint: url, model: "test-model", out: out).run()
        #expect(manifest.tokenizer.name == "approx" && !manifest.tokenizer.exact && manifest.tokenizer.choice.contains("no tokenize route"))
        await #expect(throws: FathomError.self) { try await session(endpoint: url, model: "test-model", tokenizer: "endpoint", out: out).run() }
    }

    @Test func builtInSystemsUseApprox() async throws {
        let out = RepoPaths.temporaryDirectory("tok-builtin")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (manifest, _) = try await session(endpoint: nil, model: "oracle", out: out).run()
        #expect(manifest.tokenizer.name == "approx" && manifest.tokenizer.choice.contains("built-in"))
    }
}
