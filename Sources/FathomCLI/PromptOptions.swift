import ArgumentParser
import FathomCore
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

    var configuration: PromptConfiguration {
        PromptConfiguration(
            prefixMode: prefixMode.flatMap(AnswerPrefixMode.init(rawValue:)), template: .init(chatTemplate),
            templateCompletions: chatTemplateCompletions, chatServer: chatServer.flatMap(ChatServerStyle.init(rawValue:)))
    }
}
