import FathomCore
import FathomText

/// LongProc's theory-of-mind tracking: a story of agents moving between rooms and moving objects between
/// containers; for one (agent, object) pair the model writes, step by step, the agent's location, the object's
/// location, whether the agent sees the object and where the agent believes it is, then the final answer.
///
/// The story has as many steps as the output level needs (about 55 tokens a step). Each step has one event of the
/// two main agents and two main objects (as in LongProc) and, to grow the input to the length, events of other
/// agents and objects, which change nothing the trace tracks. Both the step trace (strict and partial, lines
/// normalised as LongProc does) and the final answer are scored: `accuracy` needs both.
public struct ToMTracking: TaskPlugin {
    public static let kind = "longproc_tom_tracking"
    public static let summary = "Track an agent's location and belief about an object step by step through a long story."
    public static let metrics = ["accuracy", "partial_accuracy", "trace_accuracy", "final_answer", "extraction_rate", "truncated"]
    public static let defaultMaxTokens = 10_000
    public static let defaultTags = TaskTags(family: "long-procedure", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var levels = OutputLevel.standard
        public var budgetPercent = 125
        public init() {}
        enum CodingKeys: String, CodingKey { case levels, budgetPercent = "budget_percent" }
        public static let documentation: [String: ParameterDoc] = [
            "levels": ParameterDoc("reference output tokens; sample i takes levels[i mod count] (125…16000)"),
            "budget_percent": ParameterDoc("max_tokens as a percentage of the sample's level", minimum: 100),
        ]
    }

