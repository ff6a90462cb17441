import FathomCore
import FathomText

/// LongProc's travel planning: cities with stay durations, some on fixed days, and one-way direct flights; the model
/// writes LongProc's depth-first solving procedure (`TravelProblem.procedure`) and then the plan.
///
/// Problems are random (coined city names, durations 2–7, fixed windows, directed flights) and kept only when an
/// exhaustive search finds exactly one valid plan. The output level picks the number of cities and flights, drawing
/// until the procedure lands within ±10% of the level. The input grows to the length with flights of the same
/// airline network that do not join two cities of the trip (they change nothing the search checks), shuffled
/// among the trip's flights. Scoring: `accuracy` is the exact plan (every stay, in order, parsed from `<Plan>` with
/// multi-word names); otherwise `partial_accuracy` is the procedure's prefix credit.
public struct TravelPlanning: TaskPlugin {
    public static let kind = "longproc_travel_planning"
    public static let summary = "Plan a multi-city trip under fixed dates and one-way flights by writing out a depth-first search, then the plan."
    public static let metrics = ["accuracy", "partial_accuracy", "extraction_rate", "truncated"]
    public static let defaultMaxTokens = 10_000
    public static let defaultTags = TaskTags(family: "long-procedure", diffusion: "high", scope: "small")

    public struct Parameters: TaskParameters {
        public var levels = OutputLevel.standard
        public var budgetPercent = 125
        public init() {}
        enum CodingKeys: String, CodingKey { case levels, budgetPercent = "budget_percent" }
        public static let documentation: [String: ParameterDoc] = [
            "levels": ParameterDoc("reference output tokens; sample i takes levels[i mod count] (600…16000: a two-city procedure takes about 600)"),
            "budget_percent": ParameterDoc("max_tokens as a percentage of the sample's level", minimum: 100),
        ]
    }

