#!/usr/bin/env python3
"""Text capability probes against a real embeddings endpoint: llama.cpp's llama-server started with `--embeddings
--pooling mean` on SmolLM2-135M (a causal model has no pooling of its own, and llama-server refuses pooling `none` on
/v1/embeddings), one compute thread. Model and server come from scripts/real_models/install.sh (PyPI packages, nothing
downloads at run time).

It makes fresh run folders of the reference systems (oracle, null, retrieval) on `quick` and `holo` at 1K and 2K
(2 samples per cell; seconds), then checks that `fathom rank --query` selects the database questions for a database
query and the needle questions for a needle query, reports per-model samples, the gate and Kendall tau-b, answers a
second time from the embeddings cache without changing, combines with --where, and refuses runs recorded without
question text (the committed reference-runs/) instead of dropping their samples. About a minute on 2 cores.
Prints "N passed, M failed".

    python3 scripts/integration/text_probe.py [--fathom .build/debug/fathom] [--cache DIR]
"""
import argparse
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from real_models import check, finish, install  # noqa: E402  (the same checks and installer as the real-model smoke)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(llama_server, model, log_path):
    port = free_port()
    command = [llama_server, "-m", model, "--embeddings", "--pooling", "mean", "-t", "1", "-c", "2048", "-b", "2048", "-ub", "2048",
               "--host", "127.0.0.1", "--port", str(port)]
    print("$ " + " ".join(command), flush=True)
    log = open(log_path, "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as r:
                if r.status == 200:
                    return process, url
        except Exception:
            time.sleep(0.5)
    process.kill()
    sys.exit("llama-server did not start: " + open(log_path).read()[-2000:])


def fathom_run(fathom, out, *args):
    command = [fathom, *args]
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, FATHOM_CACHE=os.path.join(out, "cache")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fathom", default=os.path.join(ROOT, ".build", "debug", "fathom"))
    parser.add_argument("--cache", default=None, help="install.sh's cache folder")
    args = parser.parse_args()
    fathom = os.path.abspath(args.fathom)
    smollm2, _, llama_server = install(args.cache)
    work = tempfile.mkdtemp(prefix="fathom-probe-")
    runs = os.path.join(work, "runs")
    for model in ("oracle", "null", "retrieval"):
        done = fathom_run(fathom, work, "run", "quick", "holo", "--model", model, "--lengths", "1k,2k", "--samples", "2", "--out", runs, "--quiet")
        check(f"{model}: run exits 0", done.returncode == 0, done.stderr[-500:])
    folders = sorted(glob.glob(os.path.join(runs, "*", "*", "*")))
    check("three run folders", len(folders) == 3, folders)

    server, url = start_server(llama_server, smollm2, os.path.join(work, "llama-server.log"))
    try:
        def probe(query, *extra):
            started = time.time()
            done = fathom_run(fathom, work, "rank", *folders, "--method", "mean", "--query", query, "--embeddings", url, "--top-k", "8",
                              "--json", *extra)
            check(f"'{query}' {' '.join(extra)}: exits 0", done.returncode == 0, done.stderr[-800:])
            return (json.loads(done.stdout) if done.returncode == 0 else None), time.time() - started

        tables, first_seconds = probe("rows of a database table: count, sum and group them")
        if tables:
            hits = tables["text"]["hits"]
            check("database query: 8 hits, all HoloBench questions", len(hits) == 8 and all(h["task"].startswith("holo.") for h in hits),
                  [h["task"] for h in hits])
            check("database query: 32 candidate samples compared", tables["text"]["candidates"] == 32, tables["text"]["candidates"])
            p = tables["probe"]
            check("database query: 8 samples per model", p["samples_per_model"] == {"oracle": 8, "null": 8, "retrieval": 8}, p["samples_per_model"])
            check("database query: 16 comparisons per model", p["comparisons_per_model"] == {"oracle": 16, "null": 16, "retrieval": 16},
                  p["comparisons_per_model"])
            order = [(r["model"], r["rank"]) for r in p["ranking"]["ranking"]]
            # Retrieval, second globally (it finds needles), cannot answer a database question: it ties null there.
            check("database query: oracle first, retrieval tied with null", order[0] == ("oracle", 1) and sorted(order[1:]) == [("null", 2), ("retrieval", 2)], order)
            check("database query: tau-b against the global ranking below 1", p.get("kendall_tau_b") is not None and p["kendall_tau_b"] < 1,
                  p.get("kendall_tau_b"))
            check("database query: the gate flags the unbeaten oracle", p["identifiable"] is False and p["undefeated"] == ["oracle"], p["undefeated"])
        needles, _ = probe("a special magic number hidden in a long text")
        if needles:
            hits = needles["text"]["hits"]
            check("needle query: 8 hits, all needle questions", len(hits) == 8 and all("niah" in h["task"] for h in hits), [h["task"] for h in hits])
            top = [r["model"] for r in needles["probe"]["ranking"]["ranking"] if r["rank"] == 1]
            check("needle query: retrieval ties the oracle", sorted(top) == ["oracle", "retrieval"], top)
        again, cached_seconds = probe("rows of a database table: count, sum and group them")
        if tables and again:
            check("the embeddings cache gives the same selection", again["text"]["hits"] == tables["text"]["hits"])
            check(f"the embeddings cache is faster ({cached_seconds:.1f} s against {first_seconds:.1f} s)", cached_seconds < first_seconds)
        both, _ = probe("rows of a database table: count, sum and group them", "--where", "query_type = comparison")
        if both:
            check("with --where: candidates are the comparison queries only", both["text"]["candidates"] < 32
                  and all(h["task"].startswith("holo.") for h in both["text"]["hits"]), both["text"])
        # Copies: ranking may bring a run.json up to date with its journal, and must never touch the committed files.
        shutil.copytree(os.path.join(ROOT, "reference-runs"), os.path.join(work, "reference-runs"))
        committed = sorted(glob.glob(os.path.join(work, "reference-runs", "quick", "*", "*")))
        done = fathom_run(fathom, work, "rank", *committed, "--method", "mean", "--query", "magic number", "--embeddings", url)
        check("runs recorded without question text: a clear error, no silent drop", done.returncode != 0 and "no question text" in done.stderr,
              done.stderr[-500:])
        bad = fathom_run(fathom, work, "rank", *folders, "--method", "mean", "--where", "qtype = join")
        check("an unknown field lists the known ones", bad.returncode != 0 and "query_type" in bad.stderr, bad.stderr[-500:])
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    shutil.rmtree(work, ignore_errors=True)

    finish()


if __name__ == "__main__":
    main()
