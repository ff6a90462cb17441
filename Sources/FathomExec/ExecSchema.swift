import FathomCore
import Foundation

/// The exec-plugin protocol, version 1, as a JSON Schema (draft 2020-12): every line Fathom writes to a plugin's
/// standard input and every line a plugin may write to its standard output. `fathom schema exec-plugin` prints it
/// and `schemas/exec-plugin.v1.schema.json` holds a copy (a test keeps them equal). Fathom validates every line a
/// plugin writes against `plugin_message` before it reads it.
public enum ExecSchema {
    /// The protocol version this Fathom speaks.
    public static let protocolVersion = 1

    /// Violations of `line` (a JSON document a plugin wrote) against the plugin-message schema; empty when valid.
    static func violations(_ line: Data) throws -> [String] {
        try validator.validate(json: line)
    }

    nonisolated(unsafe) private static let validator: JSONSchemaValidator = {
        // The validator starts from the root, whose `oneOf` lists the messages a plugin may send.
        try! JSONSchemaValidator(schemaJSON: Data(json.utf8))
    }()

    public static let json = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://fathom.invalid/exec-plugin.v1.schema.json",
  "title": "Fathom exec-plugin protocol, version 1",
  "description": "A task plugin in any language: a process started from the manifest's `command` (in the manifest's folder), one per worker and reused across samples, speaking JSON lines (one UTF-8 JSON object per line, newline-terminated, flushed) over stdin and stdout. Fathom writes a request; the plugin answers it with exactly one reply, after any number of questions (`count_tokens`, `count_prompt`) that Fathom answers in turn. Anything on stderr goes to a log file, never into the protocol. A line longer than 32 MiB, a line that is not one of the messages below, an exit, or no complete reply within the manifest's `timeout` (default 120 s; `describe` and `init`, answered while the process starts, get at least 30 s) ends the process, with an error naming the task and the log. Closing stdin asks the plugin to exit. The root schema is a line the plugin writes; `$defs` also describes the lines Fathom writes.",
  "oneOf": [
    {"$ref": "#/$defs/description"},
    {"$ref": "#/$defs/ready"},
    {"$ref": "#/$defs/count_tokens"},
    {"$ref": "#/$defs/count_prompt"},
    {"$ref": "#/$defs/sample"},
    {"$ref": "#/$defs/score"},
    {"$ref": "#/$defs/scoring_failure"},
    {"$ref": "#/$defs/scoring_skipped"},
    {"$ref": "#/$defs/oracle"},
    {"$ref": "#/$defs/error"}
  ],
  "$defs": {
    "request_describe": {
      "description": "Fathom -> plugin, first after start: describe yourself. `protocol` is the version Fathom speaks; answer with `description`.",
      "type": "object",
      "required": ["type", "protocol"],
      "additionalProperties": false,
      "properties": {"type": {"const": "describe"}, "protocol": {"const": 1}}
    },
    "request_init": {
      "description": "Fathom -> plugin, after `description`: the task this process serves, with its resolved parameters (defaults applied, validated against the declared parameters). Answer `ready`, or `error` (with `key`, e.g. `params.lines`) for a combination that cannot work.",
      "type": "object",
      "required": ["type", "protocol", "task"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "init"},
        "protocol": {"const": 1},
        "task": {
          "type": "object",
          "required": ["name", "version", "params", "metrics", "max_tokens", "stop", "prefix_mode"],
          "additionalProperties": false,
          "properties": {
            "name": {"type": "string"},
            "version": {"type": "integer", "minimum": 1},
            "params": {"type": "object"},
            "metrics": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "max_tokens": {"type": "integer", "minimum": 1},
            "stop": {"type": "array", "items": {"type": "string"}},
            "prefix_mode": {"enum": ["chat-user", "chat-prefill", "completion"]}
          }
        }
      }
    },
    "request_make_sample": {
      "description": "Fathom -> plugin: synthesize sample `index` at target length `length` (in the target tokenizer's tokens) from `seed` (an unsigned 64-bit integer; `seed_text` is the same in decimal for languages whose JSON numbers are doubles). Same request, byte-identical sample. The prompt (system + user messages + answer prefix, rendered by Fathom with the run's chat template) plus `max_tokens` must fit in `length` and fill at least length - max(64, length / 200): ask `count_prompt` to size it exactly. Answer `sample`, or `error`.",
      "type": "object",
      "required": ["type", "sample_id", "index", "length", "seed", "seed_text", "generation", "tokenizer"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "make_sample"},
        "sample_id": {"type": "string"},
        "index": {"type": "integer", "minimum": 0},
        "length": {"type": "integer", "minimum": 1},
        "seed": {"type": "integer", "minimum": 0},
        "seed_text": {"type": "string"},
        "generation": {"$ref": "#/$defs/generation"},
        "tokenizer": {
          "type": "object",
          "required": ["name", "exact"],
          "additionalProperties": false,
          "properties": {"name": {"type": "string"}, "exact": {"type": "boolean"}}
        }
      }
    },
    "request_score": {
      "description": "Fathom -> plugin: score one answer. `sample` is the sample as Fathom holds it, without its prompt; `response` is the whole answer (text after the answer prefix, reasoning kept apart, why generation stopped, usage). The text is hostile input: it may be 10 MB long or hold anything. Answer `score`, `scoring_failure` (recorded as score_error, never 0) or `scoring_skipped`.",
      "type": "object",
      "required": ["type", "sample", "response", "allow_exec"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "score"},
        "sample": {"$ref": "#/$defs/sample_view"},
        "response": {
          "type": "object",
          "required": ["text", "reasoning", "finish_reason", "truncated", "usage"],
          "additionalProperties": false,
          "properties": {
            "text": {"type": "string"},
            "reasoning": {"type": ["string", "null"]},
            "finish_reason": {"type": ["string", "null"]},
            "truncated": {"type": "boolean"},
            "usage": {
              "type": ["object", "null"],
              "additionalProperties": false,
              "properties": {"prompt_tokens": {"type": ["integer", "null"]}, "completion_tokens": {"type": ["integer", "null"]}}
            }
          }
        },
        "allow_exec": {"type": "boolean"}
      }
    },
    "request_oracle": {
      "description": "Fathom -> plugin: the reference answer rendered exactly as the prompt asks for it; it must score 1.0. Answer `oracle`.",
      "type": "object",
      "required": ["type", "sample"],
      "additionalProperties": false,
      "properties": {"type": {"const": "oracle"}, "sample": {"$ref": "#/$defs/sample_view"}}
    },
    "answer_token_counts": {
      "description": "Fathom -> plugin, answering `count_tokens`: the token count of each text, in order, without BOS.",
      "type": "object",
      "required": ["type", "counts"],
      "additionalProperties": false,
      "properties": {"type": {"const": "token_counts"}, "counts": {"type": "array", "items": {"type": "integer", "minimum": 0}}}
    },
    "answer_prompt_tokens": {
      "description": "Fathom -> plugin, answering `count_prompt`: the tokens of the prompt as the model will see it (rendered with the run's chat template, BOS counted as the server adds it). This is the count the length rule applies to.",
      "type": "object",
      "required": ["type", "tokens"],
      "additionalProperties": false,
      "properties": {"type": {"const": "prompt_tokens"}, "tokens": {"type": "integer", "minimum": 0}}
    },
    "description": {
      "description": "Plugin -> Fathom, answering `describe`. `protocol` must be 1. `metrics`: the names it reports, the first is the default headline. `max_tokens`: the default answer budget. `parameters`: what manifests may set in `params:` (Fathom validates them and reports every error with the file and line). `axes`: dimensions besides length each sample records a value on. `provenance`: versions its answers rely on (e.g. python), recorded in run.json.",
      "type": "object",
      "required": ["type", "protocol", "summary", "metrics", "max_tokens"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "description"},
        "protocol": {"type": "integer"},
        "summary": {"type": "string"},
        "metrics": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "max_tokens": {"type": "integer", "minimum": 1},
        "tags": {
          "type": "object",
          "required": ["family", "diffusion", "scope"],
          "additionalProperties": false,
          "properties": {"family": {"type": "string"}, "diffusion": {"enum": ["low", "high"]}, "scope": {"enum": ["small", "large"]}}
        },
        "parameters": {"type": "array", "items": {"$ref": "#/$defs/parameter"}},
        "axes": {"type": "array", "items": {"$ref": "#/$defs/axis"}},
        "provenance": {"type": "object", "additionalProperties": {"type": "string"}}
      }
    },
    "ready": {
      "description": "Plugin -> Fathom, answering `init`.",
      "type": "object",
      "required": ["type"],
      "additionalProperties": false,
      "properties": {"type": {"const": "ready"}}
    },
    "count_tokens": {
      "description": "Plugin -> Fathom, while making a sample: count each text in the target tokenizer (no BOS). Fathom answers `token_counts`. Counts of pieces do not add up exactly to the count of their concatenation: verify the whole prompt with `count_prompt`.",
      "type": "object",
      "required": ["type", "texts"],
      "additionalProperties": false,
      "properties": {"type": {"const": "count_tokens"}, "texts": {"type": "array", "items": {"type": "string"}}}
    },
    "count_prompt": {
      "description": "Plugin -> Fathom, while making a sample: the tokens of this prompt as the model will see it. Fathom answers `prompt_tokens`.",
      "type": "object",
      "required": ["type", "messages"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "count_prompt"},
        "messages": {"type": "array", "items": {"$ref": "#/$defs/message"}, "minItems": 1},
        "answer_prefix": {"type": "string"}
      }
    },
    "sample": {
      "description": "Plugin -> Fathom, answering `make_sample`. Fathom fills in the identity, renders and counts the prompt itself (never trusting a count), and checks the length rule, the budget and the axes. `reference.answers` are the gold strings; `reference.structured` any JSON the scorer needs back. `max_tokens` overrides the request's budget for this sample (it counts in the length rule). `prompt_tokens`, when given, must equal Fathom's count. `axes` gives a value (number or label) for exactly the declared axes.",
      "type": "object",
      "required": ["type", "messages", "reference"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "sample"},
        "messages": {"type": "array", "items": {"$ref": "#/$defs/message"}, "minItems": 1},
        "answer_prefix": {"type": "string"},
        "reference": {"$ref": "#/$defs/reference"},
        "max_tokens": {"type": "integer", "minimum": 1},
        "prompt_tokens": {"type": "integer", "minimum": 0},
        "context_tokens": {"type": "integer", "minimum": 0},
        "axes": {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
        "knobs": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "array"], "items": {"type": ["string", "number", "boolean"]}}},
        "needles": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["key", "token_offset", "depth"],
            "additionalProperties": false,
            "properties": {
              "key": {"type": "string"},
              "requested_depth": {"type": ["number", "null"]},
              "token_offset": {"type": "integer", "minimum": 0},
              "depth": {"type": "number"}
            }
          }
        },
        "turns": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["question", "messages", "answer_prefix", "reference"],
            "additionalProperties": false,
            "properties": {
              "question": {"type": "string"},
              "messages": {"type": "array", "items": {"$ref": "#/$defs/message"}},
              "answer_prefix": {"type": "string"},
              "reference": {"$ref": "#/$defs/reference"},
              "max_tokens": {"type": ["integer", "null"], "minimum": 1}
            }
          }
        },
        "turn_mode": {"enum": ["conversation", "separate"]}
      }
    },
    "score": {
      "description": "Plugin -> Fathom, answering `score`: the headline value in 0..1 and each metric in 0..1 (default: the first declared metric = value); `details` any JSON, written to samples.jsonl as score_details.",
      "type": "object",
      "required": ["type", "value"],
      "additionalProperties": false,
      "properties": {
        "type": {"const": "score"},
        "value": {"type": "number", "minimum": 0, "maximum": 1},
        "metrics": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "details": {}
      }
    },
    "scoring_failure": {
      "description": "Plugin -> Fathom, answering `score`: the answer cannot be scored (the sample is recorded as score_error, never as 0).",
      "type": "object",
      "required": ["type", "reason"],
      "additionalProperties": false,
      "properties": {"type": {"const": "scoring_failure"}, "reason": {"type": "string"}}
    },
    "scoring_skipped": {
      "description": "Plugin -> Fathom, answering `score`: the plugin declines to score by design (recorded as skipped).",
      "type": "object",
      "required": ["type", "reason"],
      "additionalProperties": false,
      "properties": {"type": {"const": "scoring_skipped"}, "reason": {"type": "string"}}
    },
    "oracle": {
      "description": "Plugin -> Fathom, answering `oracle`.",
      "type": "object",
      "required": ["type", "answer"],
      "additionalProperties": false,
      "properties": {"type": {"const": "oracle"}, "answer": {"type": "string"}}
    },
    "error": {
      "description": "Plugin -> Fathom, answering any request it cannot serve (bad parameters, a length too small for the task). Fathom reports `message` (and `key`, e.g. params.lines) with the task's manifest; the process stays in use.",
      "type": "object",
      "required": ["type", "message"],
      "additionalProperties": false,
      "properties": {"type": {"const": "error"}, "message": {"type": "string"}, "key": {"type": "string"}}
    },
    "message": {
      "type": "object",
      "required": ["role", "content"],
      "additionalProperties": false,
      "properties": {"role": {"enum": ["system", "user", "assistant"]}, "content": {"type": "string"}}
    },
    "reference": {
      "type": "object",
      "required": ["answers"],
      "additionalProperties": false,
      "properties": {"answers": {"type": "array", "items": {"type": "string"}}, "structured": {}}
    },
    "generation": {
      "type": "object",
      "required": ["max_tokens", "stop", "temperature", "top_p", "prefix_mode"],
      "additionalProperties": false,
      "properties": {
        "max_tokens": {"type": "integer", "minimum": 1},
        "stop": {"type": "array", "items": {"type": "string"}},
        "temperature": {"type": "number"},
        "top_p": {"type": "number"},
        "prefix_mode": {"enum": ["chat-user", "chat-prefill", "completion"]}
      }
    },
    "sample_view": {
      "description": "A sample as scorers and oracles see it: everything but the prompt.",
      "type": "object",
      "required": ["id", "task", "index", "length", "answer_prefix", "reference", "max_tokens", "axes", "knobs"],
      "additionalProperties": false,
      "properties": {
        "id": {"type": "string"},
        "task": {"type": "string"},
        "index": {"type": "integer", "minimum": 0},
        "length": {"type": "integer", "minimum": 1},
        "answer_prefix": {"type": "string"},
        "reference": {"$ref": "#/$defs/reference"},
        "max_tokens": {"type": "integer", "minimum": 1},
        "axes": {"type": "object"},
        "knobs": {"type": "object"}
      }
    },
    "parameter": {
      "description": "One parameter a manifest may set: its type, default, a line of documentation, and optionally a minimum (int) or the allowed values (string).",
      "type": "object",
      "required": ["name", "type", "default", "doc"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string"},
        "type": {"enum": ["string", "int", "double", "bool", "list[string]", "list[int]"]},
        "default": {},
        "doc": {"type": "string"},
        "minimum": {"type": "integer"},
        "allowed": {"type": "array", "items": {"type": "string"}}
      }
    },
    "axis": {
      "description": "An axis results are aggregated by besides length; `binning` groups numbers into buckets of `width` (reported by their lower edge, clamped below `max`), or keeps every value (`exact`, the default).",
      "type": "object",
      "required": ["name", "doc"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string"},
        "doc": {"type": "string"},
        "binning": {
          "type": "object",
          "required": ["kind"],
          "additionalProperties": false,
          "properties": {"kind": {"enum": ["exact", "width"]}, "width": {"type": "number", "minimum": 0}, "max": {"type": "number"}}
        }
      }
    }
  }
}
"""#
}
