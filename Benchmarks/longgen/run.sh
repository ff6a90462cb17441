#!/usr/bin/env bash
# LongGenBench-style packed questions at K = 70: synthesis and scoring times, each against one tokenizer pass.
# Uses the benchmark-only manifests in tasks/ beside this file (K = 70 for every sample; with and without the
# single-item baseline's 70 extra prompts). Builds nothing. See README.md beside this file.
#
#   bash Benchmarks/longgen/run.sh
#   FATHOM=.build/release/fathom LENGTHS="32k 128k" SAMPLES=20 bash Benchmarks/longgen/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
FATHOM="${FATHOM:-.build/release/fathom}"
TOKENIZER="${TOKENIZER:-Tests/Fixtures/tokenizers/llama3.tokenizer.json}"
LENGTHS="${LENGTHS:-32k 128k}"
SAMPLES="${SAMPLES:-20}"
TASKS=Benchmarks/longgen/tasks

[ -x "$FATHOM" ] || { echo "no fathom binary at $FATHOM (build one: swift build -c release; or set FATHOM)" >&2; exit 2; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for style in gsm mmlu csqa; do
    for length in $LENGTHS; do
        "$FATHOM" bench synthesis --tasks "$TASKS" --task "bench.${style}_k70_packed_only" --length "$length" --samples "$SAMPLES" --tokenizer "$TOKENIZER"
        "$FATHOM" bench synthesis --tasks "$TASKS" --task "bench.${style}_k70" --length "$length" --samples "$SAMPLES" --tokenizer "$TOKENIZER"
        "$FATHOM" bench scoring --tasks "$TASKS" --task "bench.${style}_k70_packed_only" --length "$length" --samples "$SAMPLES" --tokenizer "$TOKENIZER"
    done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
