import FathomCore
import FathomTemplate
import Foundation

/// How a server turns chat messages into tokens with a template; the two families differ in the BOS and prefill.
public enum ChatServerStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// HF `transformers`' `apply_chat_template`, as vLLM, SGLang and llama-cpp-python use it: the rendered text is
    /// tokenized as it is (a template that writes `bos_token` gives the only BOS); a prefilled assistant turn is
    /// rendered as a message and cut after its content (`continue_final_message`).
    case transformers
    /// llama.cpp's llama-server: a leading BOS text is stripped and the tokenizer adds the BOS; a prefilled assistant
    /// turn is the generation prompt followed by the prefix.
    case llamaServer = "llama-server"
}

/// Renders a prompt with the model's chat template, as the server will see it for one answer-prefix mode, so the
/// length rule counts the template's tokens.
///
/// - `chat-user`: the prefix ends the last user message; the template adds the generation prompt.
/// - `chat-prefill`: the prefix is a final assistant message the model continues, rendered as `style` says.
/// - `completion`: the generation prompt followed by the prefix, sent as a raw prompt; a leading BOS text is
///   dropped when the tokenizer adds a BOS itself, so the server does not see two.
///
/// `strftime_now` renders a fixed date (`now`, by default 1 January 2026 UTC) so samples stay reproducible.
public struct ChatTemplateRenderer: PromptRenderer {
    public var chat: ModelChatTemplate
    public var mode: AnswerPrefixMode
    public var style: ChatServerStyle
    public var now: Date
    /// For `completion`: drop the template's leading BOS text (the tokenizer adds a BOS).
    public var dropLeadingBOS: Bool

    public static let fixedDate = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    public init(chat: ModelChatTemplate, mode: AnswerPrefixMode, style: ChatServerStyle, dropLeadingBOS: Bool = false, now: Date = fixedDate) {
        self.chat = chat
        self.mode = mode
        self.style = style
        self.dropLeadingBOS = dropLeadingBOS
        self.now = now
    }

    public var name: String { "chat-template:" + chat.sha256.prefix(12) }

    public var bos: PromptBOS {
        if mode == .completion { return .tokenizer }
        return style == .llamaServer ? .ifMissing : .inText
    }

    public func render(messages: [Message], answerPrefix: String) throws(FathomError) -> String {
        var turns = messages.map { (role: $0.role.rawValue, content: $0.content) }
        switch mode {
        case .chatUser:
            if !answerPrefix.isEmpty, let last = turns.lastIndex(where: { $0.role == "user" }) { turns[last].content += answerPrefix }
            return try apply(turns, generationPrompt: true)
        case .chatPrefill:
            guard style == .transformers, !answerPrefix.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return try apply(turns, generationPrompt: true) + answerPrefix
            }
            return try continueFinalMessage(turns, answerPrefix)
        case .completion:
            var text = try apply(turns, generationPrompt: true) + answerPrefix
            if dropLeadingBOS, !chat.bosToken.isEmpty, text.hasPrefix(chat.bosToken) { text.removeFirst(chat.bosToken.count) }
            return text
        }
    }

    /// `transformers`' `continue_final_message`: render the prefix as the last assistant message, without a
    /// generation prompt, and cut right after the message content (its trailing whitespace kept only when the
    /// template kept it).
    private func continueFinalMessage(_ turns: [(role: String, content: String)], _ prefix: String) throws(FathomError) -> String {
        let rendered = try apply(turns + [(role: "assistant", content: prefix)], generationPrompt: false)
        let stripped = prefix.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let found = rendered.range(of: stripped, options: .backwards) else {
            throw FathomError(.invalidValue, "the chat template does not render the prefilled assistant message (chat-prefill needs a template that writes assistant contents)", file: chat.origin)
        }
        let leftTrimmed = String(prefix.drop { $0.isWhitespace })
        if rendered[found.lowerBound...].hasPrefix(leftTrimmed) {
            return String(rendered[..<rendered.index(found.lowerBound, offsetBy: leftTrimmed.count)])
        }
        return String(rendered[..<found.upperBound])
    }

    private func apply(_ turns: [(role: String, content: String)], generationPrompt: Bool) throws(FathomError) -> String {
        try chat.template.renderChat(
            messages: turns, addGenerationPrompt: generationPrompt, bosToken: chat.bosToken, eosToken: chat.eosToken, now: now)
    }
}

/// Which renderer a sample gets: plain text, or the model's chat template for the sample's answer-prefix mode.
public struct PromptRendering: Sendable {
    /// The template, when the run uses one.
    public var chat: ModelChatTemplate?
    /// Whether the template also applies to `completion` (only when the user asked for it explicitly).
    public var templateCompletions: Bool
    /// How the server applies the template on chat routes.
    public var style: ChatServerStyle

    public static let plain = PromptRendering(chat: nil)

    public init(chat: ModelChatTemplate?, templateCompletions: Bool = false, style: ChatServerStyle = .transformers) {
        self.chat = chat
        self.templateCompletions = templateCompletions
        self.style = style
    }

    /// Whether samples sent with `mode` are rendered with the template.
    public func appliesTemplate(to mode: AnswerPrefixMode) -> Bool {
        chat != nil && (mode != .completion || templateCompletions)
    }

    /// The renderer for a sample sent with `mode`, counted with `tokenizer`.
    public func renderer(for mode: AnswerPrefixMode, tokenizer: any Tokenizer) -> any PromptRenderer {
        guard let chat, appliesTemplate(to: mode) else { return PlainPromptRenderer() }
        return ChatTemplateRenderer(chat: chat, mode: mode, style: style, dropLeadingBOS: mode == .completion && tokenizer.bosTokenID != nil)
    }

    /// What run.json records about prompt rendering.
    public var report: Report {
        Report(
            renderer: chat == nil ? "plain" : "chat-template", source: chat?.origin, sha256: chat?.sha256,
            style: chat == nil ? nil : style, completions: chat == nil ? nil : (templateCompletions ? "chat-template" : "plain"))
    }

    /// The prompt-rendering facts of a run.
    public struct Report: Codable, Sendable, Hashable {
        public var renderer: String
        public var source: String?
        public var sha256: String?
        /// How chat routes apply the template: `transformers` or `llama-server`.
        public var style: ChatServerStyle?
        public var completions: String?
    }
}
