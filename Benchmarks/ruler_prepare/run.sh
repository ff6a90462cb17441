#!/usr/bin/env bash
# Time to make SAMPLES x LENGTH samples of one NIAH task (ruler.niah_single_2): Fathom's export against a rewrite
# of RULER's data preparation (scripts/bench/ruler_prepare_peer.py), back to back, on the same tokenizer file.
# Builds nothing. See README.md beside this file.
#
#   bash Benchmarks/ruler_prepare/run.sh
#   FATHOM=.build-ruler/release/fathom SAMPLES=20 bash Benchmarks/ruler_prepare/run.sh
#
# Environment: FATHOM (release binary, default .build/release/fathom), TOKENIZER (tokenizer.json, default the
# Llama-3-style fixture), SAMPLES (500), LENGTH (131072 = 128k, tokens incl. the 128 to generate), OUT_DIR
# (/tmp/fathom-ruler-prepare; gets ~0.5 GB of JSONL at the defaults), PYTHON (python3), VERIFY (2: how many
# Fathom prompts to recount with HF tokenizers), KEEP (0: delete the big JSONL files at the end).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
FATHOM="${FATHOM:-.build/release/fathom}"
TOKENIZER="${TOKENIZER:-Tests/Fixtures/tokenizers/llama3.tokenizer.json}"
SAMPLES="${SAMPLES:-500}"
LENGTH="${LENGTH:-131072}"
OUT_DIR="${OUT_DIR:-/tmp/fathom-ruler-prepare}"
PYTHON="${PYTHON:-python3}"
VERIFY="${VERIFY:-2}"
KEEP="${KEEP:-0}"
TASK=ruler.niah_single_2

[ -x "$FATHOM" ] || { echo "no fathom binary at $FATHOM (build one: swift build -c release --product fathom; or set FATHOM)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
"$PYTHON" -c 'import tokenizers, nltk, numpy, wonderwords' 2>/dev/null \
    || { echo "the peer needs: pip install tokenizers nltk numpy wonderwords" >&2; exit 2; }
mkdir -p "$OUT_DIR"

echo "== set-up (not timed): the peer's haystack text = Fathom's essay corpus, from one 512k export"
"$FATHOM" export "$TASK" --lengths 512k --samples 1 --tokenizer "$TOKENIZER" > "$OUT_DIR/haystack.jsonl"

# measure NAME CMD...: runs CMD under GNU time, stdout to $OUT_DIR/NAME.out, stderr to NAME.err.
measure() {
    local name="$1"; shift
    echo "== $name: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT_DIR/$name.load"
    echo "   $*"
    /usr/bin/time -f '%e %U %S %M' -o "$OUT_DIR/$name.time" "$@" > "$OUT_DIR/$name.out" 2> "$OUT_DIR/$name.err"
}

measure fathom "$FATHOM" export "$TASK" --lengths "$LENGTH" --samples "$SAMPLES" --tokenizer "$TOKENIZER"
measure peer "$PYTHON" scripts/bench/ruler_prepare_peer.py --tokenizer "$TOKENIZER" --haystack "$OUT_DIR/haystack.jsonl" \
    --length "$LENGTH" --samples "$SAMPLES" --out "$OUT_DIR/peer.jsonl"
echo "== after: load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$OUT_DIR" "$LENGTH" "$SAMPLES" "$TOKENIZER" "$VERIFY" <<'EOF'
import json, sys
out, budget, samples, tokenizer_path, verify = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])

def timing(name):
    wall, user, sys_, rss_kb = open(f"{out}/{name}.time").read().split()[-4:]
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "user": float(user), "sys": float(sys_),
            "rss_mb": int(rss_kb) / 1024, "load": open(f"{out}/{name}.load").read().split(":")[-1].strip()}

def dist(values):
    v = sorted(values)
    return f"min {v[0]}, median {v[len(v) // 2]}, max {v[-1]}, mean {sum(v) / len(v):.1f}, over {budget}: {sum(x > budget for x in v)}"

fathom, peer = timing("fathom"), timing("peer")

# Fathom's lengths: prompt_tokens (the rendered prompt incl. the answer prefix, counted with the tokenizer's
# special tokens, i.e. BOS for this fixture) + max_tokens (128). The peer counts like RULER: no special tokens.
f_lengths, f_prompts = [], []
with open(f"{out}/fathom.out") as f:
    for line in f:
        r = json.loads(line)
        f_lengths.append(r["prompt_tokens"] + r["max_tokens"])
        if len(f_prompts) < verify:
            f_prompts.append((r["prompt_text"], r["prompt_tokens"]))
p_lengths, p_prompts = [], []
with open(f"{out}/peer.jsonl") as f:
    for line in f:
        r = json.loads(line)
        p_lengths.append(r["length"])
        if len(p_prompts) < verify:
            p_prompts.append((r["input"] + r["answer_prefix"], r["prompt_tokens"]))
assert len(f_lengths) == samples and len(p_lengths) == samples, (len(f_lengths), len(p_lengths))
peer_report = json.loads(open(f"{out}/peer.out").read().strip().splitlines()[-1])

checks, peer_checks = [], []
if f_prompts:
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tokenizer_path)
    for text, count in f_prompts:
        checks.append((len(tok.encode(text).ids), len(tok.encode(text, add_special_tokens=False).ids), count))
    for text, count in p_prompts:
        peer_checks.append((len(tok.encode(text, add_special_tokens=False).ids), count))

rows = [("wall s", "wall"), ("CPU s (user+sys)", "cpu"), ("peak RSS MB", "rss_mb")]
print()
print(f"{samples} samples x {budget} tokens, ruler.niah_single_2, tokenizer {tokenizer_path}")
print(f"{'':18} {'Fathom':>10} {'RULER peer':>12} {'ratio':>8}  (peer/Fathom; samples/s: Fathom/peer)")
for label, key in rows:
    print(f"{label:18} {fathom[key]:10.2f} {peer[key]:12.2f} {peer[key] / fathom[key]:7.1f}x")
print(f"{'samples/s (wall)':18} {samples / fathom['wall']:10.2f} {samples / peer['wall']:12.3f} {peer['wall'] / fathom['wall']:7.1f}x")
print(f"{'CPU/wall':18} {fathom['cpu'] / fathom['wall']:10.2f} {peer['cpu'] / peer['wall']:12.2f}")
print(f"load average before: Fathom {fathom['load']}; peer {peer['load']}")
print(f"Fathom lengths (prompt_tokens + max_tokens): {dist(f_lengths)}")
print(f"peer lengths (RULER 'length'):               {dist(p_lengths)}")
print(f"peer phases s: {peer_report['phases_s']}, {peer_report['binary_search_probes']} probes, "
      f"{peer_report['haystack_words']} words, {peer_report['retries']} overflow retries")
for counted, bare, reported in checks:
    print(f"check: HF tokenizers counts {counted} tokens in a Fathom prompt_text ({bare} without special tokens), "
          f"Fathom reported {reported}" + ("" if counted == reported else "  <-- MISMATCH"))
for counted, reported in peer_checks:
    print(f"check: HF tokenizers counts {counted} tokens (no special tokens) in a peer input + answer_prefix, "
          f"the peer reported {reported}" + ("" if counted == reported else "  <-- MISMATCH"))
EOF

[ "$KEEP" = 1 ] || rm -f "$OUT_DIR/fathom.out" "$OUT_DIR/peer.jsonl" "$OUT_DIR/haystack.jsonl"
