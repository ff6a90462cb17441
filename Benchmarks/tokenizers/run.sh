#!/usr/bin/env bash
# Tokenizer throughput: Swift (fathom bench tokenize) vs HF tokenizers vs tiktoken, same input, same vocabulary,
# single thread, best of N. Run from the package root:  bash Benchmarks/tokenizers/run.sh [REPEAT]
# Needs: pip install tokenizers tiktoken   (peers only; the Swift side needs nothing)
set -euo pipefail
REPEAT="${1:-5}"
F=Tests/Fixtures/tokenizers
IN=Benchmarks/tokenizers/input-1mb.txt
OUT="$(mktemp -d "${TMPDIR:-/tmp}/fathom-tok-bench.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
export RAYON_NUM_THREADS=1 RAYON_RS_NUM_CPUS=1 TOKENIZERS_PARALLELISM=false

python3 Benchmarks/tokenizers/make_input.py "$IN"
swift build -c release -j 1 --product fathom >/dev/null
BIN="$(swift build -c release --show-bin-path)/fathom"

for t in llama3 sp gpt2; do
  "$BIN" bench tokenize --tokenizer "$F/$t.tokenizer.json" --input "$IN" --repeat "$REPEAT" --ids-out "$OUT/$t.json"
  python3 scripts/tokenizers/bench_peers.py --input "$IN" --repeat "$REPEAT" \
    --tokenizer "$F/$t.tokenizer.json" --swift-ids "$OUT/$t.json"
done
for p in cl100k o200k; do
  "$BIN" bench tokenize --tokenizer "$F/llama3.tiktoken:$p" --input "$IN" --repeat "$REPEAT" --ids-out "$OUT/tt-$p.json"
  python3 scripts/tokenizers/bench_peers.py --input "$IN" --repeat "$REPEAT" \
    --tiktoken "$F/llama3.tiktoken:$p" --swift-tiktoken-ids "$OUT/tt-$p.json"
done
