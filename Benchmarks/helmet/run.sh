#!/usr/bin/env bash
# HELMET categories: synthesis of one exact-length sample per category against one tokenizer pass over the same
# prompts, in CPU time of the synthesizing thread (stable on a shared machine), for the first sample of a process
# (1 warm-up) and once the process's caches are warm (200 warm-ups, as in a run of many samples). Each figure is
# the median of REPEATS processes; peak RSS is the largest of them. Builds nothing.
#
#   bash Benchmarks/helmet/run.sh
#   FATHOM=.build/release/fathom LENGTH=128k SAMPLES=20 REPEATS=3 bash Benchmarks/helmet/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
FATHOM="${FATHOM:-.build/release/fathom}"
TOKENIZER="${TOKENIZER:-Tests/Fixtures/tokenizers/llama3.tokenizer.json}"
LENGTH="${LENGTH:-128k}"
SAMPLES="${SAMPLES:-20}"
REPEATS="${REPEATS:-3}"
WARM="${WARM:-200}"

[ -x "$FATHOM" ] || { echo "no fathom binary at $FATHOM (build one: swift build -c release --product fathom; or set FATHOM)" >&2; exit 2; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| task | first sample ms | cold ms/sample | cold ratio | warm ms/sample | floor ms/sample | warm ratio | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for t in rag_single rag_multihop rerank cite_asqa cite_qampari longqa_qa longqa_choice summ_case icl_coarse icl_fine; do
    out=$(mktemp)
    for warmup in 1 "$WARM"; do
        for _ in $(seq "$REPEATS"); do
            /usr/bin/time -f "rss %M" -a -o "$out.rss" "$FATHOM" bench synthesis --task "helmet.$t" --length "$LENGTH" \
                --samples "$SAMPLES" --warmup "$warmup" --tokenizer "$TOKENIZER" | tail -1 >> "$out"
        done
    done
    python3 - "$out" "$out.rss" <<'PY'
import json, statistics, sys
figures = [json.loads(line) for line in open(sys.argv[1])]
rss = max(int(line.split()[1]) for line in open(sys.argv[2]) if line.startswith("rss"))
cold = [f for f in figures if f["warmup"] == 1]
warm = [f for f in figures if f["warmup"] != 1]
med = lambda fs, k: statistics.median(f[k] for f in fs)
print(f"| `{figures[0]['task']}` | {med(cold, 'first_sample_ms'):.0f} | {med(cold, 'cpu_ms_per_sample'):.1f} | "
      f"{med(cold, 'cpu_ratio_to_floor'):.1f}× | {med(warm, 'cpu_ms_per_sample'):.1f} | {med(warm, 'tokenizer_pass_cpu_ms_per_sample'):.1f} | "
      f"{med(warm, 'cpu_ratio_to_floor'):.1f}× | {rss // 1024} MB |")
PY
    rm -f "$out" "$out.rss"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
