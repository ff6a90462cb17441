import FathomCore

/// Loads tokenizers from a spec string.
public enum TokenizerLoader {
    /// Loads a tokenizer from `spec`:
    /// - a path to a Hugging Face `tokenizer.json` (any path ending in `.json`);
    /// - a GGUF model file (`.gguf`): its own vocabulary, encoded as llama.cpp does;
    /// - `path.tiktoken`, optionally followed by `:cl100k` or `:o200k` (default `cl100k`).
    ///
    /// `approx` and `endpoint` specs are resolved elsewhere in Fathom; any other spec throws.
    public static func load(_ spec: String) throws -> any Tokenizer {
        if spec.hasSuffix(".json") {
            return try HFTokenizer(path: spec)
        }
        if spec.hasSuffix(".gguf") {
            return try GGUFTokenizer(path: spec)
        }
        var path = spec
        var pattern = TiktokenTokenizer.Pattern.cl100k
        if let colon = spec.lastIndex(of: ":"), spec[..<colon].hasSuffix(".tiktoken") {
            let suffix = String(spec[spec.index(after: colon)...])
            guard let p = TiktokenTokenizer.Pattern(rawValue: suffix) else {
                throw TokenizerLoadError(file: String(spec[..<colon]), component: "tiktoken pattern",
                                         message: "unknown pattern '\(suffix)' (known: cl100k, o200k)")
            }
            pattern = p
            path = String(spec[..<colon])
        }
        if path.hasSuffix(".tiktoken") {
            return try TiktokenTokenizer(path: path, pattern: pattern)
        }
        throw TokenizerLoadError(file: spec, component: "spec",
                                 message: "not a tokenizer spec: expected a tokenizer.json path, a .gguf model or path.tiktoken[:cl100k|:o200k]")
    }
}

/// A tokenizer file could not be used: unreadable, malformed, or a component FathomText does not implement.
/// The message names the file and the component (`model`, `normalizer`, `pre_tokenizer`, ...).
public struct TokenizerLoadError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let component: String
    public let message: String

    public init(file: String, component: String, message: String) {
        self.file = file
        self.component = component
        self.message = message
    }

    public var description: String { "\(file): \(component): \(message)" }
}
