#!/usr/bin/env python3
"""Peer for Fathom's sample synthesis: RULER's data preparation for one NIAH task (`niah_single_2`), rewritten
here so it runs offline on the same tokenizer file as Fathom, with the same algorithm and cost structure.

    python3 scripts/bench/ruler_prepare_peer.py --tokenizer Tests/Fixtures/tokenizers/llama3.tokenizer.json \\
        --haystack /tmp/fathom-essay.jsonl --length 131072 --samples 500 --out /tmp/ruler-peer.jsonl

Prints one JSON line: wall and CPU seconds (user + system of this process, from process start, so imports and
word-list set-up count, as they do for RULER), samples/s, peak RSS, and the distribution of sample lengths.
Writes one JSON line per sample: `input` (prompt without answer prefix), `answer_prefix`, `outputs`, `length`
(RULER's field: tokens of input + answer prefix + tokens_to_generate), `prompt_tokens` (= length - 128),
`token_position_answer`, `index`, `retries`.

What this mirrors (RULER, `scripts/data/`), step by step:

- `prepare.py`: task `niah_single_2` from `synthetic.yaml` (haystack `essay`, key `words`, value `numbers`,
  1 key / 1 value / 1 query, tokens_to_generate 128), model template `base` ("{task_template}"), and the prompt
  template = model template applied to the task template + the NIAH answer prefix (from
  `synthetic/constants.py`), so the answer prefix is part of the text that is tokenized and counted. Seed 42
  (`42 + chunk_idx`, one chunk).
- `synthetic/niah.py`, module set-up: the essay is loaded and split into words with
  `re.sub(r'\\s+', " ", text).split(" ")`; keys come from the wonderwords noun and adjective lists combined into
  every "adj-noun" pair, `sorted(list(set(...)))` (about 6.2 M strings, built once per run, as RULER does);
  `DEPTHS = round(linspace(0, 100, 40))`; `random.seed(42)`, `np.random.seed(42)`.
- `niah.py::generate_input_output(num_haystack)`: a random key (`random.choice(words)`) and 7-digit value
  (`random.randint(10**6, 10**7 - 1)`), the needle "One of the special magic numbers for {key} is: {value}.",
  `random.Random(seed).shuffle(needles)`; the first `num_haystack` words joined by spaces (the essay repeated when
  it is shorter, as in the binary-search version); `sent_tokenize` into sentences; the needle inserted at sentence
  index `int(n_sentences * depth / 100)` for a depth drawn by `random.sample(DEPTHS, 1)`; sentences joined by
  spaces; query = the key; the template singularized for q*v == 1 ("Some" -> "A", "are all" -> "is",
  "are" -> "is", "answers" -> "answer", "numbers" -> "number") and formatted.
- `niah.py::generate_samples`, sizing: `incremental = 500` words (essay); estimate tokens per word from one prompt
  of 500 words (one tokenization); binary search over `[incremental, max(3 * max_seq_length / tokens_per_word,
  2 * incremental)]`, each probe generating a full prompt and tokenizing all of it, accepting
  `tokens(prompt) + tokens_to_generate <= max_seq_length`.
- `niah.py::generate_samples`, per sample: regenerate the prompt at the found size with fresh random needle and
  depth, tokenize it fully, and on overflow shrink by `incremental` words and regenerate (RULER's `while True:
  try/assert/except` loop); then locate the answer prefix with `rfind` of its first 10 characters and split it
  off, find the answer in the input and tokenize the input up to it (`token_position_answer`, a second partial
  tokenization per sample); all samples are kept in memory and written at the end (`write_manifest`).
- `tokenizer.py`, type `hf`: `text_to_tokens(text)` is `AutoTokenizer.tokenize(text)`, i.e. token strings
  without special tokens; here `tokenizers.Tokenizer.from_file(path).encode(text, add_special_tokens=False).tokens`,
  the same Rust encoder that a fast AutoTokenizer wraps, on the same tokenizer.json as Fathom.

Deliberate differences (none makes the peer slower than RULER; several make it slightly faster):

- Haystack text: RULER uses `json/PaulGrahamEssays.json`, which needs a download. Here the text is Fathom's own
  built-in essay corpus (`essay-v2`, generated English prose, Sources/FathomText/Haystack/EssayGenerator.swift),
  taken from a Fathom export (`--haystack` accepts that jsonl: the context of its first prompt with the needle
  sentences removed) or any plain .txt file. Both sides therefore tokenize the same kind of prose.
- Sentence splitter: RULER's `nltk.sent_tokenize` loads NLTK's pretrained English Punkt parameters
  (`punkt`/`punkt_tab`), which are not available offline. Here `nltk.tokenize.punkt.PunktSentenceTokenizer()`
  with empty parameters: the same Punkt code path and cost per character, without the English abbreviation
  list (the generated essay text has no abbreviations, so the splits agree).
- Tokenizer wrapper: `tokenizers` directly instead of `transformers.AutoTokenizer` (not installed here); the
  transformers layer only adds Python overhead on top of the same encode call.
- No `prepare.py` -> `niah.py` subprocess hop and no tqdm bar (both cost RULER a little extra).
- The overflow loop raises instead of spinning forever when even `incremental` words overflow (RULER would
  hang), and `index` is the sample number (RULER overwrites it with the answer's character offset; that offset
  is kept here as `answer_offset`). Neither changes the work done.
"""
import argparse
import json
import os
import random
import re
import resource
import sys
import time

