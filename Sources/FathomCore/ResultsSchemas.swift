import Foundation

/// The JSON Schemas (draft 2020-12) of a run folder's files: `run.json` (schema_version 2) and one line of
/// `samples.jsonl`. They are the contract outside tools and FathomBoard's reader rely on; `fathom schema run|sample`
/// prints them and `schemas/` in the repository holds copies (a test keeps them equal).
public enum ResultsSchemas {
    /// Checks a run.json document; returns the violations (empty when valid).
    public static func validate(run json: Data) throws -> [String] {
        try JSONSchemaValidator(schemaJSON: Data(run.utf8)).validate(json: json)
    }

    /// Checks one samples.jsonl line; returns the violations (empty when valid).
    public static func validate(sample json: Data) throws -> [String] {
        try JSONSchemaValidator(schemaJSON: Data(sample.utf8)).validate(json: json)
    }

    public static let run = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://fathom.invalid/run.schema.json",
  "title": "Fathom run.json",
  "description": "What was run, how, and the results per task x length and per declared axis. Written by `fathom run` into OUT/<suite>/<model>/<run-id>/.",
  "type": "object",
  "required": ["schema_version", "status", "framework", "run_id", "suite", "tasks", "model", "tokenizer", "sampling", "scoring", "results", "by_axis", "summary", "efficiency"],
  "additionalProperties": false,
  "properties": {
    "schema_version": {"const": 2},
    "status": {"enum": ["running", "complete", "partial", "interrupted"]},
    "framework": {
      "type": "object",
      "required": ["name", "version", "git_commit"],
      "additionalProperties": false,
      "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "git_commit": {"type": "string"}}
    },
    "run_id": {"type": "string"},
    "suite": {
      "type": "object",
      "required": ["name", "hash", "lengths", "samples", "seed", "aggregate"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string"},
        "hash": {"type": "string"},
        "lengths": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1},
        "samples": {"type": "integer", "minimum": 1},
        "seed": {"type": "integer", "minimum": 0},
        "aggregate": {
          "type": "object",
          "required": ["by_length", "headline", "threshold"],
          "additionalProperties": false,
          "properties": {
            "by_length": {"enum": ["mean"]},
            "headline": {"enum": ["mean", "effective_length"]},
            "threshold": {"type": "number"}
          }
        }
      }
    },
    "tasks": {"type": "array", "items": {"$ref": "#/$defs/task"}},
    "model": {
      "type": "object",
      "required": ["name", "kind"],
      "additionalProperties": false,
      "properties": {"name": {"type": "string"}, "kind": {"type": "string"}, "endpoint": {"type": "string"}}
    },
    "backend": {"type": "object"},
    "tokenizer": {
      "type": "object",
      "required": ["name", "fingerprint", "renderer", "exact", "choice"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string"},
        "fingerprint": {"type": "string"},
        "renderer": {"type": "string"},
        "chat_template": {"type": "object"},
        "exact": {"type": "boolean"},
        "choice": {"type": "string"}
      }
    },
    "sampling": {
      "type": "object",
      "required": ["temperature", "top_p", "seed"],
      "additionalProperties": false,
      "properties": {"temperature": {"type": "number"}, "top_p": {"type": "number"}, "seed": {"type": "integer", "minimum": 0}}
    },
    "shard": {
      "type": "object",
      "required": ["index", "count"],
      "additionalProperties": false,
      "properties": {"index": {"type": "integer", "minimum": 0}, "count": {"type": "integer", "minimum": 1}}
    },
    "scoring": {
      "type": "object",
      "required": ["allow_exec"],
      "additionalProperties": false,
      "properties": {"allow_exec": {"type": "boolean"}}
    },
    "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
    "by_axis": {"type": "array", "items": {"$ref": "#/$defs/axisResult"}},
    "efficiency": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["length", "n", "latency_ms_median"],
        "additionalProperties": false,
        "properties": {
          "length": {"type": "integer", "minimum": 1},
          "n": {"type": "integer", "minimum": 1},
          "latency_ms_median": {"type": "number", "minimum": 0},
          "ttft_ms_median": {"type": "number", "minimum": 0},
          "queue_ms_median": {"type": "number", "minimum": 0},
          "prefill_tokens_per_s_median": {"type": "number", "minimum": 0},
          "decode_tokens_per_s_median": {"type": "number", "minimum": 0}
        }
      }
    },
    "summary": {
      "type": "object",
      "required": ["by_length", "headline", "threshold", "by_length_ok", "complete"],
      "additionalProperties": false,
      "properties": {
        "by_length": {"type": "object", "additionalProperties": {"$ref": "#/$defs/unitScore"}},
        "mean": {"$ref": "#/$defs/unitScore"},
        "by_length_ok": {"type": "object", "additionalProperties": {"$ref": "#/$defs/unitScore"}},
        "mean_ok": {"$ref": "#/$defs/unitScore"},
        "complete": {"type": "boolean"},
        "weighted_mean_increasing": {"$ref": "#/$defs/unitScore"},
        "weighted_mean_decreasing": {"$ref": "#/$defs/unitScore"},
        "effective_length": {"type": "integer", "minimum": 1},
        "headline": {"enum": ["mean", "effective_length"]},
        "threshold": {"type": "number"}
      }
    }
  },
  "$defs": {
    "unitScore": {"type": "number", "minimum": 0, "maximum": 1},
    "interval": {"type": "array", "items": {"$ref": "#/$defs/unitScore"}, "minItems": 2, "maxItems": 2},
    "count": {"type": "integer", "minimum": 0},
    "axis": {
      "type": "object",
      "required": ["name", "doc", "binning"],
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
    },
    "task": {
      "type": "object",
      "required": ["name", "kind", "version", "hash", "file", "params", "metrics", "tags", "generation", "axes", "provenance"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "version": {"type": "integer", "minimum": 1},
        "hash": {"type": "string"},
        "file": {"type": "string"},
        "params": {"type": "object"},
        "metrics": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "tags": {
          "type": "object",
          "required": ["family", "diffusion", "scope"],
          "additionalProperties": false,
          "properties": {"family": {"type": "string"}, "diffusion": {"enum": ["low", "high"]}, "scope": {"enum": ["small", "large"]}}
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
        "axes": {"type": "array", "items": {"$ref": "#/$defs/axis"}},
        "provenance": {"type": "object", "additionalProperties": {"type": "string"}}
      }
    },
    "result": {
      "type": "object",
      "required": ["task", "length", "n", "n_ok", "n_error", "n_overflow", "n_missing", "n_score_error", "n_skipped", "n_truncated_output", "n_prompt_tokens_mismatch", "metrics"],
      "additionalProperties": false,
      "properties": {
        "task": {"type": "string"},
        "length": {"type": "integer", "minimum": 1},
        "n": {"type": "integer", "minimum": 1},
        "n_ok": {"$ref": "#/$defs/count"},
        "n_error": {"$ref": "#/$defs/count"},
        "n_overflow": {"$ref": "#/$defs/count"},
        "n_missing": {"$ref": "#/$defs/count"},
        "n_score_error": {"$ref": "#/$defs/count"},
        "n_skipped": {"$ref": "#/$defs/count"},
        "n_truncated_output": {"$ref": "#/$defs/count"},
        "n_prompt_tokens_mismatch": {"$ref": "#/$defs/count"},
        "score": {"$ref": "#/$defs/unitScore"},
        "score_ok": {"$ref": "#/$defs/unitScore"},
        "ci95": {"$ref": "#/$defs/interval"},
        "metrics": {"type": "object", "additionalProperties": {"type": "number"}}
      }
    },
    "axisResult": {
      "type": "object",
      "required": ["task", "axis", "value", "n", "n_ok", "n_failed", "n_skipped", "n_truncated_output"],
      "additionalProperties": false,
      "properties": {
        "task": {"type": "string"},
        "axis": {"type": "string"},
        "value": {"type": ["number", "string"]},
        "length": {"type": "integer", "minimum": 1},
        "n": {"type": "integer", "minimum": 1},
        "n_ok": {"$ref": "#/$defs/count"},
        "n_failed": {"$ref": "#/$defs/count"},
        "n_skipped": {"$ref": "#/$defs/count"},
        "n_truncated_output": {"$ref": "#/$defs/count"},
        "score": {"$ref": "#/$defs/unitScore"},
        "score_ok": {"$ref": "#/$defs/unitScore"},
        "ci95": {"$ref": "#/$defs/interval"}
      }
    }
  }
}
"""#

    public static let sample = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://fathom.invalid/sample.schema.json",
  "title": "Fathom samples.jsonl line",
  "description": "One finished sample, whatever its outcome. The last line of an id is the one that counts; `score` is present only when `status` is ok.",
  "type": "object",
  "required": ["id", "task", "length", "index", "prompt_hash", "prompt_tokens", "response", "latency_ms", "status", "attempts", "truncated", "prompt_tokens_mismatch", "cached"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string"},
    "task": {"type": "string"},
    "length": {"type": "integer", "minimum": 1},
    "index": {"type": "integer", "minimum": 0},
    "prompt_hash": {"type": "string"},
    "prompt_tokens": {"type": "integer", "minimum": 0},
    "server_prompt_tokens": {"type": "integer", "minimum": 0},
    "max_tokens": {"type": "integer", "minimum": 1},
    "response": {"type": "string"},
    "reasoning": {"type": "string"},
    "finish_reason": {"type": "string"},
    "usage": {"$ref": "#/$defs/usage"},
    "latency_ms": {"type": "number", "minimum": 0},
    "ttft_ms": {"type": "number", "minimum": 0},
    "queue_ms": {"type": "number", "minimum": 0},
    "timings": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "prompt_n": {"type": "integer", "minimum": 0},
        "prompt_ms": {"type": "number", "minimum": 0},
        "predicted_n": {"type": "integer", "minimum": 0},
        "predicted_ms": {"type": "number", "minimum": 0}
      }
    },
    "status": {"$ref": "#/$defs/status"},
    "error_class": {"type": "string"},
    "error": {"type": "string"},
    "attempts": {"type": "integer", "minimum": 0},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "scores": {"type": "object", "additionalProperties": {"type": "number"}},
    "score_details": {},
    "axes": {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
    "query": {"type": "string"},
    "truncated": {"type": "boolean"},
    "prompt_tokens_mismatch": {"type": "boolean"},
    "endpoint": {"type": "string"},
    "cached": {"type": "boolean"},
    "overflow_prompt_tokens": {"type": "integer", "minimum": 0},
    "server_context": {"type": "integer", "minimum": 0},
    "answer_depth": {"type": "number", "minimum": 0, "maximum": 100},
    "turns": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["response", "status", "latency_ms"],
        "additionalProperties": false,
        "properties": {
          "response": {"type": "string"},
          "status": {"$ref": "#/$defs/status"},
          "error_class": {"type": "string"},
          "error": {"type": "string"},
          "finish_reason": {"type": "string"},
          "usage": {"$ref": "#/$defs/usage"},
          "latency_ms": {"type": "number", "minimum": 0},
          "ttft_ms": {"type": "number", "minimum": 0},
          "score": {"type": "number", "minimum": 0, "maximum": 1},
          "scores": {"type": "object", "additionalProperties": {"type": "number"}},
          "score_details": {}
        }
      }
    }
  },
  "$defs": {
    "status": {"enum": ["ok", "overflow", "error", "skipped", "score_error"]},
    "usage": {
      "type": "object",
      "additionalProperties": false,
      "properties": {"prompt_tokens": {"type": "integer", "minimum": 0}, "completion_tokens": {"type": "integer", "minimum": 0}}
    }
  }
}
"""#
}
