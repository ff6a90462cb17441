"""Fathom exec-plugin protocol, version 1: a helper for task plugins written in Python (standard library only).

Fathom starts your plugin (the manifest's `command`) once per worker and talks to it in JSON lines over stdin and
stdout (schemas/exec-plugin.v1.schema.json in the Fathom repository). This module runs that loop: subclass `Plugin`,
fill in `describe`, `make_sample`, `score` and `oracle`, and call `serve(YourPlugin())`.

    class Passkey(Plugin):
        def describe(self): return {"summary": "...", "metrics": ["exact_match"], "max_tokens": 16}
        def make_sample(self, ctx): ...           # ctx.fit(...) sizes the prompt exactly
        def score(self, sample, response): ...    # a float in 0..1, or a dict, or raise ScoringFailure
        def oracle(self, sample): ...

Print diagnostics to stderr (Fathom keeps them in a log), never to stdout: stdout carries the protocol.
"""

import json
import sys
import traceback

PROTOCOL = 1


class ScoringFailure(Exception):
    """Raise from `score` when an answer cannot be scored: Fathom records score_error, never a 0."""


class ScoringSkipped(Exception):
    """Raise from `score` to decline scoring by design: Fathom records skipped."""


class PluginError(Exception):
    """Raise for a request the plugin cannot serve (bad parameters, a length too small); `key` names the
    parameter, e.g. "params.lines"."""

    def __init__(self, message, key=None):
        super().__init__(message)
        self.key = key


class Connection:
    """The two pipes to Fathom: one JSON object per line each way."""

    def __init__(self, reader=None, writer=None):
        self.reader = reader or sys.stdin
        self.writer = writer or sys.stdout

    def send(self, message):
        self.writer.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.writer.flush()

    def receive(self):
        line = self.reader.readline()
        if not line:
            return None
        return json.loads(line)

    def ask(self, message, answer_type):
        """Sends a question to Fathom and returns its answer."""
        self.send(message)
        reply = self.receive()
        if reply is None or reply.get("type") != answer_type:
            raise RuntimeError("Fathom did not answer %s with %s: %r" % (message["type"], answer_type, reply))
        return reply


