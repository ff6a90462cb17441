import FathomCore

/// The lines of the exec-plugin protocol as Swift values (the schema, `ExecSchema.json`, is the contract). Fathom
/// encodes requests from these types and decodes a plugin's lines into them after validating them.
enum ExecMessages {
    struct Describe: Encodable {
        let type = "describe"
        let `protocol` = ExecSchema.protocolVersion
    }

    struct Init: Encodable {
        struct Task: Encodable {
            var name: String
            var version: Int
            var params: ParameterSet
            var metrics: [String]
            var maxTokens: Int
            var stop: [String]
            var prefixMode: AnswerPrefixMode
            enum CodingKeys: String, CodingKey { case name, version, params, metrics, maxTokens = "max_tokens", stop, prefixMode = "prefix_mode" }
        }
        let type = "init"
        let `protocol` = ExecSchema.protocolVersion
        var task: Task
    }

    struct MakeSample: Encodable {
        struct Tokenizer: Encodable {
            var name: String
            var exact: Bool
        }
        let type = "make_sample"
        var sampleID: String
        var index: Int
        var length: Int
        var seed: UInt64
        var seedText: String
        var generation: GenerationSettings
        var tokenizer: Tokenizer
        enum CodingKeys: String, CodingKey {
            case type, sampleID = "sample_id", index, length, seed, seedText = "seed_text", generation, tokenizer
        }
    }

    /// A sample as scorers and oracles see it: everything but the prompt.
    struct SampleView: Encodable {
        var id: String
        var task: String
        var index: Int
        var length: Int
        var answerPrefix: String
        var reference: Reference
        var maxTokens: Int
        var axes: [String: AxisValue]
        var knobs: [String: ParameterValue]
        enum CodingKeys: String, CodingKey {
            case id, task, index, length, answerPrefix = "answer_prefix", reference, maxTokens = "max_tokens", axes, knobs
        }

        init(_ sample: Sample) {
            id = sample.id
            task = sample.task
            index = sample.index
            length = sample.length
            answerPrefix = sample.answerPrefix
            reference = sample.reference
            maxTokens = sample.generation.maxTokens
            axes = sample.metadata.axes
            knobs = sample.metadata.knobs
        }
    }

    struct Score: Encodable {
        struct Response: Encodable {
            var text: String
            var reasoning: String?
            var finishReason: String?
            var truncated: Bool
            var usage: Usage?
            enum CodingKeys: String, CodingKey { case text, reasoning, finishReason = "finish_reason", truncated, usage }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(text, forKey: .text)
                try c.encode(reasoning, forKey: .reasoning)
                try c.encode(finishReason, forKey: .finishReason)
                try c.encode(truncated, forKey: .truncated)
                try c.encode(usage, forKey: .usage)
            }
        }
        let type = "score"
        var sample: SampleView
        var response: Response
        var allowExec: Bool
        enum CodingKeys: String, CodingKey { case type, sample, response, allowExec = "allow_exec" }
    }

    struct Oracle: Encodable {
        let type = "oracle"
        var sample: SampleView
    }

    struct TokenCounts: Encodable {
        let type = "token_counts"
        var counts: [Int]
    }

    struct PromptTokens: Encodable {
        let type = "prompt_tokens"
        var tokens: Int
    }

    // Lines a plugin writes.

    /// Only the `type` of a line, to dispatch on it.
    struct Tag: Decodable { var type: String }

    struct Description: Decodable {
        struct Parameter: Decodable {
            var name: String
            var type: ParameterType
            var `default`: ParameterValue
            var doc: String
            var minimum: Int?
            var allowed: [String]?
        }
        var `protocol`: Int
        var summary: String
        var metrics: [String]
        var maxTokens: Int
        var tags: TaskTags?
        var parameters: [Parameter]?
        var axes: [Axis]?
        var provenance: [String: String]?
        enum CodingKeys: String, CodingKey { case `protocol`, summary, metrics, maxTokens = "max_tokens", tags, parameters, axes, provenance }
    }

    struct Axis: Decodable {
        var name: String
        var doc: String
        var binning: AxisSpec.Binning?
        var spec: AxisSpec { AxisSpec(name, doc: doc, binning: binning ?? .exact) }
    }

    struct CountTokens: Decodable { var texts: [String] }

    struct CountPrompt: Decodable {
        var messages: [Message]
        var answerPrefix: String?
        enum CodingKeys: String, CodingKey { case messages, answerPrefix = "answer_prefix" }
    }

    struct SampleReply: Decodable {
        var messages: [Message]
        var answerPrefix: String?
        var reference: Reference
        var maxTokens: Int?
        var promptTokens: Int?
        var contextTokens: Int?
        var axes: [String: AxisValue]?
        var knobs: [String: ParameterValue]?
        var needles: [NeedlePlacement]?
        var turns: [Turn]?
        var turnMode: TurnMode?
        enum CodingKeys: String, CodingKey {
            case messages, answerPrefix = "answer_prefix", reference, maxTokens = "max_tokens", promptTokens = "prompt_tokens"
            case contextTokens = "context_tokens", axes, knobs, needles, turns, turnMode = "turn_mode"
        }
    }

    struct ScoreReply: Decodable {
        var value: Double
        var metrics: [String: Double]?
        var details: JSONValue?
    }

    struct Reason: Decodable { var reason: String }

    struct OracleReply: Decodable { var answer: String }

    struct ErrorReply: Decodable {
        var message: String
        var key: String?
    }
}
