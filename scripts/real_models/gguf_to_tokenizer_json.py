#!/usr/bin/env python3
"""Converts a GGUF model's vocabulary to a Hugging Face tokenizer.json with transformers' GGUF loader.

Used by the benchmark: HF `tokenizers` then runs on the same vocabulary as `fathom --tokenizer MODEL.gguf`.
Needs `pip install transformers tokenizers gguf` (no torch: its torch-only metadata reader is replaced by the
`gguf` package's). Nothing is downloaded.

    python3 scripts/real_models/gguf_to_tokenizer_json.py MODEL.gguf OUT_DIR
"""
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import types  # noqa: E402

import gguf  # noqa: E402


def _read_gguf_metadata(path, full_keys=()):
    """transformers' metadata reader, without torch (its module imports torch for tensors this never reads)."""
    reader = gguf.GGUFReader(path)
    return {name: field.contents() for name, field in reader.fields.items()}, None


sys.modules["transformers.integrations.gguf.reader"] = types.SimpleNamespace(read_gguf_metadata=_read_gguf_metadata)

from transformers.integrations.gguf import convert_gguf_tokenizer, get_gguf_tokenizer  # noqa: E402


def main(model, out_dir):
    # What AutoTokenizer.from_pretrained(..., gguf_file=...) does, without its torch-only metadata path.
    architecture, tokenizer_dict, _ = get_gguf_tokenizer(model)
    fast, _ = convert_gguf_tokenizer(architecture, tokenizer_dict)
    pre = gguf.GGUFReader(model).fields.get("tokenizer.ggml.pre")
    if pre is not None and pre.contents() == "smollm":
        # The converter drops llama.cpp's `\p{N}` pass; SmolLM2's own tokenizer.json has it as Digits.
        from tokenizers import pre_tokenizers
        fast.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                      pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    os.makedirs(out_dir, exist_ok=True)
    fast.save(os.path.join(out_dir, "tokenizer.json"))
    print(os.path.join(out_dir, "tokenizer.json"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
