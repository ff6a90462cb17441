import FathomCore

/// How prompts are rendered and counted, as the user asked: the answer-prefix mode for every task, where the chat
/// template comes from, whether completions get it too, and how the server applies it. `rendering` applies the
/// discovery policy and loads the template.
public struct PromptConfiguration: Sendable {
    /// Where the template comes from, before anything is loaded.
    public enum TemplateSource: Equatable, Sendable {
        case none, server, file(String)
        /// Not given: the .gguf of the engine model, else a tokenizer_config.json beside the tokenizer file, if
        /// either holds a template; else plain text.
        case auto

        /// `nil` → auto, `none`, `server`, or a path.
        public init(_ text: String?) {
            switch text {
            case nil: self = .auto
            case "none": self = .none
            case "server": self = .server
            case let path?: self = .file(path)
            }
        }
    }

    public var prefixMode: AnswerPrefixMode?
    public var template: TemplateSource
    public var templateCompletions: Bool
    /// How the server applies the template; nil: from the server kind.
    public var chatServer: ChatServerStyle?

    public init(prefixMode: AnswerPrefixMode? = nil, template: TemplateSource = .auto, templateCompletions: Bool = false, chatServer: ChatServerStyle? = nil) {
        self.prefixMode = prefixMode
        self.template = template
        self.templateCompletions = templateCompletions
        self.chatServer = chatServer
    }

    /// A template served by an endpoint (llama.cpp's `/props`).
    public struct ServerTemplate: Sendable {
        public var source: String
        public var bos: String?
        public var eos: String?
        public var url: String
        public init(source: String, bos: String?, eos: String?, url: String) {
            self.source = source
            self.bos = bos
            self.eos = eos
            self.url = url
        }
    }

    /// Whether rendering needs the endpoint's probe: the template is the server's, or the server style is unknown.
    public var needsProbe: Bool { template == .server || (template != .none && chatServer == nil) }

    /// Loads the template by the discovery policy and builds the rendering. `serverKind` picks the server style
    /// when `chatServer` is not given (`llama.cpp` → llama-server, anything else → transformers).
    public func rendering(
        tokenizer: any Tokenizer, tokenizerPath: String?, engineModel: String?, serverKind: String?, serverTemplate: ServerTemplate?
    ) throws(FathomError) -> PromptRendering {
        let chat: ModelChatTemplate?
        switch template {
        case .none:
            chat = nil
        case .auto:
            if let engineModel, engineModel.hasSuffix(".gguf"), try GGUFMetadata(path: engineModel).string("tokenizer.chat_template") != nil {
                chat = try ModelChatTemplate.load(path: engineModel, tokenizer: tokenizer)
            } else if let tokenizerPath, tokenizerPath != "approx", tokenizerPath != "endpoint" {
                chat = try ModelChatTemplate.beside(tokenizerPath: tokenizerPath)
            } else {
                chat = nil
            }
        case .server:
            guard let serverTemplate else {
                throw FathomError(.usage, "--chat-template server needs fathom run --endpoint URL of a server whose /props has a chat template (llama.cpp)")
            }
            chat = try ModelChatTemplate(
                source: serverTemplate.source, bosToken: serverTemplate.bos ?? tokenizer.bosToken ?? "", eosToken: serverTemplate.eos ?? "",
                origin: "server:\(serverTemplate.url)")
        case .file(let path):
            chat = try ModelChatTemplate.load(path: path, tokenizer: tokenizer)
        }
        if chat == nil && templateCompletions {
            throw FathomError(.usage, "--chat-template-completions needs a chat template (--chat-template)")
        }
        let style = chatServer ?? (serverKind == "llama.cpp" ? .llamaServer : .transformers)
        return PromptRendering(chat: chat, templateCompletions: templateCompletions, style: style)
    }
}
