/// Turns messages plus an answer prefix into the text whose tokens are counted for the length rule.
///
/// The `plain` renderer is used when the model's chat template is unknown: system, then user, separated by a blank
/// line, then the answer prefix. Chat-template renderers (FathomText's `ChatTemplateRenderer`) conform too.
public protocol PromptRenderer: Sendable {
    /// A short name recorded with results, e.g. `plain` or `chat-template:1a2b3c4d`.
    var name: String { get }
    /// How the length rule counts the model's BOS in front of the rendered text.
    var bos: PromptBOS { get }
    func render(messages: [Message], answerPrefix: String) throws(FathomError) -> String
}

/// Whether the model's BOS token is counted on top of a rendered prompt's own tokens.
public enum PromptBOS: String, Sendable, Hashable, Codable {
    /// The tokenizer's post-processor BOS goes in front (plain text sent to a completions route: the server adds it).
    case tokenizer
    /// The rendered text carries every special token itself and nothing is added (a chat template rendered by
    /// HF transformers, vLLM, SGLang or llama-cpp-python, which tokenize it without adding special tokens).
    case inText = "in-text"
    /// The BOS is added unless the rendered text already starts with it (llama.cpp's llama-server: it strips a
    /// template's leading BOS text and lets the tokenizer add one), so there is never a double BOS.
    case ifMissing = "if-missing"
}

extension PromptRenderer {
    public var bos: PromptBOS { .tokenizer }
}

/// System and user contents joined by a blank line, followed by the answer prefix.
public struct PlainPromptRenderer: PromptRenderer {
    public init() {}
    public var name: String { "plain" }
    public func render(messages: [Message], answerPrefix: String) -> String {
        messages.map { $0.content }.joined(separator: "\n\n") + answerPrefix
    }
}
