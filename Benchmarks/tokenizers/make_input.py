#!/usr/bin/env python3
"""Write the benchmark input: 1 MB (1,000,000 bytes) of seeded English-like prose with code blocks.

    python3 Benchmarks/tokenizers/make_input.py [OUT] [--bytes N] [--seed S]

Deterministic for a given seed; not committed (regenerate it).
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "tokenizers"))
import textgen  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("out", nargs="?", default=os.path.join(HERE, "input-1mb.txt"))
ap.add_argument("--bytes", type=int, default=1_000_000)
ap.add_argument("--seed", type=int, default=1234)
args = ap.parse_args()
text = textgen.prose_and_code(random.Random(args.seed), args.bytes)
with open(args.out, "w", encoding="utf-8", newline="") as f:
    f.write(text)
print(f"{args.out}: {len(text.encode())} bytes")
