#!/usr/bin/env python3
"""Writes the small seed corpora of the fuzz targets under Tests/Fixtures/fuzz/ (the larger fixtures they start from
are too big to mutate quickly): each fixture tokenizer.json cut to its first 300 vocabulary entries and the merges
among them, plus hand-written scores files, exec-plugin lines and a manifest or two.

    python3 scripts/fuzz/make_seeds.py
"""
import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "fuzz")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def shrink_tokenizers():
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "tokenizers", "*.tokenizer.json"))):
        with open(path) as f:
            data = json.load(f)
        model = data["model"]
        vocab = model.get("vocab")
        if isinstance(vocab, dict):
            keep = {token: i for token, i in vocab.items() if i < 300}
            model["vocab"] = keep
            if "merges" in model:
                kept = []
                for merge in model["merges"]:
                    a, b = merge.split(" ", 1) if isinstance(merge, str) else merge
                    if a in keep and b in keep and a + b in keep:
                        kept.append(merge)
                model["merges"] = kept
        elif isinstance(vocab, list):
            model["vocab"] = vocab[:300]
        data["added_tokens"] = [t for t in data.get("added_tokens") or [] if t.get("id", 0) < 300]
        name = os.path.basename(path).replace(".tokenizer.json", ".json")
        write(os.path.join(OUT, "tokenizer", name), json.dumps(data, ensure_ascii=False, separators=(",", ":")))


SCORES_CSV = """model,task,sample,score,higher_is_better
a,t1,s1,0.5,true
b,t1,s1,1,true
a,"t,2",s2,0,true
b,"t,2",s2,"0.25",true
"""

SCORES_JSONL = """{"model": "a", "task": "t1", "sample": "s1", "score": 0.5}
{"model": "b", "task": "t1", "sample": "s1", "score": 1, "higher_is_better": true}
{"model": "a", "task": "t2", "sample": "s2", "score": 0}
"""

EXEC_LINES = {
    "description": {"type": "description", "protocol": 1, "summary": "Passkey retrieval", "metrics": ["exact_match"], "max_tokens": 32,
                    "parameters": [{"name": "digits", "type": "int", "default": 5, "doc": "digits in the key", "minimum": 1}],
                    "axes": [{"name": "depth", "doc": "needle depth", "binning": {"kind": "width", "width": 10, "max": 100}}], "provenance": {"python": "3.11"}},
    "sample": {"type": "sample", "messages": [{"role": "user", "content": "The key is 12345. What is the key?"}],
               "answer_prefix": "The key is", "reference": {"answers": ["12345"], "structured": {"key": 12345}}, "max_tokens": 16,
               "axes": {"depth": 50}, "knobs": {"digits": 5}},
    "score": {"type": "score", "value": 1, "metrics": {"exact_match": 1}, "details": {"found": [1, 2, {"x": None}]}},
    "scoring_failure": {"type": "scoring_failure", "reason": "unreadable"},
    "oracle": {"type": "oracle", "answer": "12345"},
    "error": {"type": "error", "message": "digits must be positive", "key": "params.digits"},
    "count_tokens": {"type": "count_tokens", "texts": ["a", "b c"]},
    "count_prompt": {"type": "count_prompt", "messages": [{"role": "user", "content": "hi"}], "answer_prefix": ""},
    "ready": {"type": "ready"},
}

SUITE = """name: fuzz-suite
tasks: [ruler.niah_single_1, niah.classic]
lengths: [4k, 8k]
samples: 3
seed: 7
aggregate: {by_length: mean, headline: effective_length, threshold: 85.6}
"""


def main():
    shrink_tokenizers()
    write(os.path.join(OUT, "scores", "seed.csv"), SCORES_CSV)
    write(os.path.join(OUT, "scores", "seed.jsonl"), SCORES_JSONL)
    for name, line in EXEC_LINES.items():
        write(os.path.join(OUT, "exec", name + ".json"), json.dumps(line))
    write(os.path.join(OUT, "manifest", "suite.yaml"), SUITE)


if __name__ == "__main__":
    main()
