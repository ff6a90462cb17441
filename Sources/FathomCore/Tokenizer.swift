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
}

extension Tokenizer {
    public func count(_ text: String) -> Int { encode(text).count }
    /// Tokens of a full prompt as the model sees it: BOS (if any) plus the encoded text.
    public func promptTokenCount(_ text: String) -> Int { count(text) + (bosTokenID == nil ? 0 : 1) }
}
