import FathomCore
import FathomText

/// LongProc's path traversal: a made-up world where every city has exactly one one-way connection (bus, train,
/// plane or ferry) except the destination; the model writes the route from a city to the destination, one hop per
/// line, between `<Route>` tags.
///
/// The route has as many hops as the output level needs (about 12 tokens a hop). The graph is an in-tree rooted at
/// the destination: every distractor city points at a route city or an earlier distractor, so branches converge on
/// the route and the route stays the only one (checked by `validate`). Distractor cities grow the input to the
/// length, independently of the level; all connection lines are shuffled. Scored line by line (`TraceMatch`).
public struct PathTraversal: TaskPlugin {
    public static let kind = "longproc_path_traversal"
    public static let summary = "Follow one-way connections from a city to the destination in a large route graph, one hop per line."
    public static let metrics = ["accuracy", "partial_accuracy", "extraction_rate", "truncated"]
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

    static let transits = ["bus", "train", "plane", "ferry"]

    /// A route graph: `edges[city] = (next, transit)`; the destination has no edge.
    struct Graph: Sendable, Hashable {
        var cities: [String]
        var next: [Int]  // -1 for the destination
        var transit: [Int]

        func line(_ city: Int) -> String {
            "You can travel from \(cities[city]) to \(cities[next[city]]) by \(PathTraversal.transits[transit[city]])."
        }
    }

    /// The structured reference.
    struct Route: Codable, Hashable {
        var source: String
        var destination: String
        var hops: [String]
    }

    static func hopLine(from: String, transit: String, to: String) -> String { "From \(from), take a \(transit) to \(to)." }

    static func oracle(_ hops: [String]) -> String { "<Route>\n" + hops.joined(separator: "\n") + "\n</Route>" }

    /// Checks the property the task relies on: the source reaches the destination along exactly the route, every
    /// city but the destination has exactly one outgoing connection, and the graph has no cycle (so from any city
    /// there is one way, ending at the destination).
    static func validate(_ graph: Graph, source: Int, destination: Int, route: [Int]) throws(FathomError) {
        let n = graph.cities.count
        guard graph.next.count == n, graph.transit.count == n, Set(graph.cities.map { $0.lowercased() }).count == n else {
            throw FathomError(.invalidValue, "path_traversal: city names must be unique")
        }
        guard graph.next[destination] == -1 else { throw FathomError(.invalidValue, "path_traversal: the destination has a connection") }
        for city in 0..<n where city != destination {
            guard graph.next[city] >= 0 && graph.next[city] < n && graph.next[city] != city else {
                throw FathomError(.invalidValue, "path_traversal: \(graph.cities[city]) has no valid connection")
            }
        }
        // Every walk ends at the destination within n steps (no cycles).
        var reaches = [Bool](repeating: false, count: n)
        reaches[destination] = true
        for start in 0..<n where !reaches[start] {
            var path: [Int] = []
            var city = start
            while !reaches[city] {
                path.append(city)
                guard path.count <= n else { throw FathomError(.invalidValue, "path_traversal: the connections contain a cycle") }
                city = graph.next[city]
            }
            for c in path { reaches[c] = true }
        }
        var walk = [source]
        while walk.last! != destination { walk.append(graph.next[walk.last!]) }
        guard walk == route else { throw FathomError(.invalidValue, "path_traversal: the route is not the walk from the source") }
    }

    /// One problem: the route and its distractors, grown on demand.
    final class Instance: ProcInstance {
        let routeCities: [String]
        let routeTransit: [Int]
        let hops: [String]
        let oracle: String
        let oracleTokens: Int
        let example: String
        let seed: UInt64
        var names: ProcNames
        var distractorRNG: SeededRandom
        var distractors: [(name: String, next: Int, transit: Int)] = []  // next indexes route cities, then distractors

        init(route: [String], transit: [Int], tokens: Int, example: String, seed: UInt64, names: ProcNames) {
            routeCities = route
            routeTransit = transit
            hops = (0..<(route.count - 1)).map { PathTraversal.hopLine(from: route[$0], transit: PathTraversal.transits[transit[$0]], to: route[$0 + 1]) }
            oracle = PathTraversal.oracle(hops)
            oracleTokens = tokens
            self.example = example
            self.seed = seed
            self.names = names
            distractorRNG = SeededRandom(seed: deriveSeed(seed, "distractors"))
        }

        var answerPrefix: String { "" }
        var bytesPerFillerUnit: Double { 48 }

        func reference() throws(FathomError) -> Reference {
            try Reference(answers: [oracle], Route(source: routeCities.first!, destination: routeCities.last!, hops: hops))
        }

        var knobs: [String: ParameterValue] { ["hops": .int(hops.count)] }

        func messages(context: String) -> [Message] {
            [Message(.user, PathTraversal.prompt(example: example, context: context, source: routeCities.first!, destination: routeCities.last!))]
        }

        func grow(to count: Int) {
            while distractors.count < count {
                let target = distractorRNG.below(routeCities.count + distractors.count)
                distractors.append((names.city(&distractorRNG), target, distractorRNG.below(PathTraversal.transits.count)))
            }
        }

        /// The whole graph with `filler` distractor cities (route cities first, then distractors).
        func graph(filler: Int) -> Graph {
            grow(to: filler)
            let r = routeCities.count
            var next = (0..<r).map { $0 + 1 < r ? $0 + 1 : -1 }
            var transit = routeTransit + [0]
            var cities = routeCities
            for d in distractors.prefix(filler) {
                cities.append(d.name)
                next.append(d.next)
                transit.append(d.transit)
            }
            return Graph(cities: cities, next: next, transit: transit)
        }

        func fillerUnits(_ range: Range<Int>) -> [String] {
            grow(to: range.upperBound)
            return range.map { distractorLine($0) + "\n" }
        }

