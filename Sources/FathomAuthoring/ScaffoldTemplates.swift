/// The files `fathom new-task` writes. Placeholders: `__TASK__` (task name), `__SLUG__`, `__TYPE__`, `__KIND__`,
/// `__MODULE__`, `__EXECUTABLE__` (see `ScaffoldNames`). Each skeleton is passkey retrieval (Mohtashami & Jaggi,
/// 2023), small enough to read in a minute and a real task: it passes the conformance kit as generated.
enum ScaffoldTemplates {
    static let yamlManifest = #"""
# __TASK__: a YAML task. A manifest over a plugin kind Fathom already has (here `niah`, needle in a haystack) with
# your own parameters: the haystack is your own text, the .txt files in __TASK__.haystack/ (relative to this file).
# Every kind and its parameters: `fathom list --kinds`. Check it: `fathom validate __TASK__.yaml`.
name: __TASK__
plugin: niah
version: 1
description: One word key with a number value, hidden in my own text.
params: {haystack: folder, corpus_dir: __TASK__.haystack, key_type: words, value_type: numbers, keys: 1, values: 1, queries: 1}
generation: {max_tokens: 32}
metrics: [string_match_all]
tags: {family: my-tasks, diffusion: low, scope: small}

"""#

    /// Original filler prose (public domain), repeated as needed: replace it with your own text.
    static let haystack = #"""
The harbour town woke slowly. Fishermen carried nets down to the water while the baker opened his shutters and set the
first loaves on the sill to cool. A dog followed the milk cart from door to door, hoping for a spill.

By noon the market square was full. Traders called out the prices of apples, copper pots and wool, and children ran
between the stalls. An old clockmaker repaired a pocket watch for a sailor who had to leave with the evening tide.

In the afternoon rain came in from the sea. The stalls emptied, the square shone like glass, and the only sound was the
water running along the gutters toward the harbour, where the boats rocked against their ropes.

At night the lighthouse keeper climbed the spiral stairs, trimmed the wick and wrote the weather in his book: wind from
the west, a calm sea, three ships passing to the north before midnight.

"""#

    static let yamlTest = #"""
#!/bin/sh
# The conformance test of __TASK__: the oracle scores 1.0, the null answer at most 0.05, samples are deterministic and
# every prompt obeys the length rule. Uses `fathom` on PATH, or $FATHOM. Arguments go to `fathom conformance`, e.g.
# --tokenizer path/to/tokenizer.json to check lengths in your model's tokens.
set -eu
cd "$(dirname "$0")"
exec "${FATHOM:-fathom}" conformance __TASK__ --tasks-dir . "$@"

"""#

    static let execManifest = #"""
# __TASK__: an exec plugin. Fathom starts `python3 __SLUG__.py` in this folder (one process per worker, reused) and
# talks to it in JSON lines: the protocol is `fathom schema exec-plugin`; fathom_exec.py implements it for Python.
name: __TASK__
plugin: exec
command: [python3, __SLUG__.py]
version: 1
params: {digits: 5}
metrics: [exact_match]
tags: {family: my-tasks, diffusion: low, scope: small}

"""#

    static let execPython = #"""
#!/usr/bin/env python3
"""__TASK__: passkey retrieval (Mohtashami & Jaggi, 2023) as a Fathom exec plugin: a pass key hidden at a seeded
depth in filler text; the answer must repeat it.

A skeleton made by `fathom new-task`: replace the context, the question and the scorer with your task's. Draw every
random choice from random.Random(ctx.seed), so the same request always gives the same sample, and size the prompt
with ctx.fit (it asks Fathom to count tokens in the target tokenizer, so lengths are exact).
"""

import random

from fathom_exec import Plugin, PluginError, serve

INSTRUCTION = "There is an important piece of information hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about it.\n"
FILLER = " The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
QUESTION = "\n\nWhat is the pass key?"
ANSWER_PREFIX = " The pass key is"


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


class __TYPE__(Plugin):
    def describe(self):
        return {
            "summary": "Passkey retrieval: repeat the number hidden in filler text",
            "metrics": ["exact_match"],
            "max_tokens": 16,
            "parameters": [{"name": "digits", "type": "int", "default": 5, "minimum": 1, "doc": "digits of the pass key"}],
            "axes": [{"name": "depth", "doc": "depth of the pass key (% of the context)", "binning": {"kind": "width", "width": 10, "max": 100}}],
        }

    def init(self, task):
        if task["params"]["digits"] > 18:
            raise PluginError("digits must be at most 18", key="params.digits")

