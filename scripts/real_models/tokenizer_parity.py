#!/usr/bin/env python3
"""Token-id parity between `fathom tokenize --tokenizer MODEL.gguf` and llama.cpp's llama-server `/tokenize`.

For each model it starts llama-server on a loopback port (`-c 512`), sends every text to `/tokenize` with
`add_special` false and true (`parse_special` is the server's default, true), runs
`fathom tokenize --batch [--add-special] --tokenizer MODEL.gguf` on the same texts, and compares. It prints
the texts matched per model and mode, and exits 1 on any difference. Stdlib only.

    eval "$(scripts/real_models/install.sh)"          # SMOLLM2_GGUF, GEMMA3_GGUF, LLAMA_SERVER
    swift build -c release --product fathom
    python3 scripts/real_models/tokenizer_parity.py --llama-server "$LLAMA_SERVER" \\
        --fathom .build/release/fathom --model smollm2="$SMOLLM2_GGUF" --model gemma3="$GEMMA3_GGUF" \\
        [--write-fixtures Tests/Fixtures/tokenizers/gguf]

With --write-fixtures it writes `texts.json` and `<name>.golden.json` (the server's ids) there, which the Swift
tests compare against the committed tokenizer-only GGUFs (see make_tokenizer_gguf.py).
"""
import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizers"))
import textgen  # noqa: E402

SPECIAL_LOOKALIKES = [
    "<|im_start|>", "<|im_end|>", "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>", "<|endoftext|>Hello<|endoftext|>", "<|im_start", "im_start|>", "< |im_start| >", "<|IM_START|>",
    "<start_of_turn>", "<end_of_turn>", "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n",
    "<bos>", "<eos>", "<bos><bos>text", "<pad><unk><mask>", "<unused0>", "<unused12><unused123>", "<unused", "<start_of_image>",
    "<s>", "</s>", "<0x41>", "<0x0A>", "<0xZZ>", "[multimodal]", "<table><tr><td>1</td></tr></table>", "<b>bold</b> <i>x</i>",
    "<strong>", "<div>\n  <span>hi</span>\n</div>", "<repo_name>fathom<file_sep>README.md", "<filename>a.py\n<gh_stars>10",
    "<jupyter_code>print(1)<jupyter_output>1", "text<|im_end|>more", "a<end_of_turn>b<start_of_turn>c", "<<|im_start|>>",
    "<|im_start|><|im_start|>", "<start_of_turn><start_of_turn>", "x<unused0>y", "▁hello ▁▁world", "Ġhello Ġworld",
]

EDGE = [
    "", " ", "  ", "   ", "    ", "\n", "\n\n", "\n\n\n", "\t", "\t\t", "\r\n", " \n", "\n ", " \t ", "a", " a", "a ", "  a",
    "a  ", "Hello", " Hello", "Hello world", "Hello  world", "Hello   world", "hello\nworld", "hello\n\nworld",
    "hello \n world", "  leading spaces", "trailing spaces   ", "\ttab\tseparated\tvalues", "line1\r\nline2\r\n",
    "0", "1", "12", "123", "1234", "12345678901234567890", "3.14159", "-42", "1,000,000", "$19.99", "2026-12-04",
    "v1.2.3", "0x1F", "1e10", " 1 2 3", "a1b2c3", "١٢٣", "Ⅻ", "½", "²³", "I'm", "I'M", "don't", "'s", "'S", "'ll",
    "y'all'd've", "...", "!!!", "???", "—", "–", "•", "«quoted»", "“smart”", "©®™", "§¶", "€£¥", "°C", "ℕℤℚ",
    "    indented code", "        deeply indented", "\t\tif x:\n\t\t\treturn y", "a" * 100, " " * 40, "\n" * 40,
    "\t" * 40, "ab" * 50, "The quick brown fox jumps over the lazy dog.", "THE QUICK BROWN FOX", "camelCaseIdentifier",
    "snake_case_identifier", "kebab-case-identifier", "https://example.com/path?query=1&b=2#frag",
    "user@example.com", "C:\\Users\\name\\file.txt", "/usr/local/bin/llama-server", "#!/bin/bash", "```python",
    "\u00a0non-breaking", "zero\u200bwidth", "e\u0301", "\u3000ideographic", "\ufeffBOM", "\x00nul", "\x1b[31mred\x1b[0m",
    "汉字", "漢字テスト", "한국어", "ภาษาไทย", "עברית", "العربية", "देवनागरी", "Ελληνικά", "Кириллица", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "🙂", "🙂🙂🙂", "👨‍👩‍👧", "🇫🇷", "👍🏿", "🦀 Rust 🐍 Python 🦎", "emoji👍inside", "😀 😃 😄 😁",
]


