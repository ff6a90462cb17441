import FathomCore
import Foundation

/// JSON bodies of the OpenAI-compatible APIs, as far as Fathom writes and reads them.
enum OpenAIWire {
    struct ChatMessage: Codable {
        var role: String
        var content: String
    }

    struct StreamOptions {
        var include_usage: Bool
    }

    /// A chat or completions request; fields a route does not use stay nil and are not sent.
    struct Request {
        var model: String
        var messages: [ChatMessage]?
        var prompt: String?
        var temperature: Double
        var top_p: Double
        var seed: UInt64
        var max_tokens: Int
        var stop: [String]?
        var stream: Bool
        var stream_options: StreamOptions?
        /// vLLM: continue the final assistant message instead of opening a new turn.
        var continue_final_message: Bool?
        var add_generation_prompt: Bool?
    }

    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var reasoning_content: String?
            }
            var message: Message?
            var delta: Message?
            var text: String?
            var finish_reason: String?
        }
        struct WireUsage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }
        /// llama.cpp's per-request timings.
        struct WireTimings: Decodable {
            var prompt_n: Int?
            var prompt_ms: Double?
            var predicted_n: Int?
            var predicted_ms: Double?
        }
        var choices: [Choice]?
        var usage: WireUsage?
        var timings: WireTimings?
    }

    struct ErrorEnvelope: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var n_prompt_tokens: Int?
            var n_ctx: Int?
        }
        var error: Detail?
        var message: String?
        var detail: String?
    }
}
