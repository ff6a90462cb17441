#!/usr/bin/env python3
"""Writes the determinism pin: per task, the prompt hash of a few samples at two lengths (approx tokenizer).

    fathom export $(fathom list --json | jq -r '.[].name') --lengths 4k,16k --samples 2 --out /tmp/pin.jsonl
    python3 scripts/golden/prompt_hashes.py /tmp/pin.jsonl > Tests/Fixtures/determinism/prompt_hashes.json

`DeterminismPinTests` rebuilds the same samples and compares: a change that alters any sample's id, prompt,
token count, budget or gold answers fails that test. Regenerate the table only for a change that is meant to
alter samples, and say why in the commit message.
"""
import hashlib
import json
import sys


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main(path: str) -> None:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = json.loads(line)
            rows.append({
                "task": s["task"],
                "length": s["length"],
                "index": s["index"],
                "id": s["id"],
                "prompt_sha256": sha(s["prompt_text"]),
                "prompt_tokens": s["prompt_tokens"],
                "max_tokens": s["max_tokens"],
                # The gold answers, joined by U+001F (unit separator), hashed.
                "answers_sha256": sha("\x1f".join(s["reference"]["answers"])),
            })
    rows.sort(key=lambda r: (r["task"], r["length"], r["index"]))
    head = {"tokenizer": "approx", "seed": 42, "lengths": [4096, 16384], "samples": 2}
    out = json.dumps(head, sort_keys=True)[:-1] + ', "rows": [\n'
    out += ",\n".join(json.dumps(r, sort_keys=True) for r in rows)
    sys.stdout.write(out + "\n]}\n")


if __name__ == "__main__":
    main(sys.argv[1])
