#!/usr/bin/env bash
# Regenerates leaderboard/ from
#   - the reference systems (oracle, null, retrieval), run here: `ruler-niah` (5 samples per task and length instead
#     of 500, to keep a debug build fast) and the real-model suites at the real-model settings
#     (scripts/real_models/settings.sh: `quick` and `holo` at 1K, 2K and 4K, 2 samples per cell);
#   - the real models' committed run folders in reference-runs/ (SmolLM2-135M-Instruct and Gemma 3 270M on
#     llama-server, made by scripts/real_models/reference_runs.sh; never re-run here).
# Deterministic: the reference runs are synthesized from fixed seeds, the committed runs are read from copies, and
# `fathom publish` writes no timestamps, so every invocation writes the same bytes.
#
#   scripts/publish_reference_leaderboard.sh            # rewrite leaderboard/
#   scripts/publish_reference_leaderboard.sh --check    # regenerate twice in a temp folder; diff with leaderboard/
#
# Environment: FATHOM=path/to/fathom uses that binary; otherwise it is built with
# `swift build --scratch-path "${SCRATCH_PATH:-.build}"`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${FATHOM:-}" ]]; then
    swift build --scratch-path "${SCRATCH_PATH:-.build}" -j "${JOBS:-1}" >&2
    FATHOM="${SCRATCH_PATH:-.build}/debug/fathom"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source scripts/real_models/settings.sh

generate() {  # generate OUT_DIR: the reference systems' runs and copies of the committed real-model runs, then publish
    local runs="$work/runs"
    if [[ ! -d "$runs" ]]; then
        for model in oracle null retrieval; do
            "$FATHOM" run ruler-niah --model "$model" --samples 5 --out "$runs" --quiet >&2
            for suite in $REAL_SUITES; do
                "$FATHOM" run "$suite" --model "$model" --lengths "$REAL_LENGTHS" --samples "$REAL_SAMPLES" --out "$runs" --quiet >&2
            done
        done
        # Copies: publishing may bring a run.json up to date with its journal, and must never touch the committed files.
        [[ -d "$REAL_RUNS" ]] && cp -R "$REAL_RUNS"/. "$runs"/
    fi
    local folders=()
    for suite in ruler-niah $REAL_SUITES; do folders+=("$runs/$suite"/*/*); done
    # Two capability probes: the needle tasks with several keys, values or queries, and the longest length.
    "$FATHOM" publish "${folders[@]}" --out "$1" --probe "several needles=task contains multi" --probe "4K only=length = 4k" >&2
}

if [[ "${1:-}" == "--check" ]]; then
    generate "$work/a"
    rm -rf "$work/runs"            # the second pass re-runs everything from scratch
    generate "$work/b"
    diff -r "$work/a" "$work/b"
    diff -r --exclude=README.md "$work/a" leaderboard
    # Cross-check the Swift-side schema validator with a full implementation when one is installed.
    if python3 -c 'import jsonschema' 2>/dev/null; then
        python3 - "$work/a" <<'PY'
import json, sys, jsonschema
root = sys.argv[1]
schema = json.load(open(root + "/schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(root + "/leaderboard.json")))
print("python jsonschema (draft 2020-12): leaderboard.json is valid")
PY
    else
        echo "python jsonschema not installed: schema validated by the Swift tests only"
    fi
    echo "leaderboard/ is up to date and regenerates byte-identically"
else
    mkdir -p leaderboard
    generate leaderboard
    echo "wrote leaderboard/"
fi
