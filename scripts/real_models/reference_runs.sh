#!/usr/bin/env bash
# Runs the two real models of this machine (SmolLM2-135M-Instruct on the chat route, Gemma 3 270M base on the
# completions route, both on llama.cpp's llama-server started by Fathom) over the reference leaderboard's suites,
# and keeps their run folders in reference-runs/ (run.json and samples.jsonl; no lock, no engine log), where
# scripts/publish_reference_leaderboard.sh reads them. Token counts are the server's own (the default against an
# engine), so every length is exact in each model's tokenizer.
#
#   scripts/real_models/reference_runs.sh            # all suites, both models (resumes: finished samples are kept)
#   SUITES=quick MODELS=smollm2 scripts/real_models/reference_runs.sh
#
# On 2 cores SmolLM2 prefills about 110 tokens/s and Gemma 3 about half that, so one suite of 6 tasks at
# 1K+2K+4K with 2 samples per cell (86K prompt tokens) takes about 15 minutes on SmolLM2 on a quiet machine.
# Models and server come from scripts/real_models/install.sh (nothing downloads at run time).
set -euo pipefail
cd "$(dirname "$0")/../.."

FATHOM="${FATHOM:-.build/debug/fathom}"
# The leaderboard's real-model settings, shared with the publish script (which runs the reference systems with them).
source scripts/real_models/settings.sh
SUITES="${SUITES:-$REAL_SUITES}"
MODELS="${MODELS:-smollm2 gemma3}"
OUT="$REAL_RUNS"

eval "$(bash scripts/real_models/install.sh | grep -E '^[A-Z0-9_]+=')"
export PATH="$(dirname "$LLAMA_SERVER"):$PATH"

for suite in $SUITES; do
    for model in $MODELS; do
        case "$model" in
            smollm2) args=(--model SmolLM2-135M-Instruct --engine llama-server --engine-model "$SMOLLM2_GGUF") ;;
            gemma3) args=(--model gemma-3-270m --engine llama-server --engine-model "$GEMMA3_GGUF" --prefix-mode completion --chat-template none) ;;
            *) echo "reference_runs.sh: unknown model '$model' (smollm2 or gemma3)" >&2; exit 2 ;;
        esac
        # One compute thread: on a shared 2-core machine llama.cpp's two-thread barrier made decoding 30x slower.
        args+=(--engine-arg=-t --engine-arg=1)
        echo "[reference_runs] $suite × $model ($(date -u +%H:%M:%S))" >&2
        "$FATHOM" run "$suite" "${args[@]}" --lengths "$REAL_LENGTHS" --samples "$REAL_SAMPLES" --out "$OUT" --health-timeout 600
    done
done
# Machine-local files stay out of the committed folders.
find "$OUT" \( -name '*.lock' -o -name 'engine.log' -o -name '.*.lock' \) -delete
echo "[reference_runs] done: $(find "$OUT" -name run.json | wc -l) run folders in $OUT/" >&2
