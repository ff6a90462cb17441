#!/usr/bin/env bash
# Builds and tests Examples/SwiftPlugin as an outside package would (its own build folder, Fathom as a path
# dependency), then runs its own `fathom`: list, and a run of example.lines on the oracle.
#
# Not in .ci/run: the package builds every dependency of Fathom a second time. Measured 2026-12-04 on the 2-core
# machine, niced, while other builds kept the load at 10-14: dependencies about 30 min, then Fathom's modules, the
# example and its test 8 min (494 s), the test itself 1.8 s. CI covers the same code more cheaply: `swift test` compiles
# the example's plugin (Tests/FathomCLITests/ExampleLines.swift is a symlink to it) and runs it through the
# conformance kit, and checks the package's other files are what `fathom new-task --kind swift` writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${SCRATCH:-/tmp/fathom-swift-example}"
swift build --build-tests --package-path Examples/SwiftPlugin --scratch-path "$scratch"
swift test --skip-build --package-path Examples/SwiftPlugin --scratch-path "$scratch"
fathom="$scratch/debug/fathom-example-lines"
"$fathom" list | grep -q '^example.lines '
"$fathom" run example.lines --model oracle --lengths 4k --samples 3 --out "$(mktemp -d)" --quiet
