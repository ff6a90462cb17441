#!/bin/sh
# After every shard finished: merge the run folders found under FATHOM_OUT (both layouts of shard.sh) into one fresh run
# folder, FATHOM_MERGED (default: FATHOM_OUT/../merged), and print its results. The recipes run exactly this.
#   FATHOM_OUT       the shards' output folder (default: results)
#   FATHOM_MERGED    the merged run folder, which must not exist yet
#   FATHOM_MERGE_ARGS further `fathom merge` options (e.g. --require-complete)
#   FATHOM           the fathom binary (default: fathom on PATH)
set -eu
out="${FATHOM_OUT:-results}"
merged="${FATHOM_MERGED:-$out/../merged}"
fathom="${FATHOM:-fathom}"
# shellcheck disable=SC2086 # FATHOM_MERGE_ARGS is a word list
"$fathom" merge "$out" --into "$merged" ${FATHOM_MERGE_ARGS:-}
exec "$fathom" report "$merged"
