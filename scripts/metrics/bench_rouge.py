#!/usr/bin/env python3
"""Peer benchmark for `fathom bench rouge`: Google's rouge-score on the same JSONL file.

  pip install rouge-score nltk
  python3 scripts/metrics/bench_rouge.py --make-data /tmp/rouge_pairs.jsonl [--pairs 1000 --words 300 --seed 7]
  python3 scripts/metrics/bench_rouge.py /tmp/rouge_pairs.jsonl [--repeats 1 --warmup 0 --limit N]

Times RougeScorer(['rougeL', 'rougeLsum'], use_stemmer=True).score(target=reference,
prediction=prediction) over every pair (file reading and JSON parsing are not timed) and prints
one JSON object with the same keys as the Swift command, including mean F1s as an agreement check.
--make-data writes synthetic multi-sentence summary pairs (one sentence per line, reference and a
perturbed prediction), deterministic for a given seed.
"""
import argparse
import json
import random
import re
import statistics
import sys
import sysconfig
import os
import time
from collections import Counter


def vocabulary(limit=5000):
    root = sysconfig.get_paths()["stdlib"]
    counts = Counter()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "test", "idlelib", "__pycache__"))
        for fn in sorted(filenames):
            if fn.endswith(".py"):
                try:
                    with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                        counts.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", f.read()))
                except (UnicodeDecodeError, OSError):
                    pass
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]


def make_summary(rng, vocab, words):
    sentences = []
    total = 0
    while total < words:
        n = min(rng.randint(8, 30), words - total)
        toks = [rng.choice(vocab) for _ in range(n)]
        toks[0] = toks[0].capitalize()
        for i in range(1, n - 1):
            if rng.random() < 0.07:
                toks[i] += ","
            if rng.random() < 0.03:
                toks[i] = str(rng.randint(1, 2030))
        sentences.append(" ".join(toks) + ".")
        total += n
    return sentences


def perturb(rng, sentences, vocab):
    out = []
    for s in sentences:
        if rng.random() < 0.1:
            continue
        toks = s.split(" ")
        new = []
        for t in toks:
            r = rng.random()
            if r < 0.2:
                continue
            if r < 0.35:
                new.append(rng.choice(vocab))
            elif r < 0.4:
                new.append(t + "s")
            else:
                new.append(t)
        out.append(" ".join(new))
    if len(out) > 2 and rng.random() < 0.5:
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    return out


def make_data(path, pairs, words, seed):
    rng = random.Random(seed)
    vocab = vocabulary()
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(pairs):
            ref = make_summary(rng, vocab, words)
            pred = perturb(rng, ref, vocab)
            f.write(json.dumps({"prediction": "\n".join(pred), "reference": "\n".join(ref)}) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input", nargs="?")
    ap.add_argument("--make-data", metavar="PATH")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    if args.make_data:
        make_data(args.make_data, args.pairs, args.words, args.seed)
        print(json.dumps({"wrote": args.make_data, "pairs": args.pairs, "words": args.words, "seed": args.seed}))
        return
    if not args.input:
        ap.error("input JSONL required")

    from rouge_score import rouge_scorer
    import rouge_score
    import nltk

    with open(args.input, encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f if line.strip()]
    if args.limit is not None:
        pairs = pairs[: args.limit]
    scorer = rouge_scorer.RougeScorer(["rougeL", "rougeLsum"], use_stemmer=True)

    def one_pass():
        l = ls = 0.0
        for p in pairs:
            s = scorer.score(target=p["reference"], prediction=p["prediction"])
            l += s["rougeL"].fmeasure
            ls += s["rougeLsum"].fmeasure
        return l, ls

    for _ in range(args.warmup):
        one_pass()
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        l, ls = one_pass()
        times.append(time.perf_counter() - t0)
    times.sort()
    n = len(pairs)
    print(json.dumps({
        "implementation": "python rouge-score " + getattr(rouge_score, "__version__", "0.1.2") + " (nltk " + nltk.__version__ + ")",
        "input": args.input, "pairs": n, "repeats": args.repeats, "warmup": args.warmup,
        "seconds_best": times[0], "seconds_median": times[len(times) // 2], "pairs_per_second": n / times[0],
        "mean_rougeL_f1": l / n, "mean_rougeLsum_f1": ls / n,
        "python": sys.version.split()[0],
    }, sort_keys=True))


if __name__ == "__main__":
    main()