import numpy as np
from nltk.tokenize.punkt import PunktSentenceTokenizer
from tokenizers import Tokenizer

WALL_START = time.perf_counter()

# niah_single_2 (synthetic.yaml) with the NIAH template and answer prefix (synthetic/constants.py), model template
# `base`; prepare.py appends the answer prefix to the formatted task template.
TASK_TEMPLATE = ("Some special magic {type_needle_v} are hidden within the following text. Make sure to memorize it. "
                 "I will quiz you about the {type_needle_v} afterwards.\n{context}\n"
                 "What are all the special magic {type_needle_v} for {query} mentioned in the provided text?")
ANSWER_PREFIX = " The special magic {type_needle_v} for {query} mentioned in the provided text are"
MODEL_TEMPLATE_BASE = "{task_template}"
NEEDLE = "One of the special magic {type_needle_v} for {key} is: {value}."
TOKENS_TO_GENERATE = 128
NUM_NEEDLE_K, NUM_NEEDLE_V, NUM_NEEDLE_Q = 1, 1, 1
TYPE_NEEDLE_K, TYPE_NEEDLE_V = "words", "numbers"
INCREMENTAL = 500  # words, essay haystack


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_haystack_text(path):
    """Plain text, or the context of the first prompt of a Fathom export with its needle sentences removed."""
    with open(path, encoding="utf-8") as f:
        if not path.endswith(".jsonl"):
            return f.read()
        record = json.loads(f.readline())
    prompt = record["prompt_text"]
    start = prompt.index("\n") + 1
    end = prompt.rindex("\nWhat ")
    context = prompt[start:end]
    return re.sub(r" ?\n?One of the special magic \w+ for \S+ is: \S+\.", "", context)


def load_words():
    """RULER's key vocabulary: every wonderwords adjective-noun pair, sorted and deduplicated."""
    from wonderwords import random_word
    nouns = random_word._get_words_from_text_file("nounlist.txt")
    adjs = random_word._get_words_from_text_file("adjectivelist.txt")
    words = [f"{adj}-{noun}" for adj in adjs for noun in nouns]
    return sorted(list(set(words)))


