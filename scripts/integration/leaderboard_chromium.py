#!/usr/bin/env python3
"""Headless-browser check of the static leaderboard page (issue 6).

Renders index.html in headless Chromium (`--dump-dom`, so the page's own script has run) and checks:
  * every model of leaderboard.json appears as text in the rendered DOM, in the main table and the ranking table;
  * no script injection: the DOM holds exactly the page's two <script> elements, no on* attributes, and a model
    named `<script>alert(1)</script>` is shown literally as text;
  * the page needs no network: no http(s) URL in a src/href attribute, only inline SVG;
  * the page's script ran (it fills the ranking table from the embedded JSON);
  * every capability probe of leaderboard.json (`fathom publish --probe`) has its table, holding each model it
    measured and the tau-b footer, under its name shown as text (a hostile probe name too).

Pages checked: the committed leaderboard/ (or --leaderboard DIR), and a page published from fabricated runs that
include a hostile model name (needs the fathom binary: --fathom PATH, $FATHOM, or .build/debug/fathom).
Installs nothing: CI runs `apt-get install chromium`. Last line: "N passed, M failed"; exit status 1 on failure.
"""
import argparse
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

HOSTILE = "<script>alert(1)</script>"
HOSTILE_PROBE = "<i>long</i> & \"quoted\""
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))


