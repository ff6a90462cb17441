/// One chat message of a prompt.
public struct Message: Codable, Sendable, Hashable {
    public enum Role: String, Codable, Sendable { case system, user, assistant }
    public var role: Role
    public var content: String
    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// How the answer prefix reaches the model.
public enum AnswerPrefixMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Chat endpoint; the prefix ends the last user message (RULER's behaviour for API models). The default.
    case chatUser = "chat-user"
    /// Chat endpoint; the prefix is a prefilled assistant turn the model continues.
    case chatPrefill = "chat-prefill"
    /// Completions endpoint; the rendered prompt with the prefix appended.
    case completion
}

/// Decoding settings sent with every request; nothing is left to server defaults.
public struct GenerationSettings: Codable, Sendable, Hashable {
    public var maxTokens: Int
    public var stop: [String]
    public var temperature: Double
    public var topP: Double
    public var prefixMode: AnswerPrefixMode

    public init(maxTokens: Int, stop: [String] = [], temperature: Double = 0, topP: Double = 1, prefixMode: AnswerPrefixMode = .chatUser) {
        self.maxTokens = maxTokens
        self.stop = stop
        self.temperature = temperature
        self.topP = topP
        self.prefixMode = prefixMode
    }

    enum CodingKeys: String, CodingKey {
        case maxTokens = "max_tokens", stop, temperature, topP = "top_p", prefixMode = "prefix_mode"
    }
}

/// What a correct answer contains: gold strings for string metrics, and a typed, structured reference (a table,
/// trace lines, SQL rows, keyed answers, graded labels: whatever the task needs) that `export` writes out as JSON.
public struct Reference: Codable, Sendable, Hashable {
    public var answers: [String]
    /// The plugin's own reference type, as JSON; read it back with `decode(_:)`.
    public var structured: JSONValue?

    public init(answers: [String], structured: JSONValue? = nil) {
        self.answers = answers
        self.structured = structured
    }

    /// A reference carrying a typed value (and, optionally, gold strings).
    public init<T: Encodable>(answers: [String] = [], _ value: T) throws(FathomError) {
        self.answers = answers
        self.structured = try JSONValue(encoding: value)
    }

    /// The structured reference as the plugin's type; an error when there is none or it does not decode.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(FathomError) -> T {
        guard let structured else { throw FathomError(.invalidValue, "the sample has no structured reference") }
        return try structured.decode(as: T.self)
    }
}

/// Where a needle ended up in the rendered prompt.
public struct NeedlePlacement: Codable, Sendable, Hashable {
    /// The needle's key (what the question asks about).
    public var key: String
    /// Requested depth in percent of the context, when the task asked for one.
    public var requestedDepth: Double?
    /// Token offset of the needle's first token from the start of the rendered prompt.
    public var tokenOffset: Int
    /// Actual depth: the needle's token offset within the context, in percent of the context's tokens.
    public var depth: Double

    public init(key: String, requestedDepth: Double?, tokenOffset: Int, depth: Double) {
        self.key = key
        self.requestedDepth = requestedDepth
        self.tokenOffset = tokenOffset
        self.depth = depth
    }

    enum CodingKeys: String, CodingKey {
        case key, requestedDepth = "requested_depth", tokenOffset = "token_offset", depth
    }
}

/// Measured facts about a synthesized sample.
public struct SampleMetadata: Codable, Sendable, Hashable {
    /// The length L the sample was built for.
    public var targetLength: Int
    /// Tokens of the rendered prompt (BOS included when the tokenizer adds one), in the chosen tokenizer.
    public var promptTokens: Int
    /// Tokens of the context (haystack plus needles) alone.
    public var contextTokens: Int
    /// The prompt without its context (instructions and question): what a capability probe (`fathom rank --query`)
    /// compares. Recorded in samples.jsonl as `query`; nil when the plugin does not say.
    public var query: String?
    /// Fingerprint of the tokenizer that counted.
    public var tokenizer: String
    public var needles: [NeedlePlacement]
    /// Sample-specific knobs worth reporting (e.g. haystack corpus hash, depth cell).
    public var knobs: [String: ParameterValue]
    /// The sample's value on each axis its task declares.
    public var axes: [String: AxisValue]

    public init(
        targetLength: Int, promptTokens: Int, contextTokens: Int, query: String? = nil, tokenizer: String, needles: [NeedlePlacement] = [],
        knobs: [String: ParameterValue] = [:], axes: [String: AxisValue] = [:]
    ) {
        self.targetLength = targetLength
        self.promptTokens = promptTokens
        self.contextTokens = contextTokens
        self.query = query
        self.tokenizer = tokenizer
        self.needles = needles
        self.knobs = knobs
        self.axes = axes
    }

    enum CodingKeys: String, CodingKey {
        case targetLength = "target_length", promptTokens = "prompt_tokens", contextTokens = "context_tokens"
        case query, tokenizer, needles, knobs, axes
    }
}