    def make_sample(self, ctx):
        rng = random.Random(ctx.seed)
        digits = ctx.params["digits"]
        passkey = str(rng.randrange(10 ** (digits - 1), 10 ** digits))
        depth = rng.randrange(10000) / 100
        needle = " The pass key is %s. Remember it. %s is the pass key." % (passkey, passkey)

        def make(k):  # the prompt with k filler units, the needle at the depth
            at = min(k, int(depth / 100 * k))
            context = FILLER * at + needle + FILLER * (k - at)
            return [{"role": "user", "content": INSTRUCTION + context + QUESTION}], ANSWER_PREFIX

        k, messages, prefix = ctx.fit(make, guess=max(1, ctx.budget // 25))
        return {
            "messages": messages,
            "answer_prefix": prefix,
            "reference": {"answers": [passkey]},
            "axes": {"depth": depth},
            "knobs": {"filler_units": k},
        }

    def score(self, sample, response):
        return 1.0 if first_number(response["text"]) == sample["reference"]["answers"][0] else 0.0

    def oracle(self, sample):
        return " %s." % sample["reference"]["answers"][0]


if __name__ == "__main__":
    serve(__TYPE__())

"""#

    static let execPythonTest = #"""
"""Tests of __TASK__: its scorer on its own, and Fathom's conformance kit over the task (oracle 1.0, null <= 0.05,
deterministic samples, exact lengths). Run: python3 -m unittest discover -s . -p 'test___SLUG__.py'
The kit needs `fathom` on PATH, or FATHOM=/path/to/fathom."""

import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import __SLUG__ as task  # noqa: E402


class ScorerTests(unittest.TestCase):
    sample = {"reference": {"answers": ["48213"]}}

    def score(self, text):
        return task.__TYPE__().score(self.sample, {"text": text, "finish_reason": "stop"})

    def test_oracle_scores_one(self):
        self.assertEqual(self.score(task.__TYPE__().oracle(self.sample)), 1.0)

    def test_wrong_and_empty_answers_score_zero(self):
        self.assertEqual(self.score(""), 0.0)
        self.assertEqual(self.score("The pass key is 48214."), 0.0)

    def test_hostile_answers(self):
        self.assertEqual(self.score("x" * 5_000_000), 0.0)
        self.assertEqual(self.score("__import__('os')"), 0.0)


class ConformanceTests(unittest.TestCase):
    def test_conformance_kit(self):
        fathom = os.environ.get("FATHOM") or shutil.which("fathom")
        self.assertTrue(fathom, "put fathom on PATH or set FATHOM=/path/to/fathom")
        result = subprocess.run([fathom, "conformance", "__TASK__", "--tasks-dir", HERE], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()

"""#

    static let swiftManifest = #"""
# __TASK__: a Swift plugin kind (`__KIND__`, Sources/__MODULE__/__TYPE__.swift) with its parameters.
name: __TASK__
plugin: __KIND__
version: 1
params: {digits: 5}
metrics: [exact_match]
tags: {family: my-tasks, diffusion: low, scope: small}

"""#

    static let swiftPlugin = #"""
import FathomCore
import FathomText

/// __TASK__: passkey retrieval (Mohtashami & Jaggi, 2023): a pass key hidden at a seeded depth in filler text; the
/// answer must repeat it.
///
/// A skeleton made by `fathom new-task`: replace the context, the question and the scorer with your task's. Draw
/// every random choice from `SeededRandom(seed: request.seed)`, and size prompts with FathomText's builders
/// (`SizedContextBuilder` here; `ContextBuilder` for streamed haystacks), which count real tokens.
public struct __TYPE__: TaskPlugin {
    public static let kind = "__KIND__"
    public static let summary = "Passkey retrieval: repeat the number hidden in filler text"
    public static let metrics = ["exact_match"]
    public static let defaultMaxTokens = 16
    public static let defaultTags = TaskTags(family: "my-tasks", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var digits = 5
        public init() {}
        public static let documentation: [String: ParameterDoc] = ["digits": ParameterDoc("digits of the pass key", minimum: 1)]
    }

    static let instruction = "There is an important piece of information hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about it.\n"
    static let filler = " The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
    static let question = "\n\nWhat is the pass key?"
    static let answerPrefix = " The pass key is"

    public let descriptor: TaskDescriptor
    let digits: Int

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        guard parameters.digits <= 18 else { throw FathomError(.invalidValue, "digits must be at most 18", key: "params.digits") }
        self.descriptor = descriptor
        digits = parameters.digits
    }

    public var axes: [AxisSpec] { [.depth()] }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        var rng = SeededRandom(seed: request.seed)
        let low = (1..<digits).reduce(1) { value, _ in value * 10 }
        let passkey = String(rng.int(in: low...(low * 10 - 1)))
        let depth = Double(rng.below(10_000)) / 100
        let needle = " The pass key is \(passkey). Remember it. \(passkey) is the pass key."
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix, frame: { context in [Message(.user, Self.instruction + context + Self.question)] }))
        // The context with k filler units and the needle at the depth; the builder finds the k that fits.
        let sized = try builder.build(minimum: 1, guess: max(1, request.length / 25)) { k in
            let at = min(k, Int(depth / 100 * Double(k)))
            return String(repeating: Self.filler, count: at) + needle + String(repeating: Self.filler, count: k - at)
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: sized.prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: sized.prompt.promptText, reference: Reference(answers: [passkey]),
            generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                tokenizer: request.tokenizer.fingerprint, knobs: ["filler_units": .int(sized.size)], axes: ["depth": .number(depth)]))
    }

    /// The answer's first number must be the pass key.
    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) -> Score {
        let value = Self.firstNumber(response.text) == sample.reference.answers[0] ? 1.0 : 0.0
        return Score(value: value, metrics: ["exact_match": value])
    }

    public func oracleAnswer(sample: Sample) -> String { " \(sample.reference.answers[0])." }

    /// The first run of ASCII digits in the answer's first 100,000 bytes (answers are hostile: bounded work).
    static func firstNumber(_ text: String) -> String? {
        var digits: [UInt8] = []
        for byte in text.utf8.prefix(100_000) {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte)
            } else if !digits.isEmpty {
                break
            }
        }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }
}

