#!/usr/bin/env bash
# Regenerates leaderboard/ from the reference systems' runs (oracle and null) of `quick` (its full 10 samples) and
# `ruler-niah` (5 samples per task and length instead of 500, to keep a debug build fast). Deterministic: the
# runs are synthesized from fixed seeds and `fathom publish` writes no timestamps, so every invocation writes the
# same bytes.
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

generate() {  # generate OUT_DIR: the four reference runs, then publish
    local runs="$work/runs"
    if [[ ! -d "$runs" ]]; then
        for model in oracle null; do
            "$FATHOM" run quick --model "$model" --out "$runs" --quiet >&2
            "$FATHOM" run ruler-niah --model "$model" --samples 5 --out "$runs" --quiet >&2
        done
    fi
    "$FATHOM" publish "$runs"/quick/*/* "$runs"/ruler-niah/*/* --out "$1" >&2
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