    public let descriptor: TaskDescriptor
    let settings: LevelSettings
    /// The smallest level a procedure reaches (two cities); a length too short for a sample's level falls back to it.
    static let minimumLevel = 600

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        try OutputLevel.validate(parameters.levels)
        if let small = parameters.levels.first(where: { $0 < Self.minimumLevel }) {
            throw FathomError(.invalidValue, "level \(small) is below the smallest travel procedure (\(Self.minimumLevel) tokens)", key: "params.levels")
        }
        self.descriptor = descriptor
        settings = LevelSettings(levels: parameters.levels, budgetPercent: parameters.budgetPercent)
    }

    public var axes: [AxisSpec] { [OutputLevel.axis] }

    /// The structured reference.
    struct Solution: Codable, Hashable {
        var problem: TravelProblem
        var procedure: [String]
        var plan: [TravelProblem.Visit]
    }

    final class Instance: ProcInstance {
        let solution: Solution
        let oracle: String
        let oracleTokens: Int
        let example: String
        let seed: UInt64
        var names: ProcNames
        var rng: SeededRandom
        var otherCities: [String] = []
        var extra: [String] = []

        let level: Int?

        init(solution: Solution, tokens: Int, example: String, seed: UInt64, names: ProcNames, level: Int?) {
            self.solution = solution
            self.level = level
            oracle = TravelProblem.answer(procedure: solution.procedure, plan: solution.plan)
            oracleTokens = tokens
            self.example = example
            self.seed = seed
            self.names = names
            rng = SeededRandom(seed: deriveSeed(seed, "network"))
        }

        var answerPrefix: String { "" }
        var bytesPerFillerUnit: Double { 26 }
        var knobs: [String: ParameterValue] {
            ["cities": .int(solution.problem.stays.count), "flights": .int(solution.problem.flights.count),
             "procedure_lines": .int(solution.procedure.count)]
        }

        func reference() throws(FathomError) -> Reference { try Reference(answers: [oracle], solution) }

        func messages(context: String) -> [Message] { [Message(.user, TravelPlanning.prompt(example: example, problem: context))] }

        /// Flights of the wider network: at least one end is a city outside the trip.
        func grow(to count: Int) {
            let trip = solution.problem.stays.map(\.city)
            while extra.count < count {
                if otherCities.count < 4 || rng.below(3) == 0 { otherCities.append(names.realCity(&rng)) }
                let outside = rng.pick(otherCities)
                let other = rng.below(2) == 0 ? rng.pick(trip) : rng.pick(otherCities)
                guard other != outside else { continue }
                extra.append(rng.below(2) == 0 ? "from \(outside) to \(other)" : "from \(other) to \(outside)")
            }
        }

        func fillerUnits(_ range: Range<Int>) -> [String] {
            grow(to: range.upperBound)
            return extra[range].map { $0 + "\n" }
        }

        /// The last flight list made (the size search's final context, then `validate`, ask for the same one).
        var lastLines: (filler: Int, lines: [String])?

        func flightLines(filler: Int) -> [String] {
            if let last = lastLines, last.filler == filler { return last.lines }
            grow(to: filler)
            var lines = solution.problem.flights.map { "from \($0[0]) to \($0[1])" } + extra.prefix(filler)
            var order = SeededRandom(seed: deriveSeed(seed, "order \(filler)"))
            order.shuffle(&lines)
            lastLines = (filler, lines)
            return lines
        }

        func context(filler: Int) -> String {
            solution.problem.statement(flightLines: flightLines(filler: filler).joined(separator: "\n"))
        }

        func validate(filler: Int) throws {
            try solution.problem.validate()
            // The network's flights between two cities of the trip are exactly the problem's.
            let trip = Set(solution.problem.stays.map(\.city))
            var stated: Set<String> = []
            for line in flightLines(filler: filler) {
                let parts = line.dropFirst(5).components(separatedBy: " to ")
                if parts.count == 2, trip.contains(parts[0]), trip.contains(parts[1]) { stated.insert(parts[0] + "\u{0}" + parts[1]) }
            }
            guard stated == Set(solution.problem.flights.map { $0[0] + "\u{0}" + $0[1] }) else {
                throw FathomError(.invalidValue, "travel_planning: the flight list adds or drops a flight between two cities of the trip")
            }
        }
    }

    static func prompt(example: String, problem: String) -> String {
        """
        [TASK]
        Plan a trip that visits several cities, given how many days to stay in each city, the cities that have fixed \
        dates, and the direct flights between cities.

        [RULES]
        - Stay in each city for exactly its number of days. A city with fixed dates must be visited exactly on those \
        days.
        - Travel between cities only by direct flights. Flights are one-way: a flight from A to B does not mean there \
        is one from B to A. The first city is reached from the starting point without a flight.
        - The day of a flight counts for both cities: arriving in a city on day x and staying y days, you leave on day \
        x + y - 1 and arrive in the next city that same day.

        [APPROACH]
        Search for the plan day by day from day 1, depth first:
        - First list the cities with fixed schedules (sorted by arrival day) and the cities needing arrangement.
        - On the current day, if a city's fixed schedule starts that day, it is the only option; otherwise try the \
        cities needing arrangement in the order listed.
        - For each option, check that there is a direct flight from the last city of the plan, and that the stay does \
        not end after the arrival day of the next fixed schedule. Drop the option when a check fails; otherwise \
        continue from the day the stay ends.
        - When no option works, drop the branch and go back. Stop when every city is arranged.
        - Write the procedure exactly in the format of the example, between <Solving Procedure> and </Solving \
        Procedure>, then the plan between <Plan> and </Plan>.

        \(example.isEmpty ? "" : "[EXAMPLE]\n\(example)\n\n")[PROBLEM]
        \(problem)
        """
    }

    /// A small solved example (two cities) with its own names.
    static func example(_ rng: inout SeededRandom, names: inout ProcNames) -> String {
        let cities = (0..<2).map { _ in names.realCity(&rng) }
        while true {
            guard let problem = TravelProblem.draw(extraFlights: 1, names: Array(cities.prefix(2)), &rng),
                let plan = problem.procedure().plan
            else { continue }
            let (lines, _) = problem.procedure()
            let flights = problem.flights.map { "from \($0[0]) to \($0[1])" }.joined(separator: "\n")
            return problem.statement(flightLines: flights) + "\n\n" + TravelProblem.answer(procedure: lines, plan: plan)
        }
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try ProcSampler.sample(
            request, descriptor: descriptor, settings: settings, inputPerOutputToken: 0.1, minimumLevel: Self.minimumLevel
        ) { level, seed, compact in
            var exampleRNG = SeededRandom(seed: deriveSeed(seed, "example"))
            var names = ProcNames()
            let example = Self.example(&exampleRNG, names: &names)
            var rng = SeededRandom(seed: deriveSeed(seed, "problem"))
            // The smallest level is whatever a two-city procedure takes in this tokenizer (about 600 tokens of a
            // real vocabulary, more with a small one).
            let smallest = level <= Self.minimumLevel
            var cities = smallest ? 2 : max(3, Int((Double(level) / 380).squareRoot().rounded()) + 1)
            var extra = smallest ? 0 : cities
            var tokensPerLine = 17.0
            var shortest: (solution: Solution, tokens: Int, names: ProcNames)? = nil
            var draws = 0
            for _ in 0..<400 {
                var trial = names
                let tripNames = (0..<cities).map { _ in trial.realCity(&rng) }
                guard let problem = TravelProblem.draw(extraFlights: extra, names: tripNames, &rng) else {
                    extra = max(0, extra - 1)
                    continue
                }
                if !smallest {
                    // Estimate from the line count first; write out only a problem that may fit.
                    let estimate = Double(problem.procedureLineCount()) * tokensPerLine
                    if estimate < Double(level) * 0.85 {
                        if rng.below(2) == 0 { cities += 1 } else { extra += 1 }
                        continue
                    }
                    if estimate > Double(level) * 1.15 {
                        if rng.below(2) == 0 && cities > 3 { cities -= 1 } else { extra = max(0, extra - 1) }
                        continue
                    }
                }
                let (procedure, plan) = problem.procedure()
                guard let plan else { continue }
                let answer = TravelProblem.answer(procedure: procedure, plan: plan)
                if smallest {
                    // The shortest of a few two-city procedures, at its own level when 600 ± 10% cannot hold it.
                    let tokens = request.tokenizer.count(answer)
                    if shortest == nil || tokens < shortest!.tokens {
                        shortest = (Solution(problem: problem, procedure: procedure, plan: plan), tokens, trial)
                    }
                    draws += 1
                    guard draws >= 16 || OutputLevel.holds(tokens, level: level), let best = shortest else { continue }
                    let own = best.tokens <= level * 11 / 10 ? nil : (best.tokens + 49) / 50 * 50
                    return Instance(
                        solution: best.solution, tokens: best.tokens, example: compact ? "" : example, seed: deriveSeed(seed, "filler"),
                        names: best.names, level: own)
                }
                let tokens = request.tokenizer.count(answer)
                tokensPerLine = Double(tokens) / Double(procedure.count + 8)
                guard OutputLevel.holds(tokens, level: level) else { continue }
                return Instance(
                    solution: Solution(problem: problem, procedure: procedure, plan: plan), tokens: tokens, example: compact ? "" : example,
                    seed: deriveSeed(seed, "filler"), names: trial, level: nil)
            }
            throw FathomError(.length, "travel_planning: could not draw a procedure of \(level) ± 10% tokens (\(request.tokenizer.name) tokenizer)")
        }
    }

    // MARK: Scoring

    /// The stays of a plan: every line with "Day a-b" and "visit CITY for n days" (the last "visit" of the line,
    /// so "Arriving in X and visit X for 3 days" works; city names may have several words).
    static func parsePlan(_ text: Substring) -> [TravelProblem.Visit] {
        var visits: [TravelProblem.Visit] = []
        for line in ProcText.Lines(text) {
            let bytes = ProcText.squeezed(line)
            let lower = bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            guard let day = ProcText.firstIndex(of: Array("day ".utf8), in: lower),
                let visit = ProcText.lastIndex(of: Array("visit ".utf8), in: lower),
                let forAt = ProcText.lastIndex(of: Array(" for ".utf8), in: lower), visit + 6 <= forAt
            else { continue }
            var i = day + 4
            func number() -> Int? {
                var value = 0, digits = 0
                while i < lower.count, (0x30...0x39).contains(lower[i]), digits < 6 {
                    value = value * 10 + Int(lower[i] - 0x30)
                    digits += 1
                    i += 1
                }
                return digits > 0 ? value : nil
            }
            guard let start = number(), i < lower.count, lower[i] == 0x2D else { continue }
            i += 1
            guard let end = number() else { continue }
            let city = String(decoding: bytes[(visit + 6)..<forAt], as: UTF8.self)
            visits.append(TravelProblem.Visit(city: city, start: start, end: end))
            if visits.count > 1000 { break }
        }
        return visits
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let solution = try sample.reference.decode(Solution.self)
        let text = ProcAnswer.text(response).text
        var extracted = false
        var planRight = false
        if let block = ProcText.lastBlock(text, open: "<Plan>", close: "</Plan>"), block.complete {
            extracted = true
            let visits = Self.parsePlan(block.body)
            planRight = visits.count == solution.plan.count
                && zip(visits, solution.plan).allSatisfy { $0.city.lowercased() == $1.city.lowercased() && $0.start == $1.start && $0.end == $1.end }
        }
        var match = TraceMatch(referenceLines: solution.procedure.filter { !$0.isEmpty }.count, outputLines: 0, matchedLines: 0, firstDivergence: 0)
        if let block = ProcText.lastBlock(text, open: "<Solving Procedure>", close: "</Solving Procedure>") {
            extracted = true
            var body = block.body
            if !block.complete, let plan = ProcText.firstIndex(of: Array("<Plan>".utf8), in: Array(body.utf8)) {
                body = body[..<body.utf8.index(body.utf8.startIndex, offsetBy: plan)]
            }
            let reference = solution.procedure.map { ProcText.squeezed(Substring($0)) }.filter { !$0.isEmpty }
            match = TraceMatch.compare(output: TraceMatch.squeezedLines(body), reference: reference)
        }
        var details = match.details
        details["plan_correct"] = .bool(planRight)
        let accuracy: Double = planRight ? 1 : 0
        return ProcScore.make(
            value: accuracy, metrics: ["accuracy": accuracy, "partial_accuracy": planRight ? 1 : match.partial], response: response,
            extracted: extracted, details: details)
    }

    public func oracleAnswer(sample: Sample) -> String { sample.reference.answers[0] }
}
