#!/usr/bin/env bash
# LongProc at the 8K output level: synthesis and scoring times, each against one tokenizer pass. Uses the
# benchmark-only manifests in tasks8k/ beside this file (every sample at level 8000). Builds nothing.
#
#   bash Benchmarks/longproc/run.sh
#   FATHOM=.build/release/fathom LENGTH=32k SAMPLES=10 bash Benchmarks/longproc/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
FATHOM="${FATHOM:-.build/release/fathom}"
TOKENIZER="${TOKENIZER:-Tests/Fixtures/tokenizers/llama3.tokenizer.json}"
LENGTH="${LENGTH:-32k}"
SAMPLES="${SAMPLES:-10}"
REPEATS="${REPEATS:-3}"
TASKS=Benchmarks/longproc/tasks8k

[ -x "$FATHOM" ] || { echo "no fathom binary at $FATHOM (build one: swift build -c release --product fathom; or set FATHOM)" >&2; exit 2; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in html_to_tsv pseudo_to_code path_traversal tom_tracking countdown travel_planning; do
    "$FATHOM" bench synthesis --tasks "$TASKS" --task "longproc8k.$t" --length "$LENGTH" --samples "$SAMPLES" --tokenizer "$TOKENIZER"
    "$FATHOM" bench scoring --tasks "$TASKS" --task "longproc8k.$t" --length "$LENGTH" --samples "$SAMPLES" --repeats "$REPEATS" \
        --tokenizer "$TOKENIZER" --allow-exec
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