/// A further question over the same context, asked after the answer to the previous one. Any plugin can give a
/// sample several turns: the runner asks them in order and scores each with the plugin's scorer against the turn's
/// own reference; the plugin's `combine(turns:)` makes the sample's score (the mean by default).
public struct Turn: Codable, Sendable, Hashable {
    /// The question as a new user message, for `conversation` mode.
    public var question: String
    /// The whole prompt with this question in place of the first one, for `separate` mode (same context prefix).
    public var messages: [Message]
    public var answerPrefix: String
    public var reference: Reference
    /// The turn's own decoding budget; nil keeps the sample's.
    public var maxTokens: Int?

    public init(question: String, messages: [Message], answerPrefix: String, reference: Reference, maxTokens: Int? = nil) {
        self.question = question
        self.messages = messages
        self.answerPrefix = answerPrefix
        self.reference = reference
        self.maxTokens = maxTokens
    }

    enum CodingKeys: String, CodingKey { case question, messages, answerPrefix = "answer_prefix", reference, maxTokens = "max_tokens" }
}

/// How later turns are sent: as turns of one conversation (earlier questions and answers included), or as separate
/// requests whose prompts share the context prefix (so the server's prefix cache is exercised; after SCBench).
public enum TurnMode: String, Codable, Sendable, Hashable, CaseIterable, ParameterChoice {
    case conversation, separate
}

/// A synthesized test case: the prompt to send, the settings to send it with, and what a right answer contains.
public struct Sample: Codable, Sendable, Hashable {
    /// Stable id: see `SampleIdentity`.
    public var id: String
    public var task: String
    public var index: Int
    /// Target length L.
    public var length: Int
    public var messages: [Message]
    /// Text the answer is expected to continue from (RULER-style answer prefix); empty when none.
    public var answerPrefix: String
    /// The exact text whose tokens were counted for the length rule.
    public var promptText: String
    public var reference: Reference
    /// Settings sent with the request; `maxTokens` may be the sample's own (it is counted by the length rule).
    public var generation: GenerationSettings
    public var metadata: SampleMetadata
    /// Further turns over the same context; the sample is scored on all of them.
    public var turns: [Turn]
    public var turnMode: TurnMode

    public init(
        id: String, task: String, index: Int, length: Int, messages: [Message], answerPrefix: String, promptText: String,
        reference: Reference, generation: GenerationSettings, metadata: SampleMetadata, turns: [Turn] = [],
        turnMode: TurnMode = .conversation
    ) {
        self.id = id
        self.task = task
        self.index = index
        self.length = length
        self.messages = messages
        self.answerPrefix = answerPrefix
        self.promptText = promptText
        self.reference = reference
        self.generation = generation
        self.metadata = metadata
        self.turns = turns
        self.turnMode = turnMode
    }

    enum CodingKeys: String, CodingKey {
        case id, task, index, length, messages, answerPrefix = "answer_prefix", promptText = "prompt_text"
        case reference, generation, metadata, turns, turnMode = "turn_mode"
    }

    /// The sample as a single-question request for turn `k` (0-based, the turn after the first question), after
    /// `previous` answers: in `conversation` mode the earlier turns (with their answer prefixes) and answers come
    /// first; in `separate` mode it is the turn's own prompt. `renderer` renders the completions-route prompt text.
    public func turnRequest(_ k: Int, previous answers: [String], renderer: any PromptRenderer = PlainPromptRenderer()) throws(FathomError) -> Sample {
        let turn = turns[k]
        var copy = self
        copy.turns = []
        copy.answerPrefix = turn.answerPrefix
        copy.reference = turn.reference
        if let maxTokens = turn.maxTokens { copy.generation.maxTokens = maxTokens }
        switch turnMode {
        case .separate:
            copy.messages = turn.messages
        case .conversation:
            var history = messages
            let prefixes = [answerPrefix] + turns.prefix(k).map { $0.answerPrefix }
            let questions = turns.prefix(k).map { $0.question }
            for (step, answer) in answers.enumerated() {
                if step > 0 { history.append(Message(.user, questions[step - 1])) }
                if let last = history.indices.last, history[last].role == .user { history[last].content += prefixes[step] }
                history.append(Message(.assistant, answer))
            }
            history.append(Message(.user, turn.question))
            copy.messages = history
        }
        copy.promptText = try renderer.render(messages: copy.messages, answerPrefix: copy.answerPrefix)
        return copy
    }
}

/// A scored answer: the headline value in 0...1, every metric the task reports, and optional per-sample details
/// (the position of a first divergence, accuracy by output decile, the last id answered…) written to samples.jsonl.
public struct Score: Codable, Sendable, Hashable {
    public var value: Double
    public var metrics: [String: Double]
    public var details: JSONValue?

    public init(value: Double, metrics: [String: Double], details: JSONValue? = nil) {
        self.value = value
        self.metrics = metrics
        self.details = details
    }

    /// The mean of each value and metric over `scores` (the details of the first).
    public static func mean(_ scores: [Score]) -> Score {
        guard let first = scores.first else { return Score(value: 0, metrics: [:]) }
        guard scores.count > 1 else { return first }
        var metrics: [String: Double] = [:]
        for name in Set(scores.flatMap { $0.metrics.keys }) {
            let values = scores.compactMap { $0.metrics[name] }
            metrics[name] = values.reduce(0, +) / Double(values.count)
        }
        return Score(value: scores.map(\.value).reduce(0, +) / Double(scores.count), metrics: metrics, details: first.details)
    }
}
