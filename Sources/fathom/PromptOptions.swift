import ArgumentParser
import FathomCore
import FathomRun
import FathomText

/// How prompts are rendered and counted: the answer-prefix mode and the model's chat template.
struct PromptOptions: ParsableArguments {
    @Option(help: "How the answer prefix is sent, for every task: chat-user, chat-prefill or completion (default: each task's manifest).")
    var prefixMode: String?

    @Option(help: """
        Chat template that chat-route prompts are counted with: a .gguf model, a tokenizer_config.json, a Jinja file, \
        server (the endpoint's /props, llama.cpp) or none. Default: the .gguf of --engine-model, else the \
        tokenizer_config.json beside a --tokenizer file when it holds a template, else none (plain text).
        """)
    var chatTemplate: String?

    @Flag(help: "Render completions-route prompts with the chat template too (its leading BOS text is left to the server).")
    var chatTemplateCompletions = false

    @Option(help: "How the server applies the template on chat routes (BOS, prefill): transformers (vLLM, SGLang, llama-cpp-python) or llama-server. Default: from the server kind.")
    var chatServer: String?

    func validate() throws {
        if let prefixMode, AnswerPrefixMode(rawValue: prefixMode) == nil {
            throw ValidationError("--prefix-mode must be one of \(AnswerPrefixMode.allCases.map { $0.rawValue }.joined(separator: ", "))")
        }
        if let chatServer, ChatServerStyle(rawValue: chatServer) == nil {
            throw ValidationError("--chat-server must be one of \(ChatServerStyle.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var prefixModeOverride: AnswerPrefixMode? { prefixMode.flatMap(AnswerPrefixMode.init(rawValue:)) }

    /// Where the template comes from, before anything is loaded.
    enum TemplateSource: Equatable {
        case none, server, file(String)
        /// Not given: the .gguf of --engine-model, else a tokenizer_config.json beside the tokenizer file, if either
        /// holds a template.
        case auto
    }

    var templateSource: TemplateSource {
        switch chatTemplate {
        case nil: return .auto
        case "none": return .none
        case "server": return .server
        case let path?: return .file(path)
        }
    }

    /// Builds the rendering: `serverKind` picks the server style when --chat-server is not given; `serverTemplate` is the
    /// endpoint's template for `--chat-template server`.
    func rendering(
        tokenizer: any Tokenizer, tokenizerPath: String?, engineModel: String?, serverKind: String?,
        serverTemplate: (source: String, bos: String?, eos: String?, url: String)?
    ) throws -> PromptRendering {
        let chat: ModelChatTemplate?
        switch templateSource {
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
                throw ValidationError("--chat-template server needs fathom run --endpoint URL of a server whose /props has a chat template (llama.cpp)")
            }
            chat = try ModelChatTemplate(
                source: serverTemplate.source, bosToken: serverTemplate.bos ?? tokenizer.bosToken ?? "",
                eosToken: serverTemplate.eos ?? "", origin: "server:\(serverTemplate.url)")
        case .file(let path):
            chat = try ModelChatTemplate.load(path: path, tokenizer: tokenizer)
        }
        if chat == nil && chatTemplateCompletions {
            throw ValidationError("--chat-template-completions needs a chat template (--chat-template)")
        }
        let style = chatServer.flatMap(ChatServerStyle.init(rawValue:)) ?? (serverKind == "llama.cpp" ? .llamaServer : .transformers)
        return PromptRendering(chat: chat, templateCompletions: chatTemplateCompletions, style: style)
    }
}
