import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// `fathom run --chat-template server` against a llama.cpp-like server: the template comes from `/props`, the BOS
/// is counted the llama-server way, and Fathom's count equals the server's own count of the messages it received.
@Suite struct ChatTemplateRunTests {
    static let template = """
        {{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>

        {{ m['content'] }}<|eot_id|>{% endfor %}{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>

        {% endif %}
        """

    @Test func countsTheServersTemplateExactly() async throws {
        let tokenizerPath = RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json"
        let tokenizer = try HFTokenizer(path: tokenizerPath)
        // The server side: render what it received with the same template, strip the template's BOS text and add
        // the BOS token, as llama-server does, and report that as usage.prompt_tokens.
        let serverChat = try ModelChatTemplate(source: Self.template, bosToken: "<|begin_of_text|>", eosToken: "<|eot_id|>", origin: "server-side")
        var identity = TestOpenAIServer.Identity()
        identity.contextPerSlot = 16_384
        identity.chatTemplate = Self.template
        identity.bosToken = "<|begin_of_text|>"
        identity.eosToken = "<|eot_id|>"
        let server = TestOpenAIServer(identity: identity) { request, _ in
            let wire = (request.json?["messages"] as? [[String: String]]) ?? []
            let turns = wire.map { (role: $0["role"] ?? "", content: $0["content"] ?? "") }
            guard var text = try? serverChat.template.renderChat(
                messages: turns, addGenerationPrompt: true, bosToken: serverChat.bosToken, eosToken: serverChat.eosToken,
                now: ChatTemplateRenderer.fixedDate)
            else { return .status(500, body: "render failed") }
            if text.hasPrefix("<|begin_of_text|>") { text.removeFirst("<|begin_of_text|>".count) }
            return .complete(content: " 42.", promptTokens: tokenizer.encode(text).count + 1)
        }
        let url = try server.start()
        defer { server.stop() }
        let out = RepoPaths.temporaryDirectory("chat-run")
        defer { try? FileManager.default.removeItem(atPath: out) }

        // `fathom run ruler.niah_single_1 ruler.vt --model test-model --endpoint URL --lengths 4k --samples 2
        //   --tokenizer llama3.tokenizer.json --chat-template server`, through the library call the CLI makes.
        let session = RunSession(
            names: ["ruler.niah_single_1", "ruler.vt"], registry: try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all),
            sampling: SamplingConfiguration(lengths: [4096], samples: 2, tokenizer: tokenizerPath), prompts: PromptConfiguration(template: .server),
            backend: BackendConfiguration(model: "test-model", endpoints: [url]),
            options: RunOptions(outRoot: out, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        let (result, _) = try await session.run()
        #expect(result.status == "complete")

        let runJSON = try #require(FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String }.first { $0.hasSuffix("run.json") })
        let folder = out + "/" + (runJSON as NSString).deletingLastPathComponent
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + runJSON))) as? [String: Any])
        let chat = try #require((manifest["tokenizer"] as? [String: Any])?["chat_template"] as? [String: Any])
        #expect(chat["source"] as? String == "server:\(url)" && chat["style"] as? String == "llama-server")
        #expect(chat["sha256"] as? String == SHA256.hex(Self.template))

        let lines = try String(contentsOfFile: folder + "/samples.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let usage = try #require(record["usage"] as? [String: Any])
            let counted = try #require(record["prompt_tokens"] as? Int)
            #expect(counted == usage["prompt_tokens"] as? Int, "\(record["id"] ?? "?")")
            #expect(record["prompt_tokens_mismatch"] as? Bool == false)
            let maxTokens = record["task"] as? String == "ruler.vt" ? 30 : 128
            #expect(ContextBuilder.obeysLengthRule(promptTokens: counted, maxTokens: maxTokens, length: 4096), "\(counted) + \(maxTokens)")
        }
    }
}
