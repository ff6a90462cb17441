#!/usr/bin/env python3
"""Peer benchmark for `fathom bench rank`: fit the same sparse data with choix.

    swift build -c release -j 1 --product fathom        (dev package; in /work/main: fathom bench rank)
    .build/release/fathom --repeats 5 --emit-csv /tmp/rank-bench.csv --emit-fit /tmp/rank-bench-fit.json
    python3 scripts/rank/bench_choix.py /tmp/rank-bench.csv /tmp/rank-bench-fit.json --repeats 5

Reads the measurements CSV written by the Swift bench, breaks every sample into
all pairs with pandas (a tie adds one win each way, ONEBench's `both-win`), fits
`choix.ilsr_pairwise_dense(W, alpha=0, max_iter=100, tol=1e-8)` (ONEBench's call)
and prints JSON timings (best of N). Asserts that the win matrix equals the Swift
one exactly and that the parameters agree (max |dtheta| < 1e-6).
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import choix


def break_pairs(df, models):
    index = {m: i for i, m in enumerate(models)}
    df = df.assign(m=df["model"].map(index).astype(np.int64), key=df["task"] + "\x1f" + df["sample"].astype(str))
    pairs = df[["key", "m", "score"]].merge(df[["key", "m", "score"]], on="key", suffixes=("_a", "_b"))
    pairs = pairs[pairs["m_a"] != pairs["m_b"]]
    n = len(models)
    W = np.zeros((n, n))
    win = pairs[pairs["score_a"] > pairs["score_b"]]
    np.add.at(W, (win["m_a"].to_numpy(), win["m_b"].to_numpy()), 1.0)
    tie = pairs[pairs["score_a"] == pairs["score_b"]]   # both directions appear once each
    np.add.at(W, (tie["m_a"].to_numpy(), tie["m_b"].to_numpy()), 1.0)
    return W


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("fit_json")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    swift = json.load(open(args.fit_json))
    models = swift["models"]
    n = len(models)
    W_swift = np.asarray(swift["wins"], dtype=float).reshape(n, n)
    theta_swift = np.asarray(swift["theta"])

    t0 = time.perf_counter()
    df = pd.read_csv(args.csv, dtype={"model": str, "task": str, "sample": str, "score": float})
    t_read = time.perf_counter() - t0

    best_break, best_fit = float("inf"), float("inf")
    theta = None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        W = break_pairs(df, models)
        best_break = min(best_break, time.perf_counter() - t0)
        t0 = time.perf_counter()
        theta = choix.ilsr_pairwise_dense(W, alpha=swift["alpha"], max_iter=100, tol=swift["tolerance"])
        best_fit = min(best_fit, time.perf_counter() - t0)

    assert np.array_equal(W, W_swift), "win matrices differ: %g" % np.abs(W - W_swift).max()
    theta = theta - theta.mean()
    diff = float(np.abs(theta - theta_swift).max())
    assert diff < 1e-6, diff
    print(json.dumps({
        "choix_version": __import__("importlib.metadata").metadata.version("choix"),
        "numpy_version": np.__version__, "pandas_version": pd.__version__,
        "models": n, "measurements": int(len(df)), "pairs_incl_ties": float(W.sum() - np.trace(W)),
        "repeats": args.repeats,
        "seconds_best": {"read_csv": t_read, "breaking_pandas": best_break, "fit_ilsr_pairwise_dense": best_fit},
        "max_abs_theta_diff_vs_swift": diff,
    }, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
