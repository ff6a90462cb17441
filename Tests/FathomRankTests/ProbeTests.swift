import FathomCore
import FathomRank
import Testing

/// Capability probes (after ONEBench): structured conditions, the ranking on a slice with the identifiability gate
/// and Kendall tau-b against the global ranking, and the nearest-question selection of text probes.
@Suite struct ProbeTests {
    /// A pool where `generalist` wins the 24 recall samples and `mathematician` the 6 math samples: the whole pool
    /// favours the generalist, the math slice the mathematician. `novice` loses everywhere but one sample of each.
    static func pool() -> (measurements: [Measurement], fields: [String: [String: AxisValue]]) {
        var rows: [Measurement] = []
        var fields: [String: [String: AxisValue]] = [:]
        func add(_ task: String, _ i: Int, _ length: Int, _ scores: [String: Double]) {
            let sample = "\(task)-\(i)"
            fields[task + "\u{1F}" + sample] = ["task": .label(task), "length": .number(Double(length)), "query_type": .label(task == "math" ? "sum" : "lookup")]
            for (model, score) in scores { rows.append(Measurement(model: model, task: task, sample: sample, score: score)) }
        }
        for i in 0..<24 {
            // The novice beats the mathematician once, so the beats graph stays strongly connected.
            add("recall", i, i % 2 == 0 ? 4096 : 8192, ["generalist": 1, "mathematician": i == 0 ? 0 : 0.5, "novice": i == 0 ? 0.5 : 0])
        }
        for i in 0..<6 {
            add("math", i, 4096, ["generalist": i == 0 ? 1 : 0.5, "mathematician": i == 0 ? 0 : 1, "novice": i == 1 ? 0.75 : 0])
        }
        return (rows, fields)
    }

    static let known = ["length", "query_type", "task"]

    func probe(_ expressions: [String], method: RankMethod = .bradleyTerry, options: RankOptions = RankOptions()) throws -> (RankingResult, ProbeResult) {
        let (rows, fields) = Self.pool()
        let filter = try ProbeFilter(parsing: expressions, knownFields: Self.known)
        let global = try rank(rows, method: method, options: options)
        let result = try Probe.rank(rows, selected: { filter.matches(fields[$0.task + "\u{1F}" + $0.sample] ?? [:]) }, method: method,
                                    options: options, global: global)
        return (global, result)
    }

    @Test("a slice that favours another model than the whole pool finds that model, with tau-b against the global order")
    func sliceFindsItsOwnWinner() throws {
        for method in [RankMethod.bradleyTerry, .plackettLuce, .mean] {
            let (global, result) = try probe(["task = math"], method: method)
            #expect(global.order.first == "generalist", "\(method)")
            #expect(result.ranking.order.first == "mathematician", "\(method): \(result.ranking.order)")
            #expect(result.selectedSamples == 6 && result.samplesPerModel == ["generalist": 6, "mathematician": 6, "novice": 6])
            #expect(result.identifiable && result.components.count == 1)
            // Three models, generalist and mathematician swapped: one discordant pair of three.
            #expect(abs(result.kendallTauB! - 1.0 / 3.0) < 1e-12, "\(method): \(String(describing: result.kendallTauB))")
            #expect(result.modelsCompared == 3)
        }
        // Comparisons: 6 samples × 2 opponents each; the whole pool's recall slice agrees with the global order.
        let (_, math) = try probe(["query_type=sum"])
        #expect(math.comparisonsPerModel == ["generalist": 12, "mathematician": 12, "novice": 12])
        let (_, recall) = try probe(["task != math", "length <= 8k"], method: .mean)
        #expect(recall.ranking.order.first == "generalist" && recall.kendallTauB == 1)
    }

    @Test("a slice too sparse to rank trips the same gate as the global fit: per-component ranks, no tau, never a number across components")
    func gateTriggersOnSparseSlice() throws {
        // Only the first math sample: generalist 1, novice 0, mathematician 0 — the generalist never loses there.
        let (_, result) = try probe(["task=math", "length=4096", "query_type in sum,product"], method: .bradleyTerry, options: RankOptions())
        #expect(result.selectedSamples == 6)
        let (rows, fields) = Self.pool()
        let global = try rank(rows, method: .bradleyTerry)
        let sparse = try Probe.rank(rows, selected: { $0.sample == "math-0" && fields[$0.task + "\u{1F}" + $0.sample] != nil },
                                    method: .bradleyTerry, options: RankOptions(), global: global)
        #expect(!sparse.identifiable)
        #expect(sparse.components == [["generalist"], ["mathematician", "novice"]])
        #expect(sparse.undefeated == ["generalist"])
        #expect(sparse.ranking.diagnostics["comparableAcrossComponents"] == .bool(false))
        #expect(sparse.kendallTauB == nil && sparse.note?.contains("do not identify") == true)
        // The global fit with the same options refuses these data outright: the probe reports instead of failing.
        let subset = rows.filter { $0.sample == "math-0" }
        #expect(throws: RankError.self) { try rank(subset, method: .bradleyTerry) }
        // Regularised, the same slice is identifiable and ranked as one.
        var regularised = RankOptions()
        regularised.alpha = 0.1
        let smooth = try Probe.rank(rows, selected: { $0.sample == "math-0" }, method: .bradleyTerry, options: regularised,
                                    global: try rank(rows, method: .bradleyTerry, options: regularised))
        #expect(smooth.identifiable && smooth.ranking.order.first == "generalist" && smooth.kendallTauB != nil)
        // A slice that selects nothing is an error, not an empty ranking.
        #expect(throws: RankError.self) { try Probe.rank(rows, selected: { _ in false }, method: .mean, options: RankOptions(), global: global) }
    }

