#!/usr/bin/env python3
"""Integration test against a real server nobody here wrote: llama-cpp-python's OpenAI-compatible server.

It writes a tiny random-weight GGUF, lets `fathom run --engine llama-cpp-python` start the server on a free loopback
port, runs a small suite through both routes (chat and completions), checks the recorded usage against the
server's own tokenizer, and checks that a prompt over the server's n_ctx comes back as `overflow`, never retried.
Prints a closing line "N passed, M failed" and exits non-zero on any failure.

    python3 scripts/integration/llama_cpp_python.py [--fathom .build/debug/fathom]
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


def run_fathom(fathom, out, *args):
    command = [fathom, "run", *args, "--out", out, "--quiet", "--health-timeout", "300"]
    print("$ " + " ".join(command), flush=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", flush=True)
    return done


def load_run(out):
    [run_json] = glob.glob(os.path.join(out, "*", "*", "*", "run.json"))
    folder = os.path.dirname(run_json)
    with open(run_json) as f:
        manifest = json.load(f)
    with open(os.path.join(folder, "samples.jsonl")) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return folder, manifest, records


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fathom", default=os.path.join(ROOT, ".build", "debug", "fathom"))
    args = parser.parse_args()
    from llama_cpp import Llama  # the server's own tokenizer, for the usage check

    work = tempfile.mkdtemp(prefix="fathom-llama-")
    model = os.path.join(work, "tiny.gguf")
    tokenizer = os.path.join(work, "tiny.tokenizer.json")
    subprocess.run([sys.executable, os.path.join(HERE, "make_tiny_gguf.py"), model, tokenizer], check=True)
    vocab = Llama(model_path=model, vocab_only=True, verbose=False)

    # chat-user: the chat template comes from the GGUF (--engine-model), so Fathom counts the rendered template.
    # completion: plain text. completion-template: the template's text sent raw, its BOS left to the server.
    for mode in ("chat-user", "completion", "completion-template"):
        out = os.path.join(work, mode)
        extra = ["--prefix-mode", "completion", "--chat-template-completions"] if mode == "completion-template" else ["--prefix-mode", mode]
        done = run_fathom(
            args.fathom, out, "ruler.niah_single_2", "ruler.niah_multikey_2", "--model", "tiny", "--engine", "llama-cpp-python",
            "--engine-model", model, "--lengths", "1k", "--samples", "3", "--concurrency", "2", "--tokenizer", tokenizer, *extra,
            # Headroom: llama-cpp-python answers 500 "llama_decode returned 1" when prompt + generation nearly fill n_ctx.
            "--context-limit", "1280")
        check(f"{mode}: run exits 0", done.returncode == 0, done.stderr[-500:])
        if done.returncode != 0:
            continue
        folder, manifest, records = load_run(out)
        check(f"{mode}: run complete", manifest["status"] == "complete", manifest["status"])
        check(f"{mode}: 6 records, all ok", len(records) == 6 and all(r["status"] == "ok" for r in records),
              [(r["status"], r.get("error")) for r in records])
        check(f"{mode}: every result has n_ok == n", all(c["n_ok"] == c["n"] == 3 for c in manifest["results"]), manifest["results"])
        probe = manifest["backend"]["probes"][0]
        check(f"{mode}: probed as llama-cpp-python", probe["server_kind"] == "llama-cpp-python", probe)
        check(f"{mode}: engine log kept", os.path.getsize(os.path.join(folder, "engine.log")) > 0)
        check(f"{mode}: engine recorded", manifest["backend"]["engine"]["kind"] == "llama-cpp-python")
        for r in records:
            usage = r.get("usage") or {}
            # llama-cpp-python reports completion_tokens above max_tokens for this model's byte-noise output (it
            # does not count generated tokens there), so only the lower bounds are checked.
            ok = usage.get("prompt_tokens", 0) > 0 and usage.get("completion_tokens", 0) >= 1
            if r.get("finish_reason") == "length":
                ok = ok and usage["completion_tokens"] >= 128 and r["truncated"]
            check(f"{mode}: usage of {r['id']} is recorded", ok, usage)
        template = manifest["tokenizer"].get("chat_template")
        if mode == "completion":
            check("completion: plain prompts without --chat-template-completions", manifest["tokenizer"]["renderer"] == "plain", manifest["tokenizer"])
        else:
            check(f"{mode}: the GGUF's chat template is recorded", template is not None and template["source"] == model
                  and template["style"] == "transformers", manifest["tokenizer"])
            for r in records:
                # Fathom counted the rendered template (its BOS once); the server reports what it tokenized.
                check(f"{mode}: Fathom's count of {r['id']} equals the server's (chat template, one BOS)",
                      r["prompt_tokens"] == (r.get("usage") or {}).get("prompt_tokens") and not r["prompt_tokens_mismatch"],
                      (r["prompt_tokens"], (r.get("usage") or {}).get("prompt_tokens")))
                check(f"{mode}: {r['id']} obeys the length rule", 1024 - 64 <= r["prompt_tokens"] + 128 <= 1024, r["prompt_tokens"])
        if mode == "completion":
            export = subprocess.run([args.fathom, "export", "ruler.niah_single_2", "ruler.niah_multikey_2", "--lengths", "1k", "--samples", "3",
                                     "--tokenizer", tokenizer],
                                    cwd=ROOT, capture_output=True, text=True, check=True)
            prompts = {json.loads(line)["id"]: json.loads(line)["prompt_text"] for line in export.stdout.splitlines()}
            for r in records:
                expected = len(vocab.tokenize(prompts[r["id"]].encode("utf-8"), add_bos=True, special=False))
                check(f"completion: server prompt_tokens of {r['id']} equal its tokenizer's count",
                      r["usage"]["prompt_tokens"] == expected, (r["usage"]["prompt_tokens"], expected))
                check(f"completion: Fathom's count of {r['id']} equals the server's (exact lengths)",
                      r["prompt_tokens"] == r["usage"]["prompt_tokens"] and not r["prompt_tokens_mismatch"],
                      (r["prompt_tokens"], r["usage"]["prompt_tokens"]))

    # --tokenizer endpoint: lengths counted by the server's own tokenize route (llama-cpp-python's /extras/tokenize).
    import socket
    import time
    import urllib.request
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                               "--port", str(port), "--n_ctx", "1400"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if server.poll() is not None:  # the server died: say so now instead of waiting out Fathom's health timeout
                break
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        check("endpoint tokenizer: server started", server.poll() is None, f"exit code {server.poll()}")
        out = os.path.join(work, "endpoint-tokenizer")
        done = run_fathom(args.fathom, out, "ruler.niah_single_1", "ruler.niah_multikey_2", "--model", "tiny",
                          "--endpoint", f"http://127.0.0.1:{port}", "--tokenizer", "endpoint", "--prefix-mode", "completion",
                          "--lengths", "1k", "--samples", "3")
        check("endpoint tokenizer: run exits 0", done.returncode == 0, done.stderr[-500:])
        if done.returncode == 0:
            _, manifest, records = load_run(out)
            check("endpoint tokenizer: recorded in run.json", manifest["tokenizer"]["name"] == "endpoint:llama-cpp-python", manifest["tokenizer"])
            for r in records:
                check(f"endpoint tokenizer: Fathom's count of {r['id']} equals the server's",
                      r["status"] == "ok" and r["prompt_tokens"] == r["usage"]["prompt_tokens"],
                      (r["status"], r["prompt_tokens"], (r.get("usage") or {}).get("prompt_tokens")))
                check(f"endpoint tokenizer: {r['id']} obeys the length rule",
                      1024 - 64 <= r["prompt_tokens"] + 128 <= 1024, r["prompt_tokens"])
    finally:
        server.terminate()
        server.wait(timeout=30)

    # A server whose n_ctx (512) is smaller than the prompts: overflow, one attempt, never scored.
    out = os.path.join(work, "overflow")
    command = f"python3 -m llama_cpp.server --model {model} --host 127.0.0.1 --port {{port}} --n_ctx 512"
    done = run_fathom(args.fathom, out, "ruler.niah_single_1", "--model", "tiny", "--engine", f"command:{command}",
                      "--lengths", "2k", "--samples", "2")
    check("overflow: run exits 0", done.returncode == 0, done.stderr[-500:])
    if done.returncode == 0:
        _, manifest, records = load_run(out)
        check("overflow: every sample is overflow", len(records) == 2 and all(r["status"] == "overflow" for r in records),
              [(r["status"], r.get("error")) for r in records])
        check("overflow: never retried", all(r["attempts"] == 1 for r in records), [r["attempts"] for r in records])
        check("overflow: not scored", all(r.get("score") is None for r in records))
        # Every failure counts as 0 in the cell's headline; the ok-only mean has nothing to average.
        check("overflow: counted", manifest["results"][0]["n_overflow"] == 2 and manifest["results"][0].get("score") == 0
              and manifest["results"][0].get("score_ok") is None, manifest["results"])

    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
