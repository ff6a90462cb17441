#!/usr/bin/env python3
"""Build the tokenizer parity fixtures in Tests/Fixtures/tokenizers/.

    pip install tokenizers tiktoken regex
    python3 scripts/tokenizers/make_fixtures.py

Everything is generated from seeded synthetic text (textgen.py); no corpora are downloaded. The script trains
small tokenizers with Hugging Face `tokenizers`, writes their tokenizer.json files, builds tiktoken encodings
from the Llama-3-style vocabulary, and records golden ids produced by those reference libraries. Swift tests
compare against these files, so `swift test` needs no Python.
"""
import base64
import json
import os
import random
import sys

import regex
import tiktoken
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import textgen  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "tokenizers")

GPT2_PAT = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN2_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
O200K_PAT = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])
CL100K_TIKTOKEN_PAT = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""

LLAMA_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
ALL_SPECIALS = LLAMA_SPECIALS + ["<|endoftext|>", "<s>", "</s>", "<unk>", "<mask>", "<tool_call>", "<rs>", "@@",
                                 "[[note]]"]


def write_json(name, obj, compact=True):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, ensure_ascii=False, indent=1)
    return path


def golden_texts():
    rng = random.Random(20261122)
    texts = ["", " ", "  ", "\n", "\r\n", "\t", "a", "A", "'s", "'S", "ſ", "hello", " hello", "hello ", "hello  ",
             "Hello world", "Hello\n", "Hello \n ", "x\n  ", "x  \n", "\n\n\n", "  \n\n  x", "12345678", "3.14159",
             "i'm I'M you'LL it'S we'Re", "don't stop", "a'sb", "''", "'''s", "🙂", "👨‍👩‍👧‍👦 family",
             "e\u0301", "\u0301abc", "ab\u0301\u0301cd", "ǅemal ǈ", "ʰa", "ABCdef", "ABC'sdef", "aBC's",
             "http://x.y/z/w//", "a/b/c\n/", "!!!\n\n", "...\r\n", " \u00a0 x", "\u3000x", "x\u3000", "\x0b\x0c",
             "\u0085x", "tab\tsep\tvalues\t", "trailing spaces   ", "   leading spaces", "CRLF\r\nline\r\n"]
    texts += textgen.CODE + textgen.MULTI + textgen.EMOJI + textgen.CONTRACTIONS + textgen.SPACES
    texts += [textgen.sentence(rng) for _ in range(30)]
    texts += [textgen.paragraph(rng) for _ in range(10)]
    texts += [textgen.mixed(rng) for _ in range(150)]
    texts += [textgen.fuzz(rng) for _ in range(1000)]
    # Special / added tokens written literally in the text (a rendered chat template contains them).
    for _ in range(50):
        parts = []
        for _ in range(rng.randint(1, 5)):
            parts.append(rng.choice([textgen.sentence(rng), textgen.fuzz(rng), rng.choice(textgen.SPACES), ""]))
            parts.append(rng.choice(ALL_SPECIALS) + rng.choice(["", " ", "\n", "  "]))
        texts.append("".join(parts))
    texts += ["<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>",
              "<s>[INST] hello [/INST]</s>", "a <mask> b", "a  <mask>  b", "<mask>x", "x<mask>", " <mask> ",
              "<|endoftext|><|endoftext|>", "<|endoftext|", "<s<s>>", "<tool_call>{\"x\":1}</tool_call>",
              "a@@b", "a @@ b", "@@", "x@@", "@@ y", "1@@2", "é@@", "x  <rs>  y", "<rs>", "\n<rs>\n", "a[[note]]b",
              " [[note]] ", "[[note]]", "x [[note]]", "½@@", "\u200d@@", "_@@", "@@_", "x\u0301@@", "@@\u0301"]
    # Long documents: exercise caches and the whole-segment BPE path of SentencePiece-style models.
    texts.append(textgen.prose_and_code(rng, 20000))
    texts.append("".join(textgen.mixed(rng) for _ in range(60)))
    texts.append(" " * 300 + "x" + "\n" * 50 + "y" + "\t " * 40)
    return texts


def train_bytelevel(lines, pre, vocab_size, specials):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre
    tok.decoder = decoders.ByteLevel()
    tr = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=specials,
                             initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(lines, tr)
    return tok


def load_json_tok(tok):
    return json.loads(tok.to_str())


def save_tok(name, data):
    path = write_json(name, data)
    return Tokenizer.from_file(path)


def merges_as_strings(data):
    data["model"]["merges"] = [m if isinstance(m, str) else f"{m[0]} {m[1]}" for m in data["model"]["merges"]]


def merges_as_pairs(data):
    data["model"]["merges"] = [m.split(" ") if isinstance(m, str) else m for m in data["model"]["merges"]]


