/// llama.cpp's byte-level BPE pre-tokenizers (`tokenizer.ggml.pre`), mapped onto the byte scanners the
/// `tokenizer.json` pipeline already has.
///
/// Each entry reproduces `llm_tokenizer_bpe`'s regex list for that name in llama.cpp's `llama-vocab.cpp`, and the
/// flags `llama_vocab::impl::load` sets with it (`ignore_merges`, the default of `add_bos`). Only names whose
/// regexes equal a scanner here are listed; any other name is an error that names it.
struct LlamaPreTokenizer: Sendable, Equatable {
    /// The split regex; with `digitsFirst`, it runs on the text between single digits.
    let pattern: SplitPattern
    /// A `\p{N}` pass first: every numeric character is a piece of its own (llama.cpp's "smollm" family).
    let digitsFirst: Bool
    /// Look a whole piece up in the vocabulary before merging.
    let ignoreMerges: Bool
    /// Whether a BOS is added when the file has no `tokenizer.ggml.add_bos_token`.
    let defaultAddBOS: Bool

    static func named(_ name: String) -> LlamaPreTokenizer? {
        switch name {
        case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
             "modern-bert", "mpt", "olmo", "jais", "trillion", "granite-docling", "exaone4":
            // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)
            return LlamaPreTokenizer(pattern: .gpt2, digitsFirst: false, ignoreMerges: false, defaultAddBOS: false)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2":
            // \p{N}, then the GPT-2 regex
            return LlamaPreTokenizer(pattern: .gpt2, digitsFirst: true, ignoreMerges: false, defaultAddBOS: false)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano":
            return LlamaPreTokenizer(pattern: .llama3, digitsFirst: false, ignoreMerges: true, defaultAddBOS: true)
        case "dbrx", "smaug-bpe":
            return LlamaPreTokenizer(pattern: .llama3, digitsFirst: false, ignoreMerges: false, defaultAddBOS: false)
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open":
            return LlamaPreTokenizer(pattern: .qwen2, digitsFirst: false, ignoreMerges: false, defaultAddBOS: false)
        default:
            return nil
        }
    }

    /// The pipeline steps equivalent to this pre-tokenizer (as a `tokenizer.json` would spell them).
    var steps: [PreTokenizerStep] {
        var steps: [PreTokenizerStep] = digitsFirst ? [.digits(individual: true)] : []
        steps.append(pattern == .gpt2 ? .byteLevel(addPrefixSpace: false, useRegex: true) : .split(pattern))
        return steps
    }
}