class Peer:
    def __init__(self, tokenizer_path, haystack_text, seed):
        self.seed = seed
        random.seed(seed)
        np.random.seed(seed)
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.haystack = re.sub(r"\s+", " ", haystack_text).split(" ")
        self.words = load_words()
        self.depths = list(np.round(np.linspace(0, 100, num=40, endpoint=True)).astype(int))
        self.splitter = PunktSentenceTokenizer()
        self.template = MODEL_TEMPLATE_BASE.format(task_template=TASK_TEMPLATE) + ANSWER_PREFIX

    def text_to_tokens(self, text):
        return self.tokenizer.encode(text, add_special_tokens=False).tokens

    def generate_random(self, kind):
        if kind == "numbers":
            return str(random.randint(10 ** 6, 10 ** 7 - 1))
        if kind == "words":
            return random.choice(self.words)
        raise NotImplementedError(kind)

    def generate_input_output(self, num_haystack):
        keys, values, needles = [], [], []
        for _ in range(NUM_NEEDLE_K):
            keys.append(self.generate_random(TYPE_NEEDLE_K))
            value = []
            for _ in range(NUM_NEEDLE_V):
                value.append(self.generate_random(TYPE_NEEDLE_V))
                needles.append(NEEDLE.format(type_needle_v=TYPE_NEEDLE_V, key=keys[-1], value=value[-1]))
            values.append(value)
        random.Random(self.seed).shuffle(needles)

        haystack = self.haystack
        text = " ".join(haystack[:num_haystack])  # RULER joins once unconditionally, then again below
        if num_haystack <= len(haystack):
            text = " ".join(haystack[:num_haystack])
        else:
            repeats = (num_haystack + len(haystack) - 1) // len(haystack)
            text = " ".join((haystack * repeats)[:num_haystack])
        sentences = self.splitter.tokenize(text.strip())
        positions = [0] + sorted(int(len(sentences) * (d / 100)) for d in random.sample(self.depths, len(needles))) \
            + [len(sentences)]
        parts = []
        for i in range(1, len(positions)):
            parts.append(" ".join(sentences[positions[i - 1]:positions[i]]))
            if i - 1 < len(needles):
                parts.append(needles[i - 1])
        context = " ".join(parts)

        indices = random.sample(range(NUM_NEEDLE_K), NUM_NEEDLE_Q)
        queries = [keys[i] for i in indices]
        answers = [a for i in indices for a in values[i]]
        query = ", ".join(queries[:-1]) + ", and " + queries[-1] if len(queries) > 1 else queries[0]

        template = self.template
        type_needle_v = TYPE_NEEDLE_V
        if NUM_NEEDLE_Q * NUM_NEEDLE_V == 1:
            template = template.replace("Some", "A").replace("are all", "is").replace("are", "is")
            template = template.replace("answers", "answer")
            type_needle_v = type_needle_v[:-1]
        return template.format(type_needle_v=type_needle_v, context=context, query=query), answers

    def find_size(self, max_seq_length):
        """Estimate + binary search for the largest haystack (in words) whose prompt fits."""
        sample_text, _ = self.generate_input_output(INCREMENTAL)
        tokens_per_haystack = len(self.text_to_tokens(sample_text)) / INCREMENTAL
        estimated = int((max_seq_length / tokens_per_haystack) * 3)
        lower, upper = INCREMENTAL, max(estimated, INCREMENTAL * 2)
        log(f"estimated {tokens_per_haystack:.3f} tokens per word; binary search over {lower}..{upper} words")
        best, probes = None, 0
        while lower <= upper:
            mid = (lower + upper) // 2
            text, _ = self.generate_input_output(mid)
            total = len(self.text_to_tokens(text)) + TOKENS_TO_GENERATE
            probes += 1
            log(f"  probe {probes}: {mid} words -> {total}/{max_seq_length} tokens")
            if total <= max_seq_length:
                best, lower = mid, mid + 1
            else:
                upper = mid - 1
        return (best if best is not None else INCREMENTAL), probes

    def sample(self, index, num_haystack, max_seq_length):
        used, retries = num_haystack, 0
        while True:
            text, answer = self.generate_input_output(used)
            length = len(self.text_to_tokens(text)) + TOKENS_TO_GENERATE
            if length <= max_seq_length:
                break
            retries += 1
            if used <= INCREMENTAL:
                raise RuntimeError(f"sample {index}: {length} tokens even at {used} words (RULER would loop forever)")
            used -= INCREMENTAL
        cut = text.rfind(ANSWER_PREFIX[:10])
        answer_prefix, text = text[cut:], text[:cut]
        offset = text.find(answer[0])
        token_position_answer = len(self.text_to_tokens(text[:offset]))
        return {"index": index, "input": text, "outputs": answer, "length": length,
                "prompt_tokens": length - TOKENS_TO_GENERATE, "answer_prefix": answer_prefix,
                "token_position_answer": token_position_answer, "answer_offset": offset,
                "haystack_words": used, "retries": retries}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokenizer", required=True, help="HF tokenizer.json (the same file Fathom uses)")
    parser.add_argument("--haystack", required=True, help="Fathom export .jsonl (context of its first prompt) or .txt")
    parser.add_argument("--length", type=int, default=131072, help="max_seq_length incl. tokens_to_generate")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    peer = Peer(args.tokenizer, load_haystack_text(args.haystack), args.seed)
    setup = time.perf_counter() - WALL_START
    log(f"set-up {setup:.2f} s: {len(peer.haystack)} haystack words, {len(peer.words)} key words")

    t = time.perf_counter()
    num_haystack, probes = peer.find_size(args.length)
    sizing = time.perf_counter() - t
    log(f"haystack size {num_haystack} words after {probes} probes, {sizing:.2f} s")

    t = time.perf_counter()
    rows = []
    for index in range(args.samples):
        rows.append(peer.sample(index, num_haystack, args.length))
        if (index + 1) % 50 == 0:
            log(f"  {index + 1}/{args.samples} samples, {time.perf_counter() - t:.1f} s")
    per_sample = time.perf_counter() - t

    t = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            json.dump(row, f)
            f.write("\n")
    writing = time.perf_counter() - t

    wall = time.perf_counter() - WALL_START
    usage = resource.getrusage(resource.RUSAGE_SELF)
    lengths = sorted(r["length"] for r in rows)
    over = sum(1 for n in lengths if n > args.length)
    print(json.dumps({
        "peer": "RULER niah.py data preparation (rewritten)", "task": "niah_single_2", "max_seq_length": args.length,
        "samples": args.samples, "wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "user_s": round(usage.ru_utime, 2), "sys_s": round(usage.ru_stime, 2),
        "samples_per_s": round(args.samples / wall, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "phases_s": {"setup": round(setup, 2), "sizing": round(sizing, 2), "samples": round(per_sample, 2),
                     "write": round(writing, 2)},
        "per_sample_ms": round(per_sample / max(args.samples, 1) * 1000, 1),
        "binary_search_probes": probes, "haystack_words": num_haystack,
        "retries": sum(r["retries"] for r in rows),
        "length_incl_generate": {"min": lengths[0], "median": lengths[len(lengths) // 2], "max": lengths[-1],
                                 "mean": round(sum(lengths) / len(lengths), 1), "over_budget": over,
                                 "slack_max": args.length - lengths[0], "slack_min": args.length - lengths[-1]},
        "tokenizer": os.path.basename(args.tokenizer),
    }))


if __name__ == "__main__":
    main()