        func validate(filler: Int) throws {
            let g = graph(filler: filler)
            try PathTraversal.validate(g, source: 0, destination: routeCities.count - 1, route: Array(0..<routeCities.count))
        }

        /// Each city's connection line, written once (route cities first, then distractors).
        var lines: [String] = []

        func context(filler: Int) -> String {
            grow(to: filler)
            let routeLines = routeCities.count - 1
            if lines.isEmpty { lines = (0..<routeLines).map(routeLine) }
            while lines.count < routeLines + filler { lines.append(distractorLine(lines.count - routeLines)) }
            var order = Array(0..<(routeLines + filler))
            var shuffle = SeededRandom(seed: deriveSeed(seed, "order \(filler)"))
            shuffle.shuffle(&order)
            var out = ""
            out.reserveCapacity(order.count * 50)
            for (n, i) in order.enumerated() {
                if n > 0 { out += "\n" }
                out += lines[i]
            }
            return out
        }

        func routeLine(_ i: Int) -> String {
            "You can travel from \(routeCities[i]) to \(routeCities[i + 1]) by \(PathTraversal.transits[routeTransit[i]])."
        }

        func distractorLine(_ j: Int) -> String {
            let d = distractors[j]
            let to = d.next < routeCities.count ? routeCities[d.next] : distractors[d.next - routeCities.count].name
            return "You can travel from \(d.name) to \(to) by \(PathTraversal.transits[d.transit])."
        }
    }

    static func prompt(example: String, context: String, source: String, destination: String) -> String {
        """
        [TASK]
        In a made-up world there are many cities. Every city has exactly one one-way connection to another city, by bus, \
        train, plane or ferry, except the destination, which has none. Your task is to give the route from one city to \
        another.

        [RULES]
        - Connections are one-way: a connection from A to B lets you travel from A to B, not from B to A.
        - Each city has only one outgoing connection, so there is only one route: start at the first city, find the city \
        its connection leads to, and repeat until you reach the destination.
        - Write one step per line in exactly the format below, between <Route> and </Route>, with nothing else between \
        the tags.

        [OUTPUT FORMAT]
        <Route>
        From <CITY>, take a <TRANSIT> to <CITY>.
        ...
        </Route>

        \(example.isEmpty ? "" : "[EXAMPLE]\n\(example)\n\n")[PROBLEM]
        The connections:
        \(context)

        Now find the route from \(source) to \(destination) based on the connections above.
        """
    }

    /// A small solved example with its own names.
    static func example(_ rng: inout SeededRandom, names: inout ProcNames) -> String {
        let route = (0..<5).map { _ in names.city(&rng) }
        var cities = route
        var next = [1, 2, 3, 4, -1]
        var transit = (0..<5).map { _ in rng.below(transits.count) }
        for _ in 0..<3 {
            cities.append(names.city(&rng))
            next.append(rng.below(cities.count - 1))
            transit.append(rng.below(transits.count))
        }
        let g = Graph(cities: cities, next: next, transit: transit)
        var order = (0..<cities.count).filter { next[$0] >= 0 }
        rng.shuffle(&order)
        let hops = (0..<4).map { hopLine(from: route[$0], transit: transits[transit[$0]], to: route[$0 + 1]) }
        return "The connections:\n" + order.map { g.line($0) }.joined(separator: "\n")
            + "\n\nNow find the route from \(route[0]) to \(route[4]) based on the connections above.\n\n" + oracle(hops)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try ProcSampler.sample(request, descriptor: descriptor, settings: settings, inputPerOutputToken: 0.8) { level, seed, compact in
            var exampleRNG = SeededRandom(seed: deriveSeed(seed, "example"))
            var exampleNames = ProcNames()
            let example = compact ? "" : Self.example(&exampleRNG, names: &exampleNames)
            let fitted = try ProcSampler.fitOutput(level: level, tokenizer: request.tokenizer, guess: max(1, level / 12)) {
                (hops: Int, draw: Int) -> (value: ([String], [Int], ProcNames, Int), oracle: String)? in
                var rng = SeededRandom(seed: deriveSeed(seed, "route \(draw)"))
                var names = exampleNames
                let route = (0...hops).map { _ in names.city(&rng) }
                let transit = (0..<hops).map { _ in rng.below(Self.transits.count) }
                let lines = (0..<hops).map { Self.hopLine(from: route[$0], transit: Self.transits[transit[$0]], to: route[$0 + 1]) }
                return ((route, transit, names, draw), Self.oracle(lines))
            }
            let (route, transit, names, draw) = fitted.value
            let instance = Instance(
                route: route, transit: transit, tokens: fitted.tokens, example: example, seed: deriveSeed(seed, "graph \(draw)"), names: names)
            return instance
        }
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let route = try sample.reference.decode(Route.self)
        guard let block = ProcText.lastBlock(ProcAnswer.text(response).text, open: "<Route>", close: "</Route>") else {
            return ProcScore.make(
                value: 0, metrics: ["accuracy": 0, "partial_accuracy": 0], response: response, extracted: false,
                details: TraceMatch(referenceLines: route.hops.count, outputLines: 0, matchedLines: 0, firstDivergence: 0).details)
        }
        let match = TraceMatch.compare(output: TraceMatch.squeezedLines(block.body), reference: route.hops.map { ProcText.squeezed(Substring($0)) })
        let accuracy: Double = match.identical ? 1 : 0
        return ProcScore.make(
            value: accuracy, metrics: ["accuracy": accuracy, "partial_accuracy": match.partial], response: response, extracted: true,
            details: match.details)
    }

    public func oracleAnswer(sample: Sample) -> String { sample.reference.answers[0] }
}
