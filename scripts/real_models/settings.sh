# Settings of the reference leaderboard's real-model runs (sourced by reference_runs.sh and by
# scripts/publish_reference_leaderboard.sh, which runs oracle, null and retrieval with the same ones).
REAL_SUITES="quick holo"
REAL_LENGTHS="1k,2k,4k"
REAL_SAMPLES=2
REAL_RUNS=reference-runs
