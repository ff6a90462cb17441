import FathomCore
import Foundation

/// Resolves a `--tokenizer` value: `approx` (the default; approximate, see `ApproxTokenizer`), a HF
/// `tokenizer.json`, a `.gguf` model (its vocabulary, as llama.cpp encodes), or a `.tiktoken` rank file with an
/// optional `:cl100k`/`:o200k` pattern.
public enum TokenizerChoice {
    public static func make(_ spec: String?) throws -> any Tokenizer {
        guard let spec, spec != "approx" else { return ApproxTokenizer() }
        if spec == "endpoint" {
            throw FathomError(.usage, "--tokenizer endpoint works with `fathom run --endpoint URL` (it asks the server); here give a tokenizer file")
        }
        return try TokenizerLoader.load(spec)
    }
}

extension Tokenizer {
    /// The ids of `text` with the special tokens the model adds (BOS, and EOS for a GGUF that asks for it) when
    /// `addSpecial`, as a server's tokenize route with `add_special` gives them.
    public func encode(_ text: String, addSpecial: Bool) -> [Int] {
        if let gguf = self as? GGUFTokenizer { return gguf.encode(text, addSpecial: addSpecial) }
        let body = encode(text)
        return addSpecial && bosTokenID != nil ? [bosTokenID!] + body : body
    }

    /// `fathom tokenize`: the ids (or counts) of `input` as JSON; with `batch`, `input` is a JSON array of texts.
    public func tokenizeForParity(_ input: Data, addSpecial: Bool, countOnly: Bool, batch: Bool) throws(FathomError) -> String {
        func render(_ text: String) -> String {
            if countOnly { return String(addSpecial ? encode(text, addSpecial: true).count : count(text)) }
            return "[" + encode(text, addSpecial: addSpecial).map(String.init).joined(separator: ",") + "]"
        }
        guard batch else { return render(String(decoding: input, as: UTF8.self)) }
        guard let texts = try? JSONDecoder().decode([String].self, from: input) else {
            throw FathomError(.parse, "--batch expects a JSON array of strings on stdin")
        }
        return "[" + texts.map(render).joined(separator: ",\n") + "]"
    }
}
