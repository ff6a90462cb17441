/// Turns messages plus an answer prefix into the text whose tokens are counted for the length rule.
///
/// The `plain` renderer is used when the model's chat template is unknown: system, then user, separated by a blank
/// line, then the answer prefix. Exact chat-template renderers (from a template file or the server) conform too.
public protocol PromptRenderer: Sendable {
    var name: String { get }
    func render(messages: [Message], answerPrefix: String) -> String
}

/// System and user contents joined by a blank line, followed by the answer prefix.
public struct PlainPromptRenderer: PromptRenderer {
    public init() {}
    public var name: String { "plain" }
    public func render(messages: [Message], answerPrefix: String) -> String {
        messages.map { $0.content }.joined(separator: "\n\n") + answerPrefix
    }
}
