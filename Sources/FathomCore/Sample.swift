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

/// What a correct answer contains: the gold strings the task's metrics compare against.
public struct Reference: Codable, Sendable, Hashable {
    public var answers: [String]
    public init(answers: [String]) { self.answers = answers }
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
    /// Fingerprint of the tokenizer that counted.
    public var tokenizer: String
    public var needles: [NeedlePlacement]
    /// Sample-specific knobs worth reporting (e.g. haystack corpus hash, depth cell).
    public var knobs: [String: ParameterValue]

    public init(
        targetLength: Int, promptTokens: Int, contextTokens: Int, tokenizer: String, needles: [NeedlePlacement] = [],
        knobs: [String: ParameterValue] = [:]
    ) {
        self.targetLength = targetLength
        self.promptTokens = promptTokens
        self.contextTokens = contextTokens
        self.tokenizer = tokenizer
        self.needles = needles
        self.knobs = knobs
    }

    enum CodingKeys: String, CodingKey {
        case targetLength = "target_length", promptTokens = "prompt_tokens", contextTokens = "context_tokens"
        case tokenizer, needles, knobs
    }
}

/// A follow-up question over the same context (shared-context mode, after SCBench).
public struct FollowUp: Codable, Sendable, Hashable {
    /// The question as a new user turn, for `conversation` mode.
    public var question: String
    /// The whole prompt with this question in place of the first one, for `separate` mode (same context prefix).
    public var messages: [Message]
    public var answerPrefix: String
    public var reference: Reference

    public init(question: String, messages: [Message], answerPrefix: String, reference: Reference) {
        self.question = question
        self.messages = messages
        self.answerPrefix = answerPrefix
        self.reference = reference
    }

    enum CodingKeys: String, CodingKey { case question, messages, answerPrefix = "answer_prefix", reference }
}

/// How follow-up questions are sent: as later turns of one conversation, or as separate requests whose prompts
/// share the context prefix (so the server's prefix cache is exercised).
public enum FollowUpMode: String, Codable, Sendable, Hashable, CaseIterable {
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
    public var generation: GenerationSettings
    public var metadata: SampleMetadata
    /// Further questions over the same context; the sample is scored on all of them.
    public var followUps: [FollowUp]
    public var followUpMode: FollowUpMode

    public init(
        id: String, task: String, index: Int, length: Int, messages: [Message], answerPrefix: String, promptText: String,
        reference: Reference, generation: GenerationSettings, metadata: SampleMetadata, followUps: [FollowUp] = [],
        followUpMode: FollowUpMode = .conversation
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
        self.followUps = followUps
        self.followUpMode = followUpMode
    }

    enum CodingKeys: String, CodingKey {
        case id, task, index, length, messages, answerPrefix = "answer_prefix", promptText = "prompt_text"
        case reference, generation, metadata, followUps = "follow_ups", followUpMode = "follow_up_mode"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        task = try c.decode(String.self, forKey: .task)
        index = try c.decode(Int.self, forKey: .index)
        length = try c.decode(Int.self, forKey: .length)
        messages = try c.decode([Message].self, forKey: .messages)
        answerPrefix = try c.decode(String.self, forKey: .answerPrefix)
        promptText = try c.decode(String.self, forKey: .promptText)
        reference = try c.decode(Reference.self, forKey: .reference)
        generation = try c.decode(GenerationSettings.self, forKey: .generation)
        metadata = try c.decode(SampleMetadata.self, forKey: .metadata)
        followUps = try c.decodeIfPresent([FollowUp].self, forKey: .followUps) ?? []
        followUpMode = try c.decodeIfPresent(FollowUpMode.self, forKey: .followUpMode) ?? .conversation
    }

    /// The sample as a single-question request for follow-up `k` (0-based), after `previous` answers: in
    /// `conversation` mode the earlier turns (with their answer prefixes) and answers come first; in `separate` mode
    /// it is the follow-up's own prompt.
    /// `renderer` renders the completions-route prompt text (the plain renderer by default).
    public func followUpRequest(_ k: Int, previous answers: [String], renderer: any PromptRenderer = PlainPromptRenderer()) throws(FathomError) -> Sample {
        let followUp = followUps[k]
        var copy = self
        copy.followUps = []
        copy.answerPrefix = followUp.answerPrefix
        copy.reference = followUp.reference
        switch followUpMode {
        case .separate:
            copy.messages = followUp.messages
        case .conversation:
            var history = messages
            let prefixes = [answerPrefix] + followUps.prefix(k).map { $0.answerPrefix }
            let questions = followUps.prefix(k).map { $0.question }
            for (turn, answer) in answers.enumerated() {
                if turn > 0 { history.append(Message(.user, questions[turn - 1])) }
                if let last = history.indices.last, history[last].role == .user { history[last].content += prefixes[turn] }
                history.append(Message(.assistant, answer))
            }
            history.append(Message(.user, followUp.question))
            copy.messages = history
        }
        copy.promptText = try renderer.render(messages: copy.messages, answerPrefix: copy.answerPrefix)
        return copy
    }
}

/// A scored answer: the headline value in 0...1 and every metric the task reports.
public struct Score: Codable, Sendable, Hashable {
    public var value: Double
    public var metrics: [String: Double]
    public init(value: Double, metrics: [String: Double]) {
        self.value = value
        self.metrics = metrics
    }
}
