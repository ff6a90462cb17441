#!/usr/bin/env python3
"""Benchmark peers on the same input and vocabulary as `fathom bench tokenize`, and check id parity.

    RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false \
    python3 scripts/tokenizers/bench_peers.py --input Benchmarks/tokenizers/input-1mb.txt \
        --tokenizer Tests/Fixtures/tokenizers/llama3.tokenizer.json \
        --tiktoken Tests/Fixtures/tokenizers/llama3.tiktoken:cl100k \
        [--swift-ids ids.json] [--swift-tiktoken-ids ids.json] [--repeat 5]

Prints one JSON line per peer ({"tokenizer","bytes","tokens","best_seconds","mb_per_s"}), single thread, best
of N, the input encoded as one document with `encode` (HF: add_special_tokens=False; tiktoken:
disallowed_special=()). With --swift-ids / --swift-tiktoken-ids (written by `fathom bench tokenize --ids-out`)
it asserts the peer's ids equal the Swift ids.
"""
import argparse
import base64
import json
import os
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("RAYON_RS_NUM_CPUS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import tiktoken  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

CL100K = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
O200K = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+""",
])


def best_of(n, fn):
    best, out = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def report(name, nbytes, ids, seconds, load_seconds=None):
    row = {"tokenizer": name, "bytes": nbytes, "tokens": len(ids), "best_seconds": round(seconds, 6),
           "mb_per_s": round(nbytes / seconds / 1e6, 3)}
    if load_seconds is not None:
        row["load_seconds"] = round(load_seconds, 4)
    print(json.dumps(row), flush=True)


def check(name, ids, path):
    if not path:
        return
    with open(path) as f:
        swift = json.load(f)
    assert swift == ids, f"{name}: ids differ from Swift ({len(swift)} vs {len(ids)} tokens, first difference at " \
                         f"{next((i for i, (a, b) in enumerate(zip(swift, ids)) if a != b), min(len(swift), len(ids)))})"
    print(f"# {name}: {len(ids)} ids identical to Swift", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--tokenizer", help="tokenizer.json for HF tokenizers")
    ap.add_argument("--tiktoken", help="path.tiktoken[:cl100k|:o200k] for tiktoken")
    ap.add_argument("--swift-ids")
    ap.add_argument("--swift-tiktoken-ids")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with open(args.input, encoding="utf-8", newline="") as f:
        text = f.read()
    nbytes = len(text.encode())

    if args.tokenizer:
        load, tok = best_of(args.repeat, lambda: Tokenizer.from_file(args.tokenizer))
        secs, enc = best_of(args.repeat, lambda: tok.encode(text, add_special_tokens=False))
        report("hf-tokenizers:" + os.path.basename(args.tokenizer), nbytes, enc.ids, secs, load)
        check("hf-tokenizers", enc.ids, args.swift_ids)

    if args.tiktoken:
        path, _, pname = args.tiktoken.partition(":")
        pname = pname or "cl100k"
        ranks = {}
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    b64, rank = line.split()
                    ranks[base64.b64decode(b64)] = int(rank)
        enc = tiktoken.Encoding(name=f"bench-{pname}", pat_str={"cl100k": CL100K, "o200k": O200K}[pname],
                                mergeable_ranks=ranks, special_tokens={})
        secs, ids = best_of(args.repeat, lambda: enc.encode(text, disallowed_special=()))
        report(f"tiktoken:{os.path.basename(path)}:{pname}", nbytes, ids, secs)
        check("tiktoken", ids, args.swift_tiktoken_ids)


if __name__ == "__main__":
    main()
