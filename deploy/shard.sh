#!/bin/sh
# One shard of a Fathom run on a batch engine: a Kubernetes Indexed Job pod or a Slurm array task. The recipes in
# deploy/kubernetes/ and deploy/slurm/ run exactly this, and scripts/integration/shards.py runs it as N local processes.
#
# The shard index comes from JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm) through `--shard auto/N`.
# Settings, from the environment:
#   FATHOM_SUITE     suites or tasks to run, space-separated (e.g. "ruler")                      required
#   FATHOM_MODEL     the served model's name                                                       required
#   FATHOM_ENDPOINT  the server's base URL (e.g. http://vllm:8000); several, space-separated     required
#   FATHOM_SHARDS    N, the number of shards (default: SLURM_ARRAY_TASK_COUNT on Slurm)           required elsewhere
#   FATHOM_OUT       output folder (default: results)
#   FATHOM_LAYOUT    shared: every shard writes into one run folder under FATHOM_OUT (a shared volume or filesystem);
#                    per-shard: shard I writes under FATHOM_OUT/shard-I (one volume per pod, or copies merged later).
#                    Default: shared.
#   FATHOM_API_KEY   the key, when the server needs one (read by fathom from this variable; never printed)
#   FATHOM_ARGS      further `fathom run` options, e.g. "--lengths 4k,8k --samples 100 --tokenizer /models/tokenizer.json"
#   FATHOM           the fathom binary (default: fathom on PATH)
# Re-running a shard resumes it: finished samples are skipped.
set -eu

: "${FATHOM_SUITE:?set FATHOM_SUITE to the suites or tasks to run}"
: "${FATHOM_MODEL:?set FATHOM_MODEL to the served model name}"
: "${FATHOM_ENDPOINT:?set FATHOM_ENDPOINT to the server base URL}"
shards="${FATHOM_SHARDS:-${SLURM_ARRAY_TASK_COUNT:-}}"
: "${shards:?set FATHOM_SHARDS to the number of shards}"
index="${JOB_COMPLETION_INDEX:-${SLURM_ARRAY_TASK_ID:-}}"
: "${index:?no JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID: run this as an Indexed Job pod or a Slurm array task}"
out="${FATHOM_OUT:-results}"
case "${FATHOM_LAYOUT:-shared}" in
  shared) ;;
  per-shard) out="$out/shard-$index" ;;
  *) echo "FATHOM_LAYOUT must be shared or per-shard, not '$FATHOM_LAYOUT'" >&2; exit 2 ;;
esac

set --
for endpoint in $FATHOM_ENDPOINT; do set -- "$@" --endpoint "$endpoint"; done
if [ -n "${FATHOM_API_KEY:-}" ]; then set -- "$@" --api-key-env FATHOM_API_KEY; fi

# shellcheck disable=SC2086 # FATHOM_SUITE and FATHOM_ARGS are word lists
exec "${FATHOM:-fathom}" run $FATHOM_SUITE --model "$FATHOM_MODEL" "$@" --shard "auto/$shards" --out "$out" --quiet ${FATHOM_ARGS:-}