class DOM(html.parser.HTMLParser):
    """Collects visible text, script elements, event-handler attributes and URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.scripts, self.handlers, self.urls = [], [], [], [], []
        self.by_id, self.current_ids = {}, []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        for k, v in attrs.items():
            if k.lower().startswith("on"):
                self.handlers.append((tag, k))
            if k.lower() in ("src", "href", "xlink:href", "action") and v and ("://" in v or v.startswith("//")):
                self.urls.append(v)
        ident = attrs.get("id") or ("probe:" + attrs["data-probe"] if "data-probe" in attrs else None)
        if ident:
            self.current_ids.append((ident, len(self.stack)))
            self.by_id[ident] = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        while self.current_ids and self.current_ids[-1][1] >= len(self.stack):
            self.current_ids.pop()
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("script", "style"):
            return
        self.text.append(data)
        for ident, _ in self.current_ids:
            self.by_id[ident].append(data)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def render(browser, page, extra=()):
    profile = tempfile.mkdtemp(prefix="board-chromium-")
    try:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
               "--virtual-time-budget=3000", *extra, "file://" + os.path.abspath(page)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=45)
            return proc.returncode, out, err
        except subprocess.TimeoutExpired:
            # A page that calls alert() blocks headless Chromium on the modal dialog: treat a hang as a failure.
            os.killpg(proc.pid, 9)  # the browser and its helpers only: the session this script started
            proc.communicate()
            return -1, "", "chromium did not finish within 45 s (an alert() dialog or a hung script blocks the page)"
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def check_page(browser, folder, label, screenshot=None):
    page = os.path.join(folder, "index.html")
    with open(os.path.join(folder, "leaderboard.json"), encoding="utf-8") as f:
        board = json.load(f)
    models = [m["name"] for m in board["models"]]
    code, dom_text, err = render(browser, page, ["--dump-dom"])
    check(f"{label}: chromium renders the page", code == 0 and "<table" in dom_text, err[-500:])
    dom = DOM()
    dom.feed(dom_text)
    text = "".join(dom.text)
    main = "".join(dom.by_id.get("main-table", []))
    ranking = "".join(dom.by_id.get("ranking-body", []))
    for name in models:
        check(f"{label}: model {name!r} appears as text", name in text)
        check(f"{label}: model {name!r} is in the main table", name in main)
        check(f"{label}: model {name!r} is in the ranking table", name in ranking)
    for probe in board.get("probes", []):
        table = "".join(dom.by_id.get("probe:" + probe["name"], []))
        check(f"{label}: probe {probe['name']!r} is shown by name", probe["name"] in text)
        check(f"{label}: probe {probe['name']!r} has its table with the tau-b footer", "τ vs all" in table, table[:200])
        measured = next((r["result"]["samples_per_model"] for r in probe["results"] if r.get("result")), {})
        check(f"{label}: probe {probe['name']!r} measured every model", sorted(measured) == sorted(models), measured)
        for name in measured:
            check(f"{label}: model {name!r} is in probe {probe['name']!r}'s table", name in table)
    check(f"{label}: the page script ran (allowed by its CSP hash)", 'data-script="ran"' in dom_text)
    check(f"{label}: exactly the page's two script elements", len(dom.scripts) == 2, str(dom.scripts))
    check(f"{label}: no event-handler attributes", not dom.handlers, str(dom.handlers))
    check(f"{label}: the scripts are the inline data block and the inline page script",
          [sorted(a.items()) for a in dom.scripts] == [[("id", "leaderboard-data"), ("type", "application/json")], []],
          str(dom.scripts))
    check(f"{label}: no network URL in src/href", not dom.urls, str(dom.urls[:5]))
    with open(page, encoding="utf-8") as f:
        raw = f.read()
    check(f"{label}: charts are inline SVG", "<svg" in raw and "<img" not in raw)
    if screenshot:
        code, _, err = render(browser, page, [f"--screenshot={screenshot}", "--window-size=1280,900", "--hide-scrollbars"])
        check(f"{label}: screenshot written", code == 0 and os.path.exists(screenshot), err[-300:])
    return models


def fabricate_runs(root):
    """Two small run folders (schema_version 1), one of a hostile model name."""
    folders = []
    for model, pattern in ((HOSTILE, [1, 1, 0, 1]), ("plain-model", [0, 1, 1, 0]), ("third & <b>bold</b>", [0, 0, 1, 1])):
        folder = os.path.join(root, "mini", str(len(folders)), "run")
        os.makedirs(folder)
        samples, results = [], []
        for length in (4096, 8192):
            scores = [pattern[(i + length // 4096) % 4] for i in range(4)]
            for i, s in enumerate(scores):
                samples.append({"id": f"s-{length}-{i}", "task": "niah.grid", "length": length, "index": i, "prompt_hash": "p",
                                "prompt_tokens": 10, "response": "", "latency_ms": 0, "status": "ok", "attempts": 1,
                                "score": s, "truncated": False, "prompt_tokens_mismatch": False, "cached": False})
            results.append({"task": "niah.grid", "length": length, "n": 4, "n_ok": 4, "n_error": 0, "n_overflow": 0,
                            "n_missing": 0, "n_truncated_output": 0, "score": sum(scores) / 4, "metrics": {}})
        run = {"schema_version": 1, "status": "complete", "run_id": f"run{len(folders)}",
               "framework": {"name": "fathom", "version": "0.1.0", "git_commit": "x"},
               "suite": {"name": "mini", "lengths": [4096, 8192]},
               "tasks": [{"name": "niah.grid", "params": {"values": {"depth_mode": "linear", "depth_points": 4}},
                          "tags": {"family": "synthetic-recall"}}],
               "model": {"name": model, "kind": "reference"}, "results": results,
               "summary": {"by_length": {"4k": results[0]["score"], "8k": results[1]["score"]}, "mean": 0.5, "headline": "mean"}}
        # The journal first: a journal newer than run.json would make publish rebuild run.json from it.
        with open(os.path.join(folder, "samples.jsonl"), "w", encoding="utf-8") as f:
            f.write("".join(json.dumps(s) + "\n" for s in samples))
        with open(os.path.join(folder, "run.json"), "w", encoding="utf-8") as f:
            json.dump(run, f)
        folders.append(folder)
    return folders


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leaderboard", default=os.path.join(repo, "leaderboard"))
    ap.add_argument("--fathom", default=os.environ.get("FATHOM", os.path.join(repo, ".build", "debug", "fathom")))
    ap.add_argument("--screenshot", help="also save a 1280x900 screenshot of the committed page here")
    args = ap.parse_args()

    browser = chromium_binary()
    check("chromium is installed", browser is not None, "install it: apt-get install chromium")
    if browser:
        check_page(browser, args.leaderboard, "committed leaderboard", args.screenshot)
        check("fathom binary exists", os.path.exists(args.fathom), args.fathom)
        if os.path.exists(args.fathom):
            with tempfile.TemporaryDirectory(prefix="board-hostile-") as tmp:
                runs = fabricate_runs(tmp)
                out = os.path.join(tmp, "site")
                proc = subprocess.run([args.fathom, "publish", *runs, "--out", out, "--bootstrap", "10",
                                       "--probe", HOSTILE_PROBE + "=length >= 8k"], capture_output=True, text=True)
                check("fathom publish of the hostile runs", proc.returncode == 0, proc.stderr[-500:])
                if proc.returncode == 0:
                    models = check_page(browser, out, "hostile page")
                    check("hostile page: the hostile name is one of the models", HOSTILE in models)
                    with open(os.path.join(out, "leaderboard.json"), encoding="utf-8") as f:
                        probes = [p["name"] for p in json.load(f).get("probes", [])]
                    check("hostile page: the hostile probe is published", probes == [HOSTILE_PROBE], probes)
    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
