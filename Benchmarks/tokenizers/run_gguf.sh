#!/usr/bin/env bash
# Real GGUF vocabularies: `fathom --tokenizer MODEL.gguf` (load + encode) against HF tokenizers on the same
# vocabulary converted to tokenizer.json (transformers' GGUF converter), and against that tokenizer.json loaded by
# Fathom. Same 1 MB input, single thread, best of N, ids checked identical.
#   bash Benchmarks/tokenizers/run_gguf.sh [REPEAT]
# Needs: scripts/real_models/install.sh done; pip install tokenizers tiktoken transformers gguf
set -euo pipefail
REPEAT="${1:-5}"
IN=Benchmarks/tokenizers/input-1mb.txt
OUT="$(mktemp -d "${TMPDIR:-/tmp}/fathom-gguf-bench.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
export RAYON_NUM_THREADS=1 RAYON_RS_NUM_CPUS=1 TOKENIZERS_PARALLELISM=false

eval "$(scripts/real_models/install.sh 2>/dev/null)"
python3 Benchmarks/tokenizers/make_input.py "$IN"
swift build -c release -j 1 --product fathom >/dev/null
BIN="$(swift build -c release --show-bin-path)/fathom"

for spec in "smollm2=$SMOLLM2_GGUF" "gemma3=$GEMMA3_GGUF"; do
  name="${spec%%=*}"; gguf="${spec#*=}"
  python3 scripts/real_models/gguf_to_tokenizer_json.py "$gguf" "$OUT/$name" >/dev/null 2>&1
  "$BIN" bench tokenize --tokenizer "$gguf" --input "$IN" --repeat "$REPEAT" --ids-out "$OUT/$name.gguf.json"
  "$BIN" bench tokenize --tokenizer "$OUT/$name/tokenizer.json" --input "$IN" --repeat "$REPEAT" --ids-out "$OUT/$name.json"
  python3 scripts/tokenizers/bench_peers.py --input "$IN" --repeat "$REPEAT" \
    --tokenizer "$OUT/$name/tokenizer.json" --swift-ids "$OUT/$name.gguf.json"
done
