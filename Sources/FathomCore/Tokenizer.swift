/// A tokenizer that counts prompt length in the target model's tokens.
///
/// Implementations live in FathomText (approximate, HF `tokenizer.json`, tiktoken, endpoint). `encode` works on
/// plain text: it never adds BOS/EOS by itself, but it does recognise special/added tokens written literally in
/// the text (a rendered chat template contains them). `bosTokenID` says whether the model's post-processor puts a
/// BOS in front of a prompt, so the length rule can count it exactly once.
public protocol Tokenizer: Sendable {
    /// A short human-readable name, e.g. `approx` or `hf:tokenizer.json`.
    var name: String { get }
    /// A stable fingerprint of the vocabulary and rules (content hash), recorded in results.
    var fingerprint: String { get }
    /// The BOS token the post-processor adds in front of a prompt, or nil when it adds none.
    var bosTokenID: Int? { get }
    /// Token ids of `text`, with no BOS/EOS added.
    func encode(_ text: String) -> [Int]
    /// Number of tokens `encode(text)` would return; implementations may make this cheaper.
    func count(_ text: String) -> Int
    /// The BOS token's text, when known (chat templates render it as `bos_token`).
    var bosToken: String? { get }
    /// `count` of each text; implementations may share work across the batch (haystack units are short).
    func counts(_ texts: [String]) -> [Int]
}

extension Tokenizer {
    public func count(_ text: String) -> Int { encode(text).count }
    public var bosToken: String? { nil }
    public func counts(_ texts: [String]) -> [Int] { texts.map { count($0) } }
    /// Tokens of a full prompt as the model sees it: the encoded text plus the BOS `bos` says to add (by default
    /// the post-processor's BOS, if any, in front).
    public func promptTokenCount(_ text: String, bos: PromptBOS = .tokenizer) -> Int {
        count(text) + (addsBOS(to: text, bos) ? 1 : 0)
    }

    /// Whether counting `text` under `bos` adds a BOS token in front of its encoding.
    public func addsBOS(to text: String, _ bos: PromptBOS) -> Bool {
        guard let bosTokenID else { return false }
        switch bos {
        case .tokenizer: return true
        case .inText: return false
        case .ifMissing:
            // Special tokens are matched literally, so a short prefix shows whether the text starts with the BOS.
            return encode(String(text.prefix(64))).first != bosTokenID
        }
    }
}
