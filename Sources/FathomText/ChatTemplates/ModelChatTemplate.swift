import FathomCore
import FathomTemplate
import Foundation

/// A model's chat template, parsed, with the special-token strings it is rendered with and where it came from.
public struct ModelChatTemplate: Sendable {
    public var template: ChatTemplate
    public var bosToken: String
    public var eosToken: String
    /// Where it came from: a file path, or `server:URL`.
    public var origin: String
    /// SHA-256 of the template text, recorded with results.
    public var sha256: String

    public init(source: String, bosToken: String, eosToken: String, origin: String) throws(FathomError) {
        template = try ChatTemplate(source: source, name: origin)
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.origin = origin
        sha256 = SHA256.hex(source)
    }

    /// Loads a template from a file:
    /// - a `.gguf` model: `tokenizer.chat_template`, BOS/EOS from its token list;
    /// - a `.json` file (`tokenizer_config.json`): `chat_template` (a string, or a list of named templates of which
    ///   `default` is used), `bos_token` and `eos_token` (strings or `{"content": …}` objects);
    /// - anything else is Jinja text, with BOS/EOS from a `tokenizer_config.json` beside it, else the tokenizer's BOS
    ///   and an empty EOS.
    public static func load(path: String, tokenizer: any Tokenizer) throws(FathomError) -> ModelChatTemplate {
        if path.hasSuffix(".gguf") { return try fromGGUF(path: path) }
        if path.hasSuffix(".json") {
            guard let found = try fromTokenizerConfig(path: path) else {
                throw FathomError(.missingKey, "the file has no chat template", file: path, key: "chat_template")
            }
            return found
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FathomError(.io, "cannot read the chat template file", file: path)
        }
        let source = String(decoding: data, as: UTF8.self)
        let config = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("tokenizer_config.json").path
        let tokens: (bos: String?, eos: String?) = FileManager.default.fileExists(atPath: config) ? try specialTokens(configPath: config) : (nil, nil)
        return try ModelChatTemplate(source: source, bosToken: tokens.bos ?? tokenizer.bosToken ?? "", eosToken: tokens.eos ?? "", origin: path)
    }

    /// The template in the `tokenizer_config.json` beside a tokenizer file, when there is one holding a template.
    public static func beside(tokenizerPath: String) throws(FathomError) -> ModelChatTemplate? {
        let config = URL(fileURLWithPath: tokenizerPath).deletingLastPathComponent().appendingPathComponent("tokenizer_config.json").path
        guard FileManager.default.fileExists(atPath: config) else { return nil }
        return try fromTokenizerConfig(path: config)
    }

    static func fromGGUF(path: String) throws(FathomError) -> ModelChatTemplate {
        let metadata = try GGUFMetadata(path: path)
        guard let source = metadata.string("tokenizer.chat_template") else {
            throw FathomError(.missingKey, "the model file has no chat template", file: path, key: "tokenizer.chat_template")
        }
        let bos = metadata.token(metadata.integer("tokenizer.ggml.bos_token_id")) ?? ""
        let eos = metadata.token(metadata.integer("tokenizer.ggml.eos_token_id")) ?? ""
        return try ModelChatTemplate(source: source, bosToken: bos, eosToken: eos, origin: path)
    }

    static func fromTokenizerConfig(path: String) throws(FathomError) -> ModelChatTemplate? {
        let root = try jsonObject(path: path)
        let source: String
        switch root["chat_template"] {
        case nil, is NSNull:
            return nil
        case let text as String:
            source = text
        case let list as [[String: Any]]:
            let named = list.compactMap { entry -> (String, String)? in
                guard let name = entry["name"] as? String, let template = entry["template"] as? String else { return nil }
                return (name, template)
            }
            guard let chosen = named.first(where: { $0.0 == "default" }) else {
                throw FathomError(.invalidValue, "no template named 'default' among \(named.map { $0.0 }.joined(separator: ", "))", file: path, key: "chat_template")
            }
            source = chosen.1
        default:
            throw FathomError(.wrongType, "expected a string or a list of {name, template}", file: path, key: "chat_template")
        }
        let tokens = try specialTokens(root: root, path: path)
        return try ModelChatTemplate(source: source, bosToken: tokens.bos ?? "", eosToken: tokens.eos ?? "", origin: path)
    }

    static func specialTokens(configPath: String) throws(FathomError) -> (bos: String?, eos: String?) {
        try specialTokens(root: try jsonObject(path: configPath), path: configPath)
    }

    static func specialTokens(root: [String: Any], path: String) throws(FathomError) -> (bos: String?, eos: String?) {
        func token(_ key: String) throws(FathomError) -> String? {
            switch root[key] {
            case nil, is NSNull: return nil
            case let text as String: return text
            case let object as [String: Any]:
                guard let content = object["content"] as? String else {
                    throw FathomError(.missingKey, "the token object has no 'content'", file: path, key: key)
                }
                return content
            default: throw FathomError(.wrongType, "expected a string or {\"content\": …}", file: path, key: key)
            }
        }
        return (try token("bos_token"), try token("eos_token"))
    }

    static func jsonObject(path: String) throws(FathomError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FathomError(.io, "cannot read the file", file: path) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw FathomError(.parse, "not a JSON object", file: path)
        }
        return root
    }
}