def goldens(name, tok, texts, bos):
    ids = [tok.encode(t, add_special_tokens=False).ids for t in texts]
    # Cross-check the BOS we report with what the post-processor really adds.
    with_special = tok.encode("hello", add_special_tokens=True).ids
    plain = tok.encode("hello", add_special_tokens=False).ids
    if bos is None:
        assert with_special == plain, (name, with_special, plain)
    else:
        assert with_special[0] == bos and with_special[1:1 + len(plain)] == plain, (name, with_special, plain)
    write_json(f"{name}.golden.json", {"tokenizer": f"{name}.tokenizer.json", "bos": bos, "ids": ids})


def main():
    os.makedirs(OUT, exist_ok=True)
    lines = textgen.training_corpus(7, 12000)
    texts = golden_texts()
    write_json("texts.json", texts, compact=False)

    # (a) GPT-2-style byte-level BPE: ByteLevel(use_regex) pre-tokenizer, merges stored as "a b" strings.
    gpt2 = train_bytelevel(lines, pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True), 3000,
                           ["<|endoftext|>", "<s>", "</s>", "<mask>"])
    gpt2.post_processor = processors.ByteLevel(trim_offsets=False)
    d = load_json_tok(gpt2)
    merges_as_strings(d)
    gpt2 = save_tok("gpt2.tokenizer.json", d)
    goldens("gpt2", gpt2, texts, None)

    # (a2) Same vocabulary, add_prefix_space=True, RoBERTa post-processor, <mask> with lstrip, merges as pairs.
    d2 = json.loads(json.dumps(d))
    d2["pre_tokenizer"]["add_prefix_space"] = True
    vocab = d2["model"]["vocab"]
    d2["post_processor"] = {"type": "RobertaProcessing", "sep": ["</s>", vocab["</s>"]], "cls": ["<s>", vocab["<s>"]],
                            "trim_offsets": True, "add_prefix_space": True}
    for t in d2["added_tokens"]:
        if t["content"] == "<mask>":
            t["lstrip"] = True
    merges_as_pairs(d2)
    roberta = save_tok("roberta.tokenizer.json", d2)
    goldens("roberta", roberta, texts, vocab["<s>"])

    # (a3) StarCoder-style: Digits(individual_digits) before ByteLevel(use_regex), same vocabulary as (a).
    d3 = json.loads(json.dumps(d))
    d3["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": True},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]}
    digits = save_tok("digits.tokenizer.json", d3)
    goldens("digits", digits, texts, None)

    # (b) Llama-3-style: Split(Llama-3 regex, isolated) + ByteLevel(use_regex=False), ignore_merges, BOS template.
    pre = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(LLAMA3_PAT), behavior="isolated", invert=False),
                                   pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    llama = train_bytelevel(lines, pre, 6000, LLAMA_SPECIALS)
    bos_id = llama.token_to_id("<|begin_of_text|>")
    llama.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|> $B:1",
                                      special_tokens=[("<|begin_of_text|>", bos_id)])])
    llama.add_tokens([AddedToken("<tool_call>", normalized=False, special=False),
                      AddedToken("</tool_call>", normalized=False, special=False),
                      AddedToken("<rs>", lstrip=True, rstrip=True, normalized=False, special=False),
                      AddedToken("@@", single_word=True, normalized=False, special=False)])
    d = load_json_tok(llama)
    d["model"]["ignore_merges"] = True
    llama = save_tok("llama3.tokenizer.json", d)
    goldens("llama3", llama, texts, bos_id)

    # (b2) Qwen2-style: same vocabulary, Qwen2 regex (single digits), NFC normalizer, no BOS.
    dq = json.loads(json.dumps(d))
    dq["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = QWEN2_PAT
    dq["normalizer"] = {"type": "NFC"}
    dq["post_processor"] = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    dq["model"]["ignore_merges"] = False
    qwen = save_tok("qwen2.tokenizer.json", dq)
    goldens("qwen2", qwen, texts, None)

    # (b3) o200k regex in a Split pre-tokenizer, same vocabulary.
    do = json.loads(json.dumps(d))
    do["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = O200K_PAT
    o200 = save_tok("o200k-split.tokenizer.json", do)
    goldens("o200k-split", o200, texts, bos_id)

    # tiktoken: ranks = byte strings of the Llama-3-style vocabulary, cl100k and o200k patterns.
    bl = pre_tokenizers.ByteLevel.alphabet()
    # GPT-2 bytes_to_unicode, rebuilt here to invert the byte-level alphabet exactly.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    byte_dec = {chr(c): b for b, c in zip(bs, cs)}
    assert set(byte_dec) == set(bl)
    specials = {t["content"]: t["id"] for t in d["added_tokens"] if t["special"]}
    ranks = {}
    for tokstr, i in d["model"]["vocab"].items():
        if tokstr in specials:
            continue
        ranks[bytes(byte_dec[c] for c in tokstr)] = i
    with open(os.path.join(OUT, "llama3.tiktoken"), "w") as f:
        for b, r in sorted(ranks.items(), key=lambda kv: kv[1]):
            f.write(f"{base64.b64encode(b).decode()} {r}\n")
    for pname, pat in [("cl100k", CL100K_TIKTOKEN_PAT), ("o200k", O200K_PAT)]:
        enc = tiktoken.Encoding(name=f"fathom-{pname}", pat_str=pat, mergeable_ranks=ranks, special_tokens=specials)
        ids = [enc.encode(t, allowed_special="all") for t in texts]
        ids_plain = [enc.encode(t, disallowed_special=()) for t in texts]
        write_json(f"tiktoken-{pname}.golden.json", {"tokenizer": "llama3.tiktoken", "pattern": pname,
                                                    "special_tokens": specials, "ids": ids, "ids_no_special": ids_plain})

    # (c) SentencePiece-style BPE: Prepend("▁") + Replace(" ", "▁") normalizer, no pre-tokenizer (the whole
    # segment is one BPE word), byte_fallback with <0xNN> tokens, <s> BOS via TemplateProcessing.
    sp = Tokenizer(models.BPE(unk_token="<unk>"))
    sp.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    sp.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    # A fixed alphabet (ASCII, a few accented letters, "▁"): other characters (CJK, emoji, ...) need byte
    # fallback. limit_alphabet == len(alphabet) keeps exactly these, so training is deterministic.
    alphabet = sorted(set([chr(c) for c in range(33, 127)] + list("▁éèàüöäßçñÉ\n\t")))
    tr = trainers.BpeTrainer(vocab_size=3000, min_frequency=2, special_tokens=["<unk>", "<s>", "</s>"],
                             initial_alphabet=alphabet, limit_alphabet=len(alphabet), show_progress=False)
    sp.train_from_iterator(lines, tr)
    t = load_json_tok(sp)
    old_vocab = t["model"]["vocab"]
    base = [k for k, _ in sorted(old_vocab.items(), key=lambda kv: kv[1])]
    new_tokens = base[:3] + [f"<0x{b:02X}>" for b in range(256)] + base[3:]
    merges = [m.split(" ") if isinstance(m, str) else m for m in t["model"]["merges"]]
    # A few merges across "▁" (as real converted SentencePiece vocabularies have: "▁▁", "▁▁▁▁", ".▁", "e▁").
    for a, b in [("▁", "▁"), ("▁▁", "▁▁"), (".", "▁"), ("e", "▁"), ("▁", "\n")]:
        if a + b not in new_tokens and a in new_tokens and b in new_tokens:
            new_tokens.append(a + b)
            merges.append([a, b])
    sp_vocab = {tok: i for i, tok in enumerate(new_tokens)}

    def make_sp(byte_fallback, normalizer, pre):
        m = models.BPE(vocab=sp_vocab, merges=[tuple(x) for x in merges], unk_token="<unk>", fuse_unk=True,
                       byte_fallback=byte_fallback)
        tk = Tokenizer(m)
        tk.add_special_tokens(["<unk>", "<s>", "</s>"])
        tk.add_tokens([AddedToken("[[note]]", normalized=True, special=False)])
        tk.normalizer = normalizer
        tk.pre_tokenizer = pre
        tk.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B:1",
                                                          special_tokens=[("<s>", 1)])
        tk.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                        decoders.Strip(" ", 1, 0)])
        return tk

    prep = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    variants = [
        ("sp", make_sp(True, prep, None)),
        ("sp-metaspace", make_sp(True, None, pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first",
                                                                      split=True))),
        ("sp-unk", make_sp(False, prep, None)),
    ]
    for name, tk in variants:
        dd = load_json_tok(tk)
        tk = save_tok(f"{name}.tokenizer.json", dd)
        goldens(name, tk, texts, 1)

    # Pre-tokenizer splits (UTF-8 byte lengths of the pieces), to test the scanners on their own.
    splits = {}
    for pname, pat in [("gpt2", GPT2_PAT), ("llama3", LLAMA3_PAT), ("qwen2", QWEN2_PAT), ("o200k", O200K_PAT)]:
        split = pre_tokenizers.Split(Regex(pat), behavior="isolated", invert=False)
        splits[pname] = [[len(p.encode()) for p, _ in split.pre_tokenize_str(t)] for t in texts[:-3]]
    for pname, pat in [("cl100k", CL100K_TIKTOKEN_PAT), ("o200k-tiktoken", O200K_PAT)]:
        splits[pname] = [[len(p.encode()) for p in regex.findall(pat, t)] for t in texts[:-3]]
    for pname, individual in [("digits-individual", True), ("digits-contiguous", False)]:
        pre = pre_tokenizers.Digits(individual_digits=individual)
        splits[pname] = [[len(p.encode()) for p, _ in pre.pre_tokenize_str(t)] for t in texts[:-3]]
    write_json("pretokenizer.golden.json", splits)

    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total / 1e6:.2f} MB, {len(texts)} golden texts")


if __name__ == "__main__":
    main()
