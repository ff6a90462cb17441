#!/usr/bin/env python3
"""Writes a tiny random-weight llama-architecture GGUF (byte-level BPE vocabulary, ~0.5 MB) for integration tests,
and the same vocabulary as a Hugging Face tokenizer.json, so Fathom can size prompts in the model's own tokens.

It answers with noise, but a real llama.cpp runtime loads it, tokenizes, applies its chat template, generates,
reports usage, and enforces its context size. Needs the `gguf` and `numpy` PyPI packages.

    python3 scripts/integration/make_tiny_gguf.py OUT.gguf [OUT.tokenizer.json]
"""
import json
import sys

import gguf
import numpy as np


def byte_tokens():
    """GPT-2's byte-to-unicode table: 256 printable stand-ins for the raw bytes."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    codes = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    table = dict(zip(printable, codes))
    return [chr(table[b]) for b in range(256)]


def tokenizer_json(tokens, merges, bos, eos):
    """The same byte-level BPE as a tokenizer.json: GPT-2 pre-tokenizer, BOS added by the post-processor."""
    specials = {bos: "<|bos|>", eos: "<|eos|>"}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in sorted(specials.items())],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|bos|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<|bos|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<|bos|>": {"id": "<|bos|>", "ids": [bos], "tokens": ["<|bos|>"]}},
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {t: i for i, t in enumerate(tokens) if i not in specials}, "merges": merges},
    }


def main(path, tokenizer_path=None):
    rng = np.random.default_rng(0)
    tokens = byte_tokens()
    merges = []
    # A few merges of common English pieces so BPE has work to do ("Ġ" is the byte-level space).
    for left, right in [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("e", "r"), ("o", "n"), ("Ġ", "s"),
                        ("r", "e"), ("Ġ", "w"), ("a", "n"), ("Ġ", "o"), ("i", "s"), ("Ġ", "c"), ("e", "n"), ("Ġ", "i")]:
        merged = left + right
        if merged not in tokens:
            tokens.append(merged)
        merges.append(f"{left} {right}")
    specials = ["<|bos|>", "<|eos|>"]
    types = [gguf.TokenType.NORMAL] * len(tokens) + [gguf.TokenType.CONTROL] * len(specials)
    tokens += specials
    vocab, n_embd, n_ff, n_layer, n_head = len(tokens), 64, 128, 2, 4

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("fathom-tiny-random")
    writer.add_context_length(8192)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(n_embd // n_head)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(vocab - 2)
    writer.add_eos_token_id(vocab - 1)
    writer.add_add_bos_token(True)
    # The template writes the BOS itself, as Llama-3 and Gemma templates do, so counting it must not add a second.
    writer.add_chat_template(
        "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] | trim }}\n{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
    )

    def weight(*shape):
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    writer.add_tensor("token_embd.weight", weight(vocab, n_embd))
    writer.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    writer.add_tensor("output.weight", weight(vocab, n_embd))
    for i in range(n_layer):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"blk.{i}.{name}.weight", weight(n_embd, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.ffn_gate.weight", weight(n_ff, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_up.weight", weight(n_ff, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_down.weight", weight(n_embd, n_ff))
    if tokenizer_path:
        with open(tokenizer_path, "w") as f:
            json.dump(tokenizer_json(tokens, merges, vocab - 2, vocab - 1), f, ensure_ascii=False, indent=1)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make_tiny_gguf.py OUT.gguf [OUT.tokenizer.json]")
    main(*sys.argv[1:])
