import FathomCore

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
