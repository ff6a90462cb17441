#!/usr/bin/env python3
"""example.lines_exec: LongChat's line retrieval (Li et al., 2023, "How Long Can Open-Source LLMs Truly Promise on
Context Length?", LongEval), as a Fathom exec plugin in standard-library Python.

The context is a record of lines `line <name>: REGISTER_CONTENT is <NNNNN>`; the question asks for the value of one
line, at a seeded depth. Only exact recall of that line's number scores: the answer's first number must equal it.
Fathom sizes nothing itself: the plugin asks Fathom to count prompts in the target tokenizer (ctx.fit), so every
prompt obeys the length rule exactly. Examples/SwiftPlugin builds the same task in Swift.
"""

import platform
import random

from fathom_exec import Plugin, PluginError, serve

CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]  # 70
WORDS = len(SYLLABLES) ** 2  # two-syllable words: 4900

INSTRUCTION = (
    "Below is a record of lines I want you to remember. Each line begins with 'line <line index>' and contains a "
    "'<REGISTER_CONTENT>' at the end of the line as a numerical value. For each line index, memorize its "
    "corresponding <REGISTER_CONTENT>. At the end of the record, I will ask you to retrieve the corresponding "
    "<REGISTER_CONTENT> of a certain line index. Now the record start:\n\n"
)


def word(n):
    return SYLLABLES[n // len(SYLLABLES)] + SYLLABLES[n % len(SYLLABLES)]


def name(n):
    return word(n // WORDS) + "-" + word(n % WORDS)


def first_number(text, limit=100_000):
    """The first run of ASCII digits in the first `limit` characters (answers are hostile: bounded work)."""
    start = None
    for i, ch in enumerate(text[:limit]):
        if "0" <= ch <= "9":
            if start is None:
                start = i
        elif start is not None:
            return text[start:i]
    return text[start:limit] if start is not None else None


class Lines(Plugin):
    def describe(self):
        return {
            "summary": "LongChat line retrieval: recall the number on one line of a long record",
            "metrics": ["exact_match"],
            "max_tokens": 16,
            "tags": {"family": "synthetic-recall", "diffusion": "low", "scope": "small"},
            "parameters": [
                {"name": "digits", "type": "int", "default": 5, "minimum": 2, "doc": "digits of each REGISTER_CONTENT value"},
            ],
            "axes": [{"name": "depth", "doc": "position of the asked line (% of the record)", "binning": {"kind": "width", "width": 10, "max": 100}}],
            "provenance": {"python": platform.python_version()},
        }

    def init(self, task):
        if task["params"]["digits"] > 12:
            raise PluginError("digits must be at most 12", key="params.digits")

    def make_sample(self, ctx):
        rng = random.Random(ctx.seed)
        digits = ctx.params["digits"]
        depth = rng.randrange(10000) / 100
        most = ctx.length // 4 + 16  # a line takes more than 4 tokens in any tokenizer
        names = rng.sample(range(WORDS * WORDS), most)
        values = [rng.randrange(10 ** (digits - 1), 10 ** digits) for _ in range(most)]
        lines = ["line %s: REGISTER_CONTENT is <%d>\n" % (name(n), v) for n, v in zip(names, values)]
        asked_name, asked_value = name(names[0]), values[0]
        question = "\nNow the record is over. Tell me what is the <REGISTER_CONTENT> in line %s? I need the number." % asked_name
        answer_prefix = "\nThe <REGISTER_CONTENT> in line %s is" % asked_name

        def make(k):
            q = min(k - 1, int(depth / 100 * k))
            record = lines[1:q + 1] + [lines[0]] + lines[q + 1:k]
            return [{"role": "user", "content": INSTRUCTION + "".join(record) + question}], answer_prefix

        k, messages, prefix = ctx.fit(make, minimum=1, guess=max(1, ctx.budget // 16))
        return {
            "messages": messages,
            "answer_prefix": prefix,
            "reference": {"answers": [str(asked_value)]},
            "axes": {"depth": depth},
            "knobs": {"lines": k},
        }

    def score(self, sample, response):
        found = first_number(response["text"])
        return 1.0 if found is not None and found == sample["reference"]["answers"][0] else 0.0

    def oracle(self, sample):
        return " <%s>." % sample["reference"]["answers"][0]


if __name__ == "__main__":
    serve(Lines())