    public let descriptor: TaskDescriptor
    let settings: LevelSettings

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        try OutputLevel.validate(parameters.levels)
        self.descriptor = descriptor
        settings = LevelSettings(levels: parameters.levels, budgetPercent: parameters.budgetPercent)
    }

    public var axes: [AxisSpec] { [OutputLevel.axis] }

    /// The structured reference: the trace lines and the final answer.
    struct Trace: Codable, Hashable {
        var agent: String
        var object: String
        var steps: [String]
        var finalAnswer: String
    }

    /// A story's main line: the world, its initial state and one main event per step (agents 0 and 1, objects 0
    /// and 1, rooms 0 and 1; agent 0 and object 0 are asked about).
    struct Story: Sendable, Hashable {
        var world: ToMWorld
        var initial: ToMWorld.State
        var events: [ToMWorld.Event]

        /// The trace lines, the header and the final answer; throws when an event is impossible.
        func trace() throws(FathomError) -> Trace {
            let (a, o) = (world.agents[0], world.objects[0])
            var state = initial
            var belief: ToMWorld.Place? = nil
            func line(_ step: Int, _ change: String?) -> String {
                let location = state.agent[0].map { world.rooms[$0] } ?? "None"
                let sees = state.agent[0] == state.object[0].room
                if sees { belief = state.object[0] }
                let believed = belief.map { world.place($0) } ?? "None"
                return "- Step \(step): (\(change ?? "initial state")) {\(a) location: \(location); \(o) location: \(world.place(state.object[0])); "
                    + "\(a) sees \(o): \(sees ? "True" : "False"); \(a)'s belief on \(o): \(believed)}"
            }
            var lines = [line(0, nil)]
            for (i, event) in events.enumerated() {
                let before = state
                try world.apply(event, to: &state)
                let agentChange = before.agent[0] == state.agent[0] ? "unchanged" : "changed"
                let objectChange = before.object[0] == state.object[0] ? "unchanged" : "changed"
                lines.append(line(i + 1, "\(a) location \(agentChange); \(o) location \(objectChange)"))
            }
            guard let belief else { throw FathomError(.invalidValue, "tom_tracking: the agent never sees the object") }
            return Trace(agent: a, object: o, steps: lines, finalAnswer: "the " + world.place(belief))
        }

        static func oracle(_ trace: Trace) -> String {
            "\(trace.agent)'s belief on the \(trace.object):\n" + trace.steps.joined(separator: "\n") + "\nFinal Answer: \(trace.finalAnswer)"
        }
    }

    /// Draws a world: `mainAgents`/`mainObjects` first, then extra agents and objects for distractor events.
    static func world(_ rng: inout SeededRandom, agents: Int, objects: Int, rooms: Int, names: inout ProcNames) -> ToMWorld {
        let roomIndices = rng.sampleIndices(ToMWorld.roomNames.count, rooms)
        let objectIndices = rng.sampleIndices(ToMWorld.objectNames.count, min(objects, ToMWorld.objectNames.count))
        let containers = roomIndices.map { _ in rng.sampleIndices(ToMWorld.containerNames.count, 2).map { ToMWorld.containerNames[$0] } }
        return ToMWorld(
            agents: (0..<agents).map { _ in names.person(&rng) }, objects: objectIndices.map { ToMWorld.objectNames[$0] },
            rooms: roomIndices.map { ToMWorld.roomNames[$0] }, containers: containers)
    }

    /// The main line of a story with `steps` steps.
    static func story(world: ToMWorld, steps: Int, _ rng: inout SeededRandom) -> Story {
        var state = ToMWorld.State(
            agent: world.agents.indices.map { _ in rng.below(2) }, object: world.objects.indices.map { _ in
                ToMWorld.Place(room: rng.below(2), container: rng.below(2))
            })
        let initial = state
        var events: [ToMWorld.Event] = []
        for _ in 0..<steps {
            let agent = rng.below(5) < 3 ? 0 : 1
            let event = rng.pick(world.options(agent: agent, objects: [0, 1], rooms: [0, 1], in: state, &rng))
            try! world.apply(event, to: &state)
            events.append(event)
        }
        return Story(world: world, initial: initial, events: events)
    }

    /// Events of the extra agents and objects (indices from 2), spread over the steps.
    static func distractors(world: ToMWorld, initial: ToMWorld.State, agents: Int, objects: Int, count: Int, seed: UInt64)
        -> [ToMWorld.Event]
    {
        var stream = DistractorStream(world: world, initial: initial, agents: agents, objects: objects, seed: seed)
        return (0..<count).compactMap { _ in stream.next() }
    }

    /// The distractor events as a stream: each call simulates one more event (so a longer story extends a shorter
    /// one instead of replaying it).
    struct DistractorStream {
        let world: ToMWorld
        var state: ToMWorld.State
        var rng: SeededRandom
        let actors: [Int], movable: [Int], rooms: [Int]

        init(world: ToMWorld, initial: ToMWorld.State, agents: Int, objects: Int, seed: UInt64) {
            self.world = world
            state = initial
            rng = SeededRandom(seed: seed)
            actors = Array(2..<(2 + agents))
            movable = Array(2..<(2 + objects))
            rooms = Array(world.rooms.indices)
        }

        mutating func next() -> ToMWorld.Event? {
            guard !actors.isEmpty else { return nil }
            let agent = rng.pick(actors)
            let event = rng.pick(world.options(agent: agent, objects: movable, rooms: rooms, in: state, &rng))
            try! world.apply(event, to: &state)
            return event
        }
    }

    /// The cast of extra agents (and as many extra objects) for a story whose distractor events take about
    /// `tokens` tokens: 1 to 24, one more per 2,000 tokens.
    static func extraCast(tokens: Int, world: ToMWorld) -> Int {
        tokens <= 0 ? 0 : min(24, 1 + tokens / 2000, world.agents.count - 2, world.objects.count - 2)
    }

    /// The story text: step 0 states where everyone is, then each step tells its events (the main one among the
    /// distractor events of that step).
    static func storyText(_ story: Story, filler: Int, extra: Int, seed: UInt64, sentences: ArraySlice<String>? = nil) -> String {
        let world = story.world
        let said = sentences ?? distractors(
            world: world, initial: story.initial, agents: extra, objects: extra, count: filler, seed: deriveSeed(seed, "distractors")
        ).map(world.sentence)[...]
        let steps = story.events.count
        var perStep = [[String]](repeating: [], count: steps)
        for (j, sentence) in said.enumerated() { perStep[j * steps / max(1, said.count)].append(sentence) }
        var rng = SeededRandom(seed: deriveSeed(seed, "order \(filler)"))
        var out = "Step 0: " + world.initialSentence(story.initial, agents: Array(0..<(2 + extra)), objects: Array(0..<(2 + extra)))
        for (i, event) in story.events.enumerated() {
            var sentences = perStep[i]
            sentences.insert(world.sentence(event), at: rng.below(sentences.count + 1))
            out += "\nStep \(i + 1): " + sentences.joined(separator: " ")
        }
        return out
    }

    /// Checks that the story text's events, replayed, give the reference trace: every event possible, the main
    /// agent and object touched only by main events.
    static func validate(_ story: Story, distractorEvents: [ToMWorld.Event], expected: Trace) throws(FathomError) {
        guard try story.trace() == expected else { throw FathomError(.invalidValue, "tom_tracking: the trace does not follow the story") }
        var state = story.initial
        for event in distractorEvents {
            switch event {
            case .moveTo(let a, _), .leave(let a), .enter(let a, _):
                guard a >= 2 else { throw FathomError(.invalidValue, "tom_tracking: a distractor event moves a main agent") }
            case .moveObject(let a, let o, _), .carry(let a, _, let o, _):
                guard a >= 2, o >= 2 else { throw FathomError(.invalidValue, "tom_tracking: a distractor event touches a main agent or object") }
            }
            try story.world.apply(event, to: &state)
        }
    }

    final class Instance: ProcInstance {
        let story: Story
        let trace: Trace
        let oracle: String
        let oracleTokens: Int
        let example: String
        let seed: UInt64
        /// Extra agents and objects, fixed by `prepare` for the whole size search.
        var extra = 0

        init(story: Story, trace: Trace, tokens: Int, example: String, seed: UInt64) {
            self.story = story
            self.trace = trace
            oracle = Story.oracle(trace)
            oracleTokens = tokens
            self.example = example
            self.seed = seed
        }

        var answerPrefix: String { "" }
        var bytesPerFillerUnit: Double { 44 }
        var knobs: [String: ParameterValue] { ["steps": .int(story.events.count)] }

        func reference() throws(FathomError) -> Reference { try Reference(answers: [oracle], trace) }

        func messages(context: String) -> [Message] {
            [Message(.user, ToMTracking.prompt(example: example, story: context, agent: trace.agent, object: trace.object))]
        }

        func prepare(fillerTokens: Int, bytesPerToken: Double) {
            extra = ToMTracking.extraCast(tokens: fillerTokens, world: story.world)
            sentences = []
            events = []
            stream = nil
        }

        /// Distractor events' sentences: the events for n are the first n of one stream, so they are made once.
        var sentences: [String] = []
        var events: [ToMWorld.Event] = []
        var stream: DistractorStream? = nil

        func grow(to count: Int) {
            if stream == nil {
                stream = DistractorStream(
                    world: story.world, initial: story.initial, agents: extra, objects: extra, seed: deriveSeed(seed, "distractors"))
            }
            while events.count < count, let event = stream!.next() {
                events.append(event)
                sentences.append(story.world.sentence(event))
            }
        }

        func context(filler: Int) -> String {
            grow(to: filler)
            return ToMTracking.storyText(story, filler: filler, extra: extra, seed: seed, sentences: sentences.prefix(filler))
        }

        func fillerUnits(_ range: Range<Int>) -> [String] {
            grow(to: range.upperBound)
            return sentences[range].map { $0 + " " }
        }

        func validate(filler: Int) throws {
            grow(to: filler)
            try ToMTracking.validate(story, distractorEvents: Array(events.prefix(filler)), expected: trace)
        }
    }

    static func prompt(example: String, story: String, agent: String, object: String) -> String {
        """
        [TASK]
        You will read a story about agents who move between rooms and move objects between containers. For one agent \
        and one object, track step by step where the agent is, where the object is, whether the agent sees the object, \
        and where the agent believes the object is.

        [RULES]
        - An agent who moves to a room, enters a room or leaves the room they were in changes location. An agent who \
        has left a room and not entered another is in no room: their location is None.
        - An object changes location only when someone moves it.
        - An agent sees an object when both are in the same room. While the agent sees the object, the agent's belief \
        is the object's true location; otherwise the belief stays what it was. Before the agent first sees the object, \
        the belief is None.
        - Only the asked agent and object matter; the other agents and objects change nothing you track.
        - Write a header line, then one line per step starting with "- Step", then the final answer, exactly as in the \
        example.

        \(example.isEmpty ? "" : "[EXAMPLE]\n\(example)\n\n")[STORY]
        \(story)

        [QUESTION]
        Where does \(agent) believe the \(object) is?
        """
    }

    /// A solved 5-step example with its own names and one distractor agent.
    static func example(_ rng: inout SeededRandom, names: inout ProcNames) -> String {
        let world = Self.world(&rng, agents: 3, objects: 3, rooms: 2, names: &names)
        for _ in 0..<20 {
            let story = Self.story(world: world, steps: 5, &rng)
            guard let trace = try? story.trace() else { continue }
            let text = storyText(story, filler: 3, extra: 1, seed: rng.next())
            return "Story:\n\(text)\n\nQuestion: Where does \(trace.agent) believe the \(trace.object) is?\n\nAnswer:\n" + Story.oracle(trace)
        }
        return ""
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try ProcSampler.sample(request, descriptor: descriptor, settings: settings, inputPerOutputToken: 0.15) { level, seed, compact in
            var exampleRNG = SeededRandom(seed: deriveSeed(seed, "example"))
            var names = ProcNames()
            let example = Self.example(&exampleRNG, names: &names)
            var worldRNG = SeededRandom(seed: deriveSeed(seed, "world"))
            let world = Self.world(&worldRNG, agents: 2 + 24, objects: 2 + 24, rooms: 4, names: &names)
            let fitted = try ProcSampler.fitOutput(level: level, tokenizer: request.tokenizer, guess: max(1, level / 55 - 1)) {
                (steps: Int, draw: Int) -> (value: (Story, Trace), oracle: String)? in
                var rng = SeededRandom(seed: deriveSeed(seed, "story \(steps) \(draw)"))
                for _ in 0..<8 {
                    let story = Self.story(world: world, steps: steps, &rng)
                    if let trace = try? story.trace() { return ((story, trace), Story.oracle(trace)) }
                }
                return nil
            }
            return Instance(
                story: fitted.value.0, trace: fitted.value.1, tokens: fitted.tokens, example: compact ? "" : example, seed: deriveSeed(seed, "text"))
        }
    }

    // MARK: Scoring

    static let stopWords: Set<[UInt8]> = Set(
        ["a", "an", "the", "on", "in", "at", "step", "thinks", "think", "believes", "believe", "is", "are", "of", "location", "know", "knows", "belief"]
            .map { Array($0.utf8) })

    /// LongProc's normalisation of a trace line: lowercase, ASCII punctuation and ’ removed, stop words removed,
    /// whitespace collapsed.
    static func normalized(_ text: Substring, stopWords: Set<[UInt8]> = ToMTracking.stopWords) -> [UInt8] {
        var words: [[UInt8]] = [[]]
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            let v = s.value
            if v == 0x2019 { continue }
            if v < 0x80 {
                let b = UInt8(v)
                if (0x21...0x2F).contains(b) || (0x3A...0x40).contains(b) || (0x5B...0x60).contains(b) || (0x7B...0x7E).contains(b) { continue }
                if b == 0x20 || (0x09...0x0D).contains(b) {
                    if !words[words.count - 1].isEmpty { words.append([]) }
                    continue
                }
                words[words.count - 1].append((0x41...0x5A).contains(b) ? b + 32 : b)
            } else {
                words[words.count - 1].append(contentsOf: String(s).lowercased().utf8)
            }
        }
        var out: [UInt8] = []
        for word in words where !word.isEmpty && !stopWords.contains(word) {
            if !out.isEmpty { out.append(0x20) }
            out.append(contentsOf: word)
        }
        return out
    }

    /// Whether a line is a step line: "- Step …" (any case, any indentation).
    static func stepLine(_ line: Substring) -> Substring? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "-" else { return nil }
        let rest = trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard rest.utf8.count >= 4, rest.utf8.prefix(4).map({ $0 | 0x20 }) == Array("step".utf8) else { return nil }
        return trimmed.dropFirst()
    }

    static let articles: Set<[UInt8]> = Set(["a", "an", "the"].map { Array($0.utf8) })

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let trace = try sample.reference.decode(Trace.self)
        let text = ProcAnswer.text(response).text[...]
        let steps = ProcText.Lines(text).lazy.compactMap(Self.stepLine).map { Self.normalized($0) }
        let match = TraceMatch.compare(output: steps, reference: trace.steps.map { Self.normalized(Self.stepLine(Substring($0))!) })
        // The final answer: the last "Final Answer:" line.
        var finalAnswer: Substring? = nil
        for line in ProcText.Lines(text) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "*" }
            if trimmed.utf8.count >= 12, trimmed.utf8.prefix(12).map({ $0 | 0x20 }) == Array("final answer".utf8) {
                finalAnswer = trimmed.dropFirst(12).drop { $0 == ":" || $0 == " " || $0 == "*" }
            }
        }
        let answerRight = finalAnswer.map {
            Self.normalized($0, stopWords: Self.articles) == Self.normalized(Substring(trace.finalAnswer), stopWords: Self.articles)
        } ?? false
        let traceRight: Double = match.identical ? 1 : 0
        let accuracy: Double = match.identical && answerRight ? 1 : 0
        var details = match.details
        details["final_answer_correct"] = .bool(answerRight)
        return ProcScore.make(
            value: accuracy,
            metrics: ["accuracy": accuracy, "trace_accuracy": traceRight, "partial_accuracy": match.partial, "final_answer": answerRight ? 1 : 0],
            response: response, extracted: match.outputLines > 0 || finalAnswer != nil, details: details)
    }

    public func oracleAnswer(sample: Sample) -> String { sample.reference.answers[0] }
}