class SampleContext:
    """What `make_sample` gets: the sample to make, and Fathom's tokenizer to size it with.

    index, length (L, in the target tokenizer's tokens), seed (an int: seed `random.Random(ctx.seed)`),
    sample_id, max_tokens (the answer budget), prefix_mode, tokenizer (its name), params (the task's parameters).
    """

    def __init__(self, connection, request, task):
        self._connection = connection
        self.index = request["index"]
        self.length = request["length"]
        self.seed = request["seed"]
        self.sample_id = request["sample_id"]
        self.max_tokens = request["generation"]["max_tokens"]
        self.prefix_mode = request["generation"]["prefix_mode"]
        self.tokenizer = request["tokenizer"]["name"]
        self.params = task["params"]
        self.task = task

    @property
    def budget(self):
        """The most prompt tokens allowed: L - max_tokens."""
        return self.length - self.max_tokens

    @property
    def floor(self):
        """The fewest prompt tokens allowed: L - max(64, L // 200) - max_tokens."""
        return self.length - max(64, self.length // 200) - self.max_tokens

    def count_tokens(self, texts):
        """Token counts of each text in the target tokenizer (no BOS). Pieces do not add up exactly."""
        return self._connection.ask({"type": "count_tokens", "texts": list(texts)}, "token_counts")["counts"]

    def count_prompt(self, messages, answer_prefix=""):
        """Tokens of the prompt as the model will see it (chat template and BOS included): the length rule's count."""
        message = {"type": "count_prompt", "messages": messages, "answer_prefix": answer_prefix}
        return self._connection.ask(message, "prompt_tokens")["tokens"]

    def fit(self, make, minimum=1, guess=None, max_evaluations=32):
        """Finds a size k >= minimum whose prompt obeys the length rule and returns (k, messages, answer_prefix).

        `make(k)` returns (messages, answer_prefix) for a context of size k (k lines, paragraphs, pairs...); its token
        count must grow with k, and one step of k must add fewer than max(64, L // 200) tokens. The search counts real
        prompts (`count_prompt`) and interpolates inside a bracket, bisecting every third step, as Fathom's own
        SizedContextBuilder does: 2 to 5 counts at 128K tokens.
        """
        budget, floor = self.budget, self.floor
        aim = (budget + floor) // 2
        below = above = None  # (k, tokens): the largest k that fits, the smallest that overflows
        k = max(minimum, guess or minimum)
        baseline = None  # tokens at k = minimum
        for evaluation in range(1, max_evaluations + 1):
            messages, prefix = make(k)
            tokens = self.count_prompt(messages, prefix)
            if floor <= tokens <= budget:
                return k, messages, prefix
            if tokens > budget:
                if k == minimum:
                    raise PluginError("length %d is too small: the smallest context makes a %d-token prompt" % (self.length, tokens))
                if above is None or k < above[0]:
                    above = (k, tokens)
            elif below is None or k > below[0]:
                below = (k, tokens)
            if below and above:
                if above[0] - below[0] <= 1:
                    raise PluginError("one step of the context is coarser than the length window at %d tokens" % self.length)
                if evaluation % 3 == 0:
                    k = (below[0] + above[0]) // 2
                else:
                    slope = (above[1] - below[1]) / (above[0] - below[0])
                    step = round((aim - below[1]) / slope) if slope > 0 else (above[0] - below[0]) // 2
                    k = min(above[0] - 1, max(below[0] + 1, below[0] + step))
            elif below:
                # Everything so far fits: extrapolate by the tokens one step of k adds.
                if below[0] > minimum:
                    if baseline is None:
                        baseline = self.count_prompt(*make(minimum))
                    per_step = max(1.0, (below[1] - baseline) / (below[0] - minimum))
                else:
                    baseline = below[1]
                    per_step = max(1, self.count_prompt(*make(minimum + 1)) - below[1])
                k = below[0] + max(1, round((aim - below[1]) / per_step))
            else:
                k = max(minimum, min(above[0] - 1, above[0] * aim // max(1, above[1])))
        raise PluginError("could not size a prompt for length %d in %d counts" % (self.length, max_evaluations))


class Plugin:
    """Subclass and fill in. `self.task` holds the task (name, version, params, metrics, max_tokens, stop,
    prefix_mode) once Fathom has sent it; `self.params` its parameters."""

    task = None
    params = None

    def describe(self):
        """{"summary", "metrics" (first = headline), "max_tokens", optional "tags", "parameters", "axes",
        "provenance"}: see the schema's `description`."""
        raise NotImplementedError

    def init(self, task):
        """Checks the task's parameters; raise PluginError(message, key="params.x") for a combination that
        cannot work."""

    def make_sample(self, ctx):
        """Returns {"messages": [{"role", "content"}], "answer_prefix", "reference": {"answers": [...],
        "structured": ...}, optional "max_tokens", "axes", "knobs", "context_tokens", "needles"}. Same ctx, same
        sample: draw every random choice from random.Random(ctx.seed)."""
        raise NotImplementedError

    def score(self, sample, response):
        """`sample`: id, index, length, answer_prefix, reference, max_tokens, axes, knobs. `response`: text,
        reasoning, finish_reason, truncated, usage. Returns a value in 0..1, or {"value", "metrics", "details"};
        raise ScoringFailure or ScoringSkipped. The text is hostile: it may be huge or hold anything."""
        raise NotImplementedError

    def oracle(self, sample):
        """The reference answer exactly as the prompt asks for it (it must score 1.0)."""
        raise NotImplementedError


def _score_reply(result):
    if isinstance(result, dict):
        reply = {"type": "score", "value": float(result["value"])}
        if "metrics" in result:
            reply["metrics"] = {name: float(value) for name, value in result["metrics"].items()}
        if "details" in result:
            reply["details"] = result["details"]
        return reply
    return {"type": "score", "value": float(result)}


def serve(plugin, connection=None):
    """Answers Fathom's requests until it closes stdin."""
    connection = connection or Connection()
    while True:
        request = connection.receive()
        if request is None:
            return
        kind = request.get("type")
        try:
            if kind == "describe":
                description = dict(plugin.describe())
                description["type"] = "description"
                description["protocol"] = PROTOCOL
                connection.send(description)
            elif kind == "init":
                plugin.task = request["task"]
                plugin.params = request["task"]["params"]
                plugin.init(request["task"])
                connection.send({"type": "ready"})
            elif kind == "make_sample":
                sample = dict(plugin.make_sample(SampleContext(connection, request, plugin.task)))
                sample["type"] = "sample"
                connection.send(sample)
            elif kind == "score":
                try:
                    connection.send(_score_reply(plugin.score(request["sample"], request["response"])))
                except ScoringSkipped as skipped:
                    connection.send({"type": "scoring_skipped", "reason": str(skipped)})
                except Exception as failure:  # ScoringFailure, or a scorer bug: score_error, never a 0
                    if not isinstance(failure, ScoringFailure):
                        traceback.print_exc()
                    reason = str(failure) if isinstance(failure, ScoringFailure) else "%s: %s" % (type(failure).__name__, failure)
                    connection.send({"type": "scoring_failure", "reason": reason})
            elif kind == "oracle":
                connection.send({"type": "oracle", "answer": plugin.oracle(request["sample"])})
            else:
                connection.send({"type": "error", "message": "unknown request %r" % kind})
        except PluginError as error:
            reply = {"type": "error", "message": str(error)}
            if error.key:
                reply["key"] = error.key
            connection.send(reply)
