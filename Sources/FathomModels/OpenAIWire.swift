import FathomCore

/// JSON bodies of the OpenAI-compatible chat completions API, as far as Fathom reads and writes them.
enum OpenAIWire {
    struct ChatMessage: Codable {
        var role: String
        var content: String
    }

    struct ChatRequest: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var top_p: Double
        var seed: UInt64
        var max_tokens: Int
        var stop: [String]?
        var stream: Bool
    }

    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var reasoning_content: String?
            }
            var message: Message?
            var text: String?
            var finish_reason: String?
        }
        struct WireUsage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }
        var choices: [Choice]
        var usage: WireUsage?
    }

    struct ErrorEnvelope: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var code: CodeValue?
        }
        var error: Detail?
        var message: String?
        var detail: String?
    }

    /// Error codes come as strings (OpenAI, llama.cpp) or numbers (vLLM).
    enum CodeValue: Decodable {
        case text(String), number(Int)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
        var text: String {
            switch self {
            case .text(let value): value
            case .number(let value): String(value)
            }
        }
    }
}
