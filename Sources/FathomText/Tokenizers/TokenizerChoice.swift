import FathomCore

/// Resolves a `--tokenizer` value: `approx` (the default; approximate, see `ApproxTokenizer`) or a tokenizer file.
public enum TokenizerChoice {
    public static func make(_ spec: String?) throws -> any Tokenizer {
        guard let spec, spec != "approx" else { return ApproxTokenizer() }
        throw FathomError(.usage, "unknown tokenizer '\(spec)': use approx (exact tokenizers are not available in this build)")
    }
}
