import FathomCore
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// Chat templates count: rendered prompts include the template's tokens and exactly one BOS, whichever way the
/// server counts it, and the length rule holds on the rendered text.
@Suite struct ChatTemplateRenderingTests {
    static let tokenizer: HFTokenizer = try! HFTokenizer(path: RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")
    static let chat: ModelChatTemplate = try! ModelChatTemplate.load(path: RepoPaths.fixtures + "/chat/tokenizer_config.json", tokenizer: tokenizer)
    static let bos = tokenizer.bosTokenID!

    let messages = [Message(.system, "Be brief. "), Message(.user, "Read this.\nThe sky is blue.\nWhat colour is the sky?")]

    @Test func rendersTheTemplateWithItsSpecialTokens() throws {
        let renderer = ChatTemplateRenderer(chat: Self.chat, mode: .chatUser, style: .transformers)
        let text = try renderer.render(messages: messages, answerPrefix: " Answer:")
        #expect(text == "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nRead this.\nThe sky is blue.\nWhat colour is the sky? Answer:<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n")
        // transformers' continue_final_message: the assistant message as the template renders it (trimmed), cut
        // after its content; llama-server: the generation prompt, then the prefix as it is.
        let prefill = try ChatTemplateRenderer(chat: Self.chat, mode: .chatPrefill, style: .transformers).render(messages: messages, answerPrefix: " Answer:")
        #expect(prefill.hasSuffix("What colour is the sky?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nAnswer:"))
        let llama = try ChatTemplateRenderer(chat: Self.chat, mode: .chatPrefill, style: .llamaServer).render(messages: messages, answerPrefix: " Answer:")
        #expect(llama.hasSuffix("What colour is the sky?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n Answer:"))
        #expect(Self.chat.bosToken == "<|begin_of_text|>" && Self.chat.eosToken == "<|eot_id|>")
        #expect(renderer.name.hasPrefix("chat-template:") && Self.chat.sha256.count == 64)
    }

    /// The three BOS rules give one BOS in what the model sees, never two.
    @Test func neverCountsADoubleBOS() throws {
        let tokenizer = Self.tokenizer
        let inText = try ChatTemplateRenderer(chat: Self.chat, mode: .chatUser, style: .transformers).render(messages: messages, answerPrefix: "")
        let ids = tokenizer.encode(inText)
        #expect(ids.first == Self.bos && ids.filter { $0 == Self.bos }.count == 1)
        #expect(tokenizer.promptTokenCount(inText, bos: .inText) == ids.count)
        #expect(tokenizer.promptTokenCount(inText, bos: .ifMissing) == ids.count)
        // llama-server adds the BOS to a template that renders none.
        #expect(tokenizer.promptTokenCount("plain text", bos: .ifMissing) == tokenizer.count("plain text") + 1)

        let completion = ChatTemplateRenderer(chat: Self.chat, mode: .completion, style: .transformers, dropLeadingBOS: true)
        let sent = try completion.render(messages: messages, answerPrefix: " Answer:")
        #expect(!sent.hasPrefix("<|begin_of_text|>") && !tokenizer.encode(sent).contains(Self.bos))
        #expect(tokenizer.promptTokenCount(sent, bos: completion.bos) == tokenizer.encode(sent).count + 1)
    }

    /// Prompts sized through the template obey the length rule, counted on the whole rendered text.
    @Test(arguments: [AnswerPrefixMode.chatUser, .chatPrefill, .completion], [4096, 32_768])
    func contextBuilderCountsTheTemplate(mode: AnswerPrefixMode, length: Int) throws {
        let rendering = PromptRendering(chat: Self.chat, templateCompletions: true, style: .transformers)
        let renderer = rendering.renderer(for: mode, tokenizer: Self.tokenizer)
        let builder = ContextBuilder(PromptSpec(
            targetLength: length, maxTokens: 128, tokenizer: Self.tokenizer, renderer: renderer, answerPrefix: " Answer:",
            frame: { [Message(.system, "Be brief."), Message(.user, "Read this.\n" + $0 + "\nWhat is the value?")] }))
        var window = CorpusWindow(corpus: Haystacks.essay, start: 11)
        let built = try builder.build(needles: [NeedleSpec(key: "k", text: "The value of k is 42.", depth: 50)], stream: &window)
        #expect(ContextBuilder.obeysLengthRule(promptTokens: built.promptTokens, maxTokens: 128, length: length))
        #expect(built.promptText == (try renderer.render(messages: built.messages, answerPrefix: " Answer:")))
        let ids = Self.tokenizer.encode(built.promptText)
        let seen = mode == .completion ? [Self.bos] + ids : ids  // the completions route adds the BOS
        #expect(built.promptTokens == seen.count)
        #expect(seen.filter { $0 == Self.bos }.count == 1 && seen.first == Self.bos)
        #expect(built.promptText.contains("<|start_header_id|>assistant<|end_header_id|>"))
    }

    @Test func plainIsTheDefaultAndCompletionsStayPlainUnlessAsked() {
        #expect(PromptRendering.plain.renderer(for: .chatUser, tokenizer: Self.tokenizer) is PlainPromptRenderer)
        let rendering = PromptRendering(chat: Self.chat)
        #expect(rendering.renderer(for: .completion, tokenizer: Self.tokenizer) is PlainPromptRenderer)
        #expect(rendering.renderer(for: .chatUser, tokenizer: Self.tokenizer) is ChatTemplateRenderer)
        #expect(rendering.report.renderer == "chat-template" && rendering.report.style == .transformers)
    }

    @Test func aTemplateThatRewritesContentsIsRefused() throws {
        let chat = try ModelChatTemplate.load(path: RepoPaths.fixtures + "/chat/rewrites-content.jinja", tokenizer: Self.tokenizer)
        let builder = ContextBuilder(PromptSpec(
            targetLength: 4096, maxTokens: 128, tokenizer: Self.tokenizer, renderer: ChatTemplateRenderer(chat: chat, mode: .chatUser, style: .transformers),
            answerPrefix: "", frame: { [Message(.user, "Read.\n" + $0 + "\nWhat?")] }))
        var window = CorpusWindow(corpus: Haystacks.essay, start: 3)
        #expect(throws: FathomError.self) { try builder.build(needles: [], stream: &window) }
        do {
            _ = try builder.build(needles: [], stream: &window)
        } catch {
            #expect(error.kind == .length && error.message.contains("changes the context text"))
        }
    }

    // MARK: loading

    @Test func loadsEveryTemplateSource() throws {
        let dir = RepoPaths.fixtures + "/chat"
        let named = try ModelChatTemplate.load(path: dir + "/named-templates.json", tokenizer: Self.tokenizer)
        #expect(named.sha256 == Self.chat.sha256 && named.bosToken == "<|begin_of_text|>")
        // A bare Jinja file takes BOS/EOS from the tokenizer_config.json beside it.
        let bare = try ModelChatTemplate.load(path: dir + "/llama3-style.jinja", tokenizer: Self.tokenizer)
        #expect(bare.sha256 == Self.chat.sha256 && bare.bosToken == "<|begin_of_text|>" && bare.eosToken == "<|eot_id|>")
        // Without one, the BOS comes from the tokenizer.
        let tmp = RepoPaths.temporaryDirectory("chat")
        try FileManager.default.copyItem(atPath: dir + "/llama3-style.jinja", toPath: tmp + "/t.jinja")
        let alone = try ModelChatTemplate.load(path: tmp + "/t.jinja", tokenizer: Self.tokenizer)
        #expect(alone.bosToken == "<|begin_of_text|>" && alone.eosToken == "")
        // The tokenizer_config.json beside a tokenizer file is found by default.
        #expect(try ModelChatTemplate.beside(tokenizerPath: dir + "/tokenizer.json")?.sha256 == Self.chat.sha256)
        #expect(try ModelChatTemplate.beside(tokenizerPath: tmp + "/tokenizer.json") == nil)
    }

    @Test func loadErrorsNameTheFileAndKey() throws {
        let dir = RepoPaths.fixtures + "/chat"
        do {
            _ = try ModelChatTemplate.load(path: dir + "/no-default.json", tokenizer: Self.tokenizer)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == dir + "/no-default.json" && error.key == "chat_template" && error.message.contains("tool_use"))
        }
        let tmp = RepoPaths.temporaryDirectory("chat-errors")
        try Data(#"{"bos_token": "<s>"}"#.utf8).write(to: URL(fileURLWithPath: tmp + "/c.json"))
        do {
            _ = try ModelChatTemplate.load(path: tmp + "/c.json", tokenizer: Self.tokenizer)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .missingKey && error.key == "chat_template")
        }
        try Data("{% for m in messages %}{{ m.content }".utf8).write(to: URL(fileURLWithPath: tmp + "/broken.jinja"))
        do {
            _ = try ModelChatTemplate.load(path: tmp + "/broken.jinja", tokenizer: Self.tokenizer)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .parse && error.file == tmp + "/broken.jinja")
        }
    }

    // MARK: GGUF

    /// A GGUF header written from the format's specification (little-endian, version 3).
    static func gguf(_ entries: [(String, UInt32, [UInt8])]) -> Data {
        var out = Data("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        u32(3)
        u64(0)
        u64(UInt64(entries.count))
        for (key, type, payload) in entries {
            u64(UInt64(key.utf8.count))
            out.append(contentsOf: key.utf8)
            u32(type)
            out.append(contentsOf: payload)
        }
        return out
    }

    static func string(_ s: String) -> [UInt8] {
        withUnsafeBytes(of: UInt64(s.utf8.count).littleEndian) { Array($0) } + Array(s.utf8)
    }

    @Test func readsTheTemplateAndSpecialTokensFromAGGUF() throws {
        let tokens = ["<unk>", "<s>", "</s>", "hello"]
        var array = withUnsafeBytes(of: UInt32(8).littleEndian) { Array($0) } + withUnsafeBytes(of: UInt64(tokens.count).littleEndian) { Array($0) }
        for t in tokens { array += Self.string(t) }
        let floats = withUnsafeBytes(of: UInt32(6).littleEndian) { Array($0) } + withUnsafeBytes(of: UInt64(3).littleEndian) { Array($0) } + [UInt8](repeating: 0, count: 12)
        let template = "{{ bos_token }}{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}{{ eos_token }}{% endfor %}"
        let data = Self.gguf([
            ("general.architecture", 8, Self.string("llama")),
            ("tokenizer.ggml.scores", 9, floats),
            ("tokenizer.ggml.tokens", 9, array),
            ("tokenizer.ggml.bos_token_id", 4, withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }),
            ("tokenizer.ggml.eos_token_id", 4, withUnsafeBytes(of: UInt32(2).littleEndian) { Array($0) }),
            ("tokenizer.ggml.add_bos_token", 7, [1]),
            ("tokenizer.chat_template", 8, Self.string(template)),
        ])
        let path = RepoPaths.temporaryDirectory("gguf") + "/m.gguf"
        try data.write(to: URL(fileURLWithPath: path))
        let metadata = try GGUFMetadata(path: path)
        #expect(metadata.string("general.architecture") == "llama" && metadata.values["tokenizer.ggml.scores"] == .skippedArray)
        #expect(metadata.values["tokenizer.ggml.add_bos_token"] == .bool(true))
        let chat = try ModelChatTemplate.load(path: path, tokenizer: Self.tokenizer)
        #expect(chat.bosToken == "<s>" && chat.eosToken == "</s>" && chat.sha256 == SHA256.hex(template))
        let text = try ChatTemplateRenderer(chat: chat, mode: .chatUser, style: .transformers).render(messages: [Message(.user, "hi")], answerPrefix: "")
        #expect(text == "<s>[user] hi</s>")

        // A truncated file names the file and the byte offset.
        let cut = path + ".cut"
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: cut))
        #expect(throws: FathomError.self) { try GGUFMetadata(path: cut) }
        do { _ = try GGUFMetadata(path: cut) } catch { #expect(error.file == cut && error.message.contains("byte")) }
        // A GGUF without a template is a clear error naming the key.
        let none = path.replacingOccurrences(of: "m.gguf", with: "none.gguf")
        try Self.gguf([("general.architecture", 8, Self.string("llama"))]).write(to: URL(fileURLWithPath: none))
        do {
            _ = try ModelChatTemplate.load(path: none, tokenizer: Self.tokenizer)
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "tokenizer.chat_template")
        }
    }
}
