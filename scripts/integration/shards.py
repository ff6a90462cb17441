#!/usr/bin/env python3
"""The cluster recipes, run locally: the exact commands of deploy/kubernetes/ and deploy/slurm/ as N local processes
against the fault-injecting server (scripts/integration/fault_server.py, a real HTTP server process), checked
against one unsharded run of the same plan.

- Kubernetes: the Indexed Job's container command (job.yaml) with its environment, the Secret's values pointing at
  the test server, JOB_COMPLETION_INDEX = 0..completions-1, each pod in its own folder (FATHOM_LAYOUT=per-shard, one
  volume per pod), then the merge Job's command (merge-job.yaml).
- Slurm: the array script itself (fathom.sbatch, its #SBATCH lines are comments to bash) with SLURM_ARRAY_TASK_ID =
  0..N-1 and SLURM_ARRAY_TASK_COUNT = N from its --array line, all tasks in one shared run folder, then merge.sbatch.

The suite, model and options are overridden for a small plan; the commands are the recipes'. Each merged run.json
must give results, by_axis and summary equal to the unsharded run's; every injected fault must be a failed sample
(never a score); the key must appear in no file. Prints "N passed, M failed" and exits non-zero on a failure.

    python3 scripts/integration/shards.py [--fathom .build/debug/fathom]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KEY = "fathom-test-key-4c1f9e"
results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition)))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f": {str(detail)[:2000]}"), flush=True)


def container(path):
    """The first container of a Job manifest: its command and its environment (secret references resolved by key)."""
    with open(os.path.join(ROOT, path)) as f:
        job = yaml.safe_load(f)
    spec = job["spec"]
    [box] = spec["template"]["spec"]["containers"][:1]
    env = {}
    for entry in box.get("env", []):
        if "value" in entry:
            env[entry["name"]] = str(entry["value"])
        else:
            env[entry["name"]] = ("secret", entry["valueFrom"]["secretKeyRef"]["key"])
    return spec, box["command"], env


def start(command, env, label):
    print(f"$ {label}: " + " ".join(command), flush=True)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process, label):
    out, err = process.communicate(timeout=600)
    check(f"{label} exits 0", process.returncode == 0, out[-1500:] + err[-1500:])
    return out


def run_folder(tree):
    found = sorted(glob.glob(os.path.join(tree, "**", "run.json"), recursive=True))
    return [os.path.dirname(path) for path in found]


def load(folder):
    with open(os.path.join(folder, "run.json")) as f:
        manifest = json.load(f)
    records = []
    for path in sorted(glob.glob(os.path.join(folder, "samples*.jsonl"))):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return manifest, records


def same_results(label, merged, whole):
    for key in ("results", "by_axis", "summary"):
        check(f"{label}: {key} equal the unsharded run's", merged[key] == whole[key],
              json.dumps(merged[key])[:800] + "\n  vs\n" + json.dumps(whole[key])[:800])
    check(f"{label}: status complete, no shard", merged["status"] == "complete" and merged.get("shard") is None,
          (merged["status"], merged.get("shard")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fathom", default=os.path.join(ROOT, ".build", "debug", "fathom"))
    args = parser.parse_args()
    fathom = os.path.abspath(args.fathom)
    work = tempfile.mkdtemp(prefix="fathom-shards-")
    started = time.time()

    server = subprocess.Popen([sys.executable, os.path.join(HERE, "fault_server.py"), "--stall", "3"],
                              stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline().split()[1])
    endpoint = f"http://127.0.0.1:{port}"
    secret = {"endpoint": endpoint, "api-key": KEY}
    # A small plan, the same for every run: the quick suite's six tasks at 2K, 8 samples each (48 samples).
    small = {
        "FATHOM": fathom,
        "FATHOM_SUITE": "quick",
        "FATHOM_MODEL": "fault-model",
        "FATHOM_ARGS": "--lengths 2k --samples 8 --tokenizer approx --max-attempts 2 --first-byte-timeout 1 --concurrency 4",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FATHOM", "JOB_COMPLETION", "SLURM_"))}
    try:
        # The unsharded reference: the same options as the shards' command line, without --shard.
        whole_out = os.path.join(work, "whole")
        command = [fathom, "run", "quick", "--model", "fault-model", "--endpoint", endpoint, "--api-key-env", "FATHOM_API_KEY",
                   "--out", whole_out, "--quiet", *small["FATHOM_ARGS"].split()]
        finish(start(command, {**base, "FATHOM_API_KEY": KEY}, "unsharded"), "unsharded run")
        [whole_folder] = run_folder(whole_out)
        whole, records = load(whole_folder)
        statuses = {r["status"] for r in records}
        classes = {r.get("error_class") for r in records if r["status"] == "error"}
        check("faults: errors and overflows are recorded", {"ok", "error", "overflow"} <= statuses, statuses)
        check("faults: 500s, timeouts and truncated bodies each seen", {"http_500", "timeout_first_byte", "truncated_body"} <= classes, classes)
        check("faults: a failed sample has no score", all(r.get("score") is None for r in records if r["status"] != "ok"))
        check("faults: transient 503/429 answered after a retry", any(r["status"] == "ok" and r["attempts"] == 2 for r in records))
        cells = whole["results"]
        check("faults: counted as failures in run.json",
              sum(c["n_error"] + c["n_overflow"] for c in cells) == sum(r["status"] in ("error", "overflow") for r in records) > 0)
        check("scores vary (some right, some wrong)", len({r.get("score") for r in records if r["status"] == "ok"}) > 1)

        # Kubernetes: the Indexed Job's command, one process per completion index, one folder per pod.
        spec, command, env = container("deploy/kubernetes/job.yaml")
        shards = spec["completions"]
        check("job.yaml: Indexed, FATHOM_SHARDS equals completions",
              spec.get("completionMode") == "Indexed" and env.get("FATHOM_SHARDS") == str(shards), (spec, env))
        resolved = {k: (secret[v[1]] if isinstance(v, tuple) else v) for k, v in env.items()}
        k8s_out = os.path.join(work, "k8s")
        pods = []
        for index in range(shards):
            pod_env = {**base, **resolved, **small, "FATHOM_LAYOUT": "per-shard", "FATHOM_OUT": k8s_out + "/runs",
                       "JOB_COMPLETION_INDEX": str(index)}
            pods.append(start(command, pod_env, f"pod {index}"))
        for index, pod in enumerate(pods):
            finish(pod, f"kubernetes pod {index}")
        check("kubernetes: one run folder per pod", len(run_folder(k8s_out + "/runs")) == shards, run_folder(k8s_out + "/runs"))
        _, command, env = container("deploy/kubernetes/merge-job.yaml")
        merge_env = {**base, **env, "FATHOM": fathom, "FATHOM_OUT": k8s_out + "/runs", "FATHOM_MERGED": k8s_out + "/merged"}
        out = finish(start(command, merge_env, "merge job"), "kubernetes merge job")
        check("kubernetes merge: reports the table", "ruler.niah_single_1" in out and "merged 4 run folder(s)" in out, out[-1500:])
        merged, merged_records = load(k8s_out + "/merged")
        same_results("kubernetes merged", merged, whole)
        check("kubernetes merged: every sample once", len(merged_records) == len({r["id"] for r in merged_records}) == len(records))

        # Slurm: the array script itself, one process per array task, every task in one shared run folder.
        sbatch = os.path.join(ROOT, "deploy/slurm/fathom.sbatch")
        with open(sbatch) as f:
            array = re.search(r"^#SBATCH --array=0-(\d+)$", f.read(), re.M)
        count = int(array.group(1)) + 1
        slurm_out = os.path.join(work, "slurm")
        tasks = []
        for index in range(count):
            task_env = {**base, **small, "FATHOM_ENDPOINT": endpoint, "FATHOM_API_KEY": KEY, "FATHOM_OUT": slurm_out + "/runs",
                        "SLURM_ARRAY_TASK_ID": str(index), "SLURM_ARRAY_TASK_COUNT": str(count)}
            tasks.append(start(["bash", "deploy/slurm/fathom.sbatch"], task_env, f"array task {index}"))
        for index, task in enumerate(tasks):
            finish(task, f"slurm array task {index}")
        folders = run_folder(slurm_out + "/runs")
        check("slurm: one shared run folder with every shard's journal",
              len(folders) == 1 and len(glob.glob(folders[0] + f"/samples.*-of-{count}.jsonl")) == count, folders)
        # A merge without one shard is partial and says which; --require-complete refuses it and writes nothing.
        lacking = subprocess.run([fathom, "merge", *run_folder(k8s_out + "/runs")[:-1], "--into", work + "/lacking"],
                                 capture_output=True, text=True)
        check("merge without shard 3: reports it", lacking.returncode == 0 and f"missing shards: {shards - 1}/{shards}" in lacking.stdout,
              lacking.stdout + lacking.stderr)
        strict = subprocess.run([fathom, "merge", *run_folder(k8s_out + "/runs")[:-1], "--into", work + "/strict", "--require-complete"],
                                capture_output=True, text=True)
        check("merge --require-complete without shard 3: fails, writes nothing",
              strict.returncode != 0 and not os.path.exists(work + "/strict"), strict.stderr)
        merge_env = {**base, "FATHOM": fathom, "FATHOM_OUT": slurm_out + "/runs", "FATHOM_MERGED": slurm_out + "/merged"}
        finish(start(["bash", "deploy/slurm/merge.sbatch"], merge_env, "merge.sbatch"), "slurm merge")
        merged, _ = load(slurm_out + "/merged")
        same_results("slurm merged", merged, whole)

        leaked = [p for p in glob.glob(work + "/**/*", recursive=True) if os.path.isfile(p) and KEY.encode() in open(p, "rb").read()]
        check("the API key is written nowhere", not leaked, leaked)
    finally:
        server.terminate()
        server.wait(timeout=30)

    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed ({time.time() - started:.0f} s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
