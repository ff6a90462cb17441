/// The JSON Schema (draft 2020-12) of `leaderboard.json`, written to `schema.json` by `fathom publish`.
public enum LeaderboardSchema {
    public static let json = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://fathom.invalid/leaderboard.schema.json",
  "title": "Fathom leaderboard",
  "description": "leaderboard.json written by `fathom publish`: models x suites x tasks x lengths, and rankings by every FathomRank method.",
  "type": "object",
  "required": ["schema_version", "generator", "settings", "runs", "models", "suites", "results", "rankings", "axes", "efficiency", "heatmaps"],
  "additionalProperties": false,
  "properties": {
    "schema_version": {"const": 2},
    "generator": {"type": "string"},
    "settings": {
      "type": "object",
      "required": ["level", "tie_policy", "alpha", "bootstrap", "seed"],
      "additionalProperties": false,
      "properties": {
        "level": {"enum": ["task", "sample", "two-level"]},
        "tie_policy": {"enum": ["half", "both-win", "drop"]},
        "alpha": {"type": "number", "minimum": 0},
        "bootstrap": {"type": "integer", "minimum": 0},
        "seed": {"type": "integer", "minimum": 0}
      }
    },
    "runs": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["model", "suite", "run_id", "status", "partial"],
        "additionalProperties": false,
        "properties": {
          "model": {"type": "string"},
          "suite": {"type": "string"},
          "run_id": {"type": "string"},
          "status": {"type": "string"},
          "partial": {"type": "boolean"},
          "framework_version": {"type": "string"}
        }
      }
    },
    "models": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["name", "kind", "suites"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string"},
          "kind": {"type": "string"},
          "suites": {"type": "object", "additionalProperties": {"$ref": "#/$defs/suiteScore"}}
        }
      }
    },
    "suites": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["name", "lengths", "length_labels", "tasks", "headline"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string"},
          "lengths": {"type": "array", "items": {"type": "integer", "minimum": 1}},
          "length_labels": {"type": "array", "items": {"type": "string"}},
          "tasks": {"type": "array", "items": {"type": "string"}},
          "headline": {"type": "string"},
          "threshold": {"type": "number"}
        }
      }
    },
    "results": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["model", "suite", "task", "length", "length_label", "n", "n_ok", "n_error", "n_overflow", "n_score_error", "n_skipped", "n_missing", "n_truncated_output", "partial"],
        "additionalProperties": false,
        "properties": {
          "model": {"type": "string"},
          "suite": {"type": "string"},
          "task": {"type": "string"},
          "length": {"type": "integer", "minimum": 1},
          "length_label": {"type": "string"},
          "score": {"$ref": "#/$defs/unitScore"},
          "score_ok": {"$ref": "#/$defs/unitScore"},
          "ci95": {"$ref": "#/$defs/interval"},
          "n": {"type": "integer", "minimum": 0},
          "n_ok": {"type": "integer", "minimum": 0},
          "n_error": {"type": "integer", "minimum": 0},
          "n_overflow": {"type": "integer", "minimum": 0},
          "n_score_error": {"type": "integer", "minimum": 0},
          "n_skipped": {"type": "integer", "minimum": 0},
          "n_missing": {"type": "integer", "minimum": 0},
          "n_truncated_output": {"type": "integer", "minimum": 0},
          "partial": {"type": "boolean"}
        }
      }
    },
    "rankings": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["scope", "method"],
        "additionalProperties": false,
        "properties": {
          "scope": {"type": "string", "description": "all, or suite:NAME"},
          "method": {"enum": ["mean", "borda", "copeland", "kemeny", "schulze", "ranked-pairs", "bradley-terry", "plackett-luce", "elo"]},
          "fallback": {"type": "string"},
          "error": {"type": "string"},
          "result": {"$ref": "#/$defs/rankingResult"},
          "bootstrap": {
            "type": "object",
            "required": ["replicates", "failed_replicates", "seed", "resampling", "rank_ci95", "score_ci95"],
            "additionalProperties": false,
            "properties": {
              "replicates": {"type": "integer", "minimum": 0},
              "failed_replicates": {"type": "integer", "minimum": 0},
              "seed": {"type": "integer", "minimum": 0},
              "resampling": {"type": "string"},
              "rank_ci95": {"type": "object", "additionalProperties": {"$ref": "#/$defs/interval"}},
              "score_ci95": {"type": "object", "additionalProperties": {"$ref": "#/$defs/interval"}}
            }
          }
        }
      }
    },
    "axes": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["model", "suite", "task", "axis", "value", "n", "n_ok"],
        "additionalProperties": false,
        "properties": {
          "model": {"type": "string"},
          "suite": {"type": "string"},
          "task": {"type": "string"},
          "axis": {"type": "string"},
          "value": {"type": ["number", "string"]},
          "length": {"type": "integer", "minimum": 1},
          "n": {"type": "integer", "minimum": 1},
          "n_ok": {"type": "integer", "minimum": 0},
          "score": {"$ref": "#/$defs/unitScore"}
        }
      }
    },
    "efficiency": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["model", "suite", "length", "n", "latency_ms_median"],
        "additionalProperties": false,
        "properties": {
          "model": {"type": "string"},
          "suite": {"type": "string"},
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
    "heatmaps": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["model", "suite", "task", "cells"],
        "additionalProperties": false,
        "properties": {
          "model": {"type": "string"},
          "suite": {"type": "string"},
          "task": {"type": "string"},
          "cells": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["length", "depth", "n", "n_ok"],
              "additionalProperties": false,
              "properties": {
                "length": {"type": "integer", "minimum": 1},
                "depth": {"type": "number", "minimum": 0, "maximum": 100},
                "n": {"type": "integer", "minimum": 1},
                "n_ok": {"type": "integer", "minimum": 0},
                "score": {"$ref": "#/$defs/unitScore"}
              }
            }
          }
        }
      }
    },
    "probes": {
      "type": "array",
      "description": "named capability probes (fathom publish --probe NAME=EXPR): every method's ranking on the selected samples",
      "items": {
        "type": "object",
        "required": ["name", "filter", "selected_samples", "results"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string"},
          "filter": {"type": "string"},
          "selected_samples": {"type": "integer", "minimum": 1},
          "results": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["method"],
              "additionalProperties": false,
              "properties": {
                "method": {"enum": ["mean", "borda", "copeland", "kemeny", "schulze", "ranked-pairs", "bradley-terry", "plackett-luce", "elo"]},
                "error": {"type": "string"},
                "result": {
                  "type": "object",
                  "required": ["method", "selected_samples", "samples_per_model", "comparisons_per_model", "identifiable", "components",
                               "undefeated", "winless", "ranking", "models_compared"],
                  "additionalProperties": false,
                  "properties": {
                    "method": {"type": "string"},
                    "selected_samples": {"type": "integer", "minimum": 1},
                    "samples_per_model": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                    "comparisons_per_model": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
                    "identifiable": {"type": "boolean"},
                    "components": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
                    "undefeated": {"type": "array", "items": {"type": "string"}},
                    "winless": {"type": "array", "items": {"type": "string"}},
                    "ranking": {"$ref": "#/$defs/rankingResult"},
                    "kendall_tau_b": {"type": "number", "minimum": -1, "maximum": 1},
                    "models_compared": {"type": "integer", "minimum": 0},
                    "note": {"type": "string"}
                  }
                }
              }
            }
          }
        }
      }
    }
  },
  "$defs": {
    "unitScore": {"type": "number", "minimum": 0, "maximum": 1},
    "interval": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    "suiteScore": {
      "type": "object",
      "required": ["by_length", "complete", "partial"],
      "additionalProperties": false,
      "properties": {
        "mean": {"$ref": "#/$defs/unitScore"},
        "mean_ok": {"$ref": "#/$defs/unitScore"},
        "complete": {"type": "boolean"},
        "by_length": {"type": "object", "additionalProperties": {"$ref": "#/$defs/unitScore"}},
        "effective_length": {"type": "integer", "minimum": 1},
        "partial": {"type": "boolean"}
      }
    },
    "rankingResult": {
      "type": "object",
      "required": ["method", "ranking", "diagnostics"],
      "additionalProperties": false,
      "properties": {
        "method": {"type": "string"},
        "ranking": {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "object",
            "required": ["model", "rank", "score"],
            "additionalProperties": false,
            "properties": {
              "model": {"type": "string"},
              "rank": {"type": "integer", "minimum": 1},
              "score": {"type": "number"},
              "ci95": {"$ref": "#/$defs/interval"}
            }
          }
        },
        "diagnostics": {"type": "object"}
      }
    }
  }
}
"""#
}