    @Test("an unknown field is an error that lists the known ones; malformed conditions say how to write one")
    func unknownFieldIsClearError() throws {
        do {
            _ = try ProbeFilter(parsing: ["qtype = join"], knownFields: Self.known)
            Issue.record("no error")
        } catch let error as RankError {
            #expect(error == .unknownName(kind: "probe field", value: "qtype", allowed: Self.known))
            #expect(error.description == "unknown probe field 'qtype' (expected one of: length, query_type, task)")
        }
        for bad in ["= 3", "length", "length ~ 3", "length < big", "task in ", "task in a,,b"] {
            #expect(throws: RankError.self, "\(bad)") { try ProbeFilter(parsing: [bad], knownFields: Self.known) }
        }
    }

    @Test("operators compare numbers as numbers (4k = 4096), labels as text, and a missing field matches nothing")
    func operators() throws {
        let sample: [String: AxisValue] = ["length": .number(4096), "task": .label("holo.amount"), "query_type": .label("join")]
        func holds(_ e: String) throws -> Bool { try ProbeFilter(parsing: [e], knownFields: Self.known + ["amount"]).matches(sample) }
        for e in ["length=4k", "length == 4096", "length>=4K", "length<8k", "length <= 4096", "length > 1000", "length in 2k,4k",
                  "task contains amount", "task in [holo.amount, holo.position]", "query_type != count", "query_type='join'",
                  "length >= 1k and task contains holo"] {
            #expect(try holds(e), "\(e)")
        }
        for e in ["length=8k", "length>4k", "length<4096", "task contains Amount", "task = holo", "query_type in count,sum",
                  "amount >= 1", "amount != 3", "length >= 1k and task contains ruler"] {
            #expect(try !holds(e), "\(e)")
        }
        // `contains` compares Unicode scalars: e + combining acute contains e.
        let accented: [String: AxisValue] = ["task": .label("cafe\u{301}")]
        #expect(try ProbeFilter(parsing: ["task contains cafe"], knownFields: ["task"]).matches(accented))
    }

    @Test("text selection: cosine similarity, top-k then threshold, ties by key; bad vectors are errors")
    func textSelection() throws {
        let candidates: [(key: String, vector: [Float])] = [
            ("f", [4, 1, 0]), ("a", [1, 0, 0]), ("c", [0, 1, 0]), ("d", [0.5, 0.5, 0]), ("e", [-1, 0, 0]), ("b", [2, 0.5, 0]),
        ]
        let query: [Float] = [1, 0, 0]
        let top3 = try TextProbeSelection.select(query: query, candidates: candidates, topK: 3, threshold: nil)
        #expect(top3.map(\.key) == ["a", "b", "f"])  // b and f point the same way: tie broken by key
        #expect(top3[1].similarity == top3[2].similarity && top3[0].similarity == 1)
        let above = try TextProbeSelection.select(query: query, candidates: candidates, topK: nil, threshold: 0.7)
        #expect(above.map(\.key) == ["a", "b", "f", "d"])
        let both = try TextProbeSelection.select(query: query, candidates: candidates, topK: 2, threshold: 0.999)
        #expect(both.map(\.key) == ["a"])
        #expect(throws: RankError.self) { try TextProbeSelection.select(query: [0, 0, 0], candidates: candidates, topK: 1, threshold: nil) }
        #expect(throws: RankError.self) { try TextProbeSelection.select(query: query, candidates: [("x", [1, 0])], topK: 1, threshold: nil) }
        #expect(throws: RankError.self) { try TextProbeSelection.select(query: query, candidates: [("x", [.nan, 0, 0])], topK: 1, threshold: nil) }
        #expect(throws: RankError.self) { try TextProbeSelection.select(query: query, candidates: candidates, topK: 0, threshold: nil) }
    }
}