"""#

    static let swiftTest = #"""
import FathomCore
import FathomTasks
import FathomTesting
import Testing
import __MODULE__

/// The conformance kit on __TASK__: oracle 1.0, null <= 0.05, deterministic samples, exact lengths, hostile answers.
/// The registry is the one this package's `fathom` loads: the built-in tasks plus Tasks/.
@Suite struct __TYPE__ConformanceTests {
    static let registry: Registry = try! BuiltinTasks.registry(adding: [PackagePaths.root() + "/Tasks"], kinds: BuiltinPlugins.all + [__TYPE__.self])

    @Test func conforms() throws {
        var kit = ConformanceKit()
        // Add your model's tokenizer to check lengths in its tokens: kit.tokenizers = [try TokenizerLoader.load("tokenizer.json")]
        kit.lengths = [2048, 8192]
        let report = kit.check(try Self.registry.task(named: "__TASK__"))
        #expect(report.passed, "\(report)")
    }
}

"""#

    static let swiftMain = #"""
import FathomCLI
import FathomTasks
import __MODULE__

// This package's own `fathom`: every command, with the built-in plugin kinds and __TYPE__, and this package's Tasks/
// added to the built-in tasks (more folders: --tasks-dir DIR or FATHOM_TASKS).
await FathomCLI.main(kinds: BuiltinPlugins.all + [__TYPE__.self], taskFolders: [FathomCLI.packageTasksFolder()])

"""#

    static let swiftPackage = #"""
// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Fathom: a checkout's folder (relative to this file, or absolute) or its git URL. A path dependency's package
// identity is its folder's name, which `.product(package:)` needs.
let fathomPath = __FATHOM_PATH__
let fathom = __FATHOM_IDENTITY__

let package = Package(
    name: "__TYPE__",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "__EXECUTABLE__", targets: ["__EXECUTABLE__"])],
    dependencies: [__FATHOM_DEPENDENCY__],
    targets: [
__TARGETS__
    ]
)

"""#

    /// The targets a Swift plugin package needs (also printed when Package.swift already exists).
    static let swiftTargets = #"""
        .target(name: "__MODULE__", dependencies: [
            .product(name: "FathomCore", package: fathom), .product(name: "FathomText", package: fathom),
        ]),
        .executableTarget(name: "__EXECUTABLE__", dependencies: [
            "__MODULE__", .product(name: "FathomCLI", package: fathom), .product(name: "FathomTasks", package: fathom),
        ]),
        .testTarget(name: "__MODULE__Tests", dependencies: [
            "__MODULE__", .product(name: "FathomTesting", package: fathom), .product(name: "FathomTasks", package: fathom),
        ]),
"""#
}