def texts(seed=20261204):
    """About 420 varied, deterministic texts."""
    rng = random.Random(seed)
    out = list(EDGE) + list(SPECIAL_LOOKALIKES)
    out += textgen.CODE + textgen.MULTI + textgen.EMOJI + textgen.CONTRACTIONS + textgen.SPACES
    out += [textgen.sentence(rng) for _ in range(40)]
    out += [textgen.paragraph(rng) for _ in range(15)]
    out += [textgen.mixed(rng) for _ in range(80)]
    out += [textgen.fuzz(rng) for _ in range(60)]
    # Special tokens embedded in running text, with spaces and newlines around them.
    for _ in range(25):
        parts = []
        for _ in range(rng.randint(2, 6)):
            parts.append(rng.choice([textgen.sentence(rng), rng.choice(SPECIAL_LOOKALIKES), rng.choice(textgen.SPACES),
                                     rng.choice(textgen.MULTI), rng.choice(textgen.CODE)]))
        out.append(rng.choice(["", " ", "\n"]).join(parts))
    out.append(textgen.prose_and_code(rng, 20000))
    seen, unique = set(), []
    for t in out:
        if t not in seen:
            seen.add(t)
            unique.append(t)
    return unique


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body, timeout=60):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


class Server:
    """llama-server on a free loopback port, stopped on exit."""

    def __init__(self, binary, model, log_path):
        self.port = free_port()
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "-m", model, "--host", "127.0.0.1", "--port", str(self.port), "-c", "512", "-np", "1", "-t", "1"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama-server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise RuntimeError("llama-server did not become healthy")

    def tokenize(self, text, add_special):
        return post(self.base + "/tokenize", {"content": text, "add_special": add_special})["tokens"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def fathom_ids(fathom, model, all_texts, add_special):
    cmd = [fathom, "tokenize", "--batch", "--tokenizer", model] + (["--add-special"] if add_special else [])
    out = subprocess.run(cmd, input=json.dumps(all_texts).encode(), capture_output=True, check=True)
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--llama-server", required=True)
    ap.add_argument("--fathom", required=True, help="the fathom binary (release build recommended)")
    ap.add_argument("--model", action="append", required=True, help="NAME=PATH.gguf (repeatable)")
    ap.add_argument("--write-fixtures", help="folder for texts.json and NAME.golden.json")
    ap.add_argument("--log-dir", default=os.environ.get("TMPDIR", "/tmp"))
    args = ap.parse_args()

    all_texts = texts()
    print(f"{len(all_texts)} texts", file=sys.stderr)
    failed = False
    goldens = {}
    for spec in args.model:
        name, path = spec.split("=", 1)
        server = Server(args.llama_server, path, os.path.join(args.log_dir, f"llama-server-{name}.log"))
        try:
            server.wait()
            want = {flag: [server.tokenize(t, flag) for t in all_texts] for flag in (False, True)}
        finally:
            server.stop()
        golden = {"model": name, "gguf": os.path.basename(path), "ids": want[False], "ids_add_special": want[True]}
        goldens[name] = golden
        for flag in (False, True):
            got = fathom_ids(args.fathom, path, all_texts, flag)
            bad = [i for i, (a, b) in enumerate(zip(got, want[flag])) if a != b]
            matched = len(all_texts) - len(bad)
            print(f"{name} add_special={str(flag).lower()}: {matched}/{len(all_texts)} texts identical")
            for i in bad[:5]:
                print(f"  #{i} {all_texts[i][:80]!r}\n    fathom {got[i][:30]}\n    server {want[flag][i][:30]}")
            failed |= bool(bad) or len(got) != len(want[flag])
    if args.write_fixtures:
        os.makedirs(args.write_fixtures, exist_ok=True)
        with open(os.path.join(args.write_fixtures, "texts.json"), "w", encoding="utf-8") as f:
            json.dump(all_texts, f, ensure_ascii=False, indent=0)
            f.write("\n")
        for name, golden in goldens.items():
            with open(os.path.join(args.write_fixtures, f"{name}.golden.json"), "w") as f:
                f.write("{\n")
                f.write(f'"model": {json.dumps(golden["model"])},\n"gguf": {json.dumps(golden["gguf"])},\n')
                for key in ("ids", "ids_add_special"):
                    rows = ",\n".join(json.dumps(r, separators=(",", ":")) for r in golden[key])
                    f.write(f'"{key}": [\n{rows}\n]' + (",\n" if key == "ids" else "\n"))
                f.write("}\n")
        print(f"wrote fixtures to {args.write_fixtures}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
