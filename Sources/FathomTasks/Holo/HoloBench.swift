import FathomCore
import FathomMetrics
import FathomSQL
import FathomText

/// HoloBench (Maekawa, Iso and Bhutani, ICLR 2025) rebuilt offline: database rows written as sentences, an SQL-like
/// question that needs every relevant row, and the gold answer computed by SQLite over exactly the rows placed in
/// the context.
///
/// Each sample draws a query of its type (comparison, aggregate, group_by, max_min, top_k, order_by, join, empty)
/// over a seeded schema of 3 to 5 tables of the fictional world, then its rows: `amount` answer-bearing rows (rows
/// that pass the query's filter, plus for a join the rows they point at), `near_miss` rows of the same table that
/// just fail it, and rows of the other tables to fill the exact length. Each knob is its own random stream, so
/// changing one leaves the others' rows alone. The answer-bearing rows go where `position` says; the near misses
/// at stratified fractions of the rest. SQLite checks that exactly the answer-bearing rows pass the filter, then
/// answers the query; the model answers with a TSV table under the query's header (or `no rows`), scored by row
/// precision, recall and F1 with numeric tolerance, in order only when the query orders its result.
public struct HoloBench: TaskPlugin {
    public static let kind = "holo"
    public static let summary = "Answer an SQL-like question over database rows written as sentences (HoloBench); the gold comes from SQLite."
    public static let metrics = ["row_f1", "row_precision", "row_recall"]
    public static let defaultMaxTokens = 32
    public static let defaultTags = TaskTags(family: "holistic-db", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var queryTypes = HoloQueryType.allCases.map(\.rawValue)
        public var amounts = [4, 8, 16, 32, 64]
        public var positions = [HoloPosition.uniform.rawValue]
        public var nearMiss = 16
        public var topK = 5
        public var tolerance = 0.0001
        public init() {}
        enum CodingKeys: String, CodingKey {
            case queryTypes = "query_types", amounts, positions, nearMiss = "near_miss", topK = "top_k", tolerance
        }
        public static let documentation: [String: ParameterDoc] = [
            "query_types": ParameterDoc(
                "query types, cycled over samples: " + HoloQueryType.allCases.map(\.rawValue).joined(separator: ", ")),
            "amounts": ParameterDoc(
                "answer-bearing rows, cycled over samples (an amount that does not fit a length is halved until it fits)"),
            "positions": ParameterDoc(
                "where the answer-bearing rows go, cycled over samples: " + HoloPosition.allCases.map(\.rawValue).joined(separator: ", ")),
            "near_miss": ParameterDoc("rows of the queried table that just fail the query's filter", minimum: 0),
            "top_k": ParameterDoc("rows a top_k query asks for (at most the amount)", minimum: 1),
            "tolerance": ParameterDoc("relative tolerance for real-valued answers (plus 0.01 absolute)"),
        ]
    }

    public let descriptor: TaskDescriptor
    let queryTypes: [HoloQueryType]
    let amounts: [Int]
    let positions: [HoloPosition]
    let nearMiss: Int
    let topK: Int
    let tolerance: Double

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        func list<T: RawRepresentable>(_ names: [String], key: String, _ type: T.Type) throws -> [T] where T.RawValue == String, T: CaseIterable {
            guard !names.isEmpty else { throw FathomError(.invalidValue, "give at least one value", key: "params.\(key)") }
            return try names.map { name in
                guard let value = T(rawValue: name) else {
                    throw FathomError(
                        .invalidValue, "unknown value '\(name)' (known: \(T.allCases.map(\.rawValue).joined(separator: ", ")))",
                        key: "params.\(key)")
                }
                return value
            }
        }
        queryTypes = try list(p.queryTypes, key: "query_types", HoloQueryType.self)
        positions = try list(p.positions, key: "positions", HoloPosition.self)
        guard !p.amounts.isEmpty, p.amounts.allSatisfy({ $0 >= 1 }) else {
            throw FathomError(.invalidValue, "amounts are counts of rows: give at least one, each at least 1", key: "params.amounts")
        }
        amounts = p.amounts
        nearMiss = p.nearMiss
        topK = p.topK
        guard p.tolerance.isFinite, p.tolerance >= 0 else {
            throw FathomError(.invalidValue, "tolerance must be a finite number >= 0", key: "params.tolerance")
        }
        tolerance = p.tolerance
    }

    public var axes: [AxisSpec] {
        [
            AxisSpec("query_type", doc: "the kind of query (comparison, aggregate, group_by, max_min, top_k, order_by, join, empty)"),
            AxisSpec("amount", doc: "answer-bearing rows of the queried table in the context"),
            AxisSpec("position", doc: "where the answer-bearing rows are (uniform, begin, middle, end, bimodal)"),
        ]
    }

    public var provenance: [String: String] { ["sqlite": SQLiteDatabase.version] }

    /// The structured reference: the query and its gold table.
    public struct Answer: Codable, Sendable, Hashable {
        public var queryType: String
        public var sql: String
        public var schema: [String]
        public var table: ExpectedTable
        enum CodingKeys: String, CodingKey { case queryType = "query_type", sql, schema, table }
    }

    /// The knobs of one sample.
    struct Cell {
        var type: HoloQueryType
        var amount: Int
        var position: HoloPosition
        var nearMiss: Int
    }

    /// Sample i takes query type i mod T, then the amount, then the position (mixed radix), so every combination
    /// appears once per T·A·P samples.
    func cell(_ index: Int) -> Cell {
        let t = queryTypes.count, a = amounts.count
        return Cell(
            type: queryTypes[index % t], amount: amounts[(index / t) % a], position: positions[(index / (t * a)) % positions.count],
            nearMiss: nearMiss)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try build(request, cell: cell(request.index), seed: request.identity.seed).sample
    }

    /// A sample and the rows behind it: the block (answer-bearing rows and join partners, in block order), the
    /// answer-bearing rows alone, the near misses and the filler rows, each as placed.
    struct Made {
        var sample: Sample
        var plan: HoloPlan
        var block: [HoloRow]
        var relevant: [HoloRow]
        var near: [HoloRow]
        var fillers: [HoloRow]
        var placed: [HoloRow] { block + near + fillers }
    }

    /// The rows of one attempt at an amount, before sizing.
    struct Drawn {
        var plan: HoloPlan
        var schema: [Int]
        var world: HoloWorld
        var relevant: [HoloRow]
        var block: [HoloRow]
        var near: [HoloRow]
        var nearAt: [Double]
        var gold: ExpectedTable
        var maxTokens: Int
    }

    /// Draws the query, the schema, the answer-bearing rows (and join partners) and the near misses, each from its
    /// own stream, and the gold over them.
    func draw(_ cell: Cell, amount: Int, seed: UInt64, request: SampleRequest) throws -> Drawn {
        var world = HoloWorld(seed: seed)
        var queryRNG = SeededRandom(seed: deriveSeed(seed, "holo-query/" + cell.type.rawValue))
        let plan = HoloPlan.make(type: cell.type, world: world, topK: topK, amount: amount, &queryRNG)
        let table = plan.table

        // The schema: the queried table, a join's partner, then others up to 3–5 tables, with a large one to fill.
        var schemaRNG = SeededRandom(seed: deriveSeed(seed, "holo-schema"))
        var schema = [plan.main] + (plan.join.map { [$0.table] } ?? [])
        var others = HoloCatalog.tables.indices.filter { !schema.contains($0) }
        schemaRNG.shuffle(&others)
        let size = schemaRNG.int(in: 3...5)
        for t in others where schema.count < size { schema.append(t) }
        if !schema.dropFirst().contains(where: { HoloCatalog.large.contains(HoloCatalog.tables[$0].name) }) {
            let large = others.first { HoloCatalog.large.contains(HoloCatalog.tables[$0].name) }!
            if schema.count == 5 { schema[4] = large } else { schema.append(large) }
        }

        // Answer-bearing rows: pass the filter (and, for `empty`, fail the second condition); ranked measures distinct.
        var rules: [Int: HoloRule] = [plan.filter.column: plan.filter.pass(table)]
        if let second = plan.second { rules[second.column] = second.fail(table, world: world, near: false) }
        var relevantRNG = SeededRandom(seed: deriveSeed(seed, "holo-relevant"))
        var relevant: [HoloRow] = []
        var seen = Set<SQLValue>()
        for _ in 0..<amount {
            let row = world.makeRow(plan.main, &relevantRNG, rules: rules, distinct: plan.ranked ? (plan.measure!, seen) : nil)
            if plan.ranked {
                guard seen.insert(row.values[plan.measure!]).inserted else {
                    throw FathomError(
                        .invalidValue, "holo: \(amount) rows cannot all get distinct values of \(table.name).\(table.columns[plan.measure!].name)",
                        key: "params.amounts")
                }
            }
            relevant.append(row)
        }
        var block = relevant
        if let join = plan.join {
            var partners: [String] = []
            for row in relevant {
                guard case .text(let name) = row.values[join.column] else { continue }
                if !partners.contains(name) { partners.append(name) }
            }
            block += partners.map { name in world.pools[join.table].first { $0.name == name }! }
        }
        var blockRNG = SeededRandom(seed: deriveSeed(seed, "holo-block"))
        blockRNG.shuffle(&block)

        // Near misses: fail the filter by a little (for `empty`, pass the second condition, to tempt).
        var nearRules: [Int: HoloRule] = [plan.filter.column: plan.filter.fail(table, world: world, near: true)]
        if let second = plan.second { nearRules[second.column] = second.pass(table) }
        var nearRNG = SeededRandom(seed: deriveSeed(seed, "holo-near"))
        let near = (0..<cell.nearMiss).map { _ in world.makeRow(plan.main, &nearRNG, rules: nearRules) }
        var atRNG = SeededRandom(seed: deriveSeed(seed, "holo-near-at"))
        let nearAt = (0..<cell.nearMiss).map { j in (Double(j) + atRNG.unit()) / Double(max(1, cell.nearMiss)) }

        let gold = try HoloGold.compute(plan: plan, schema: schema, rows: block + near, relevant: Set(relevant.map(\.name)))
        let answerTokens = request.tokenizer.count(gold.renderTSV())
        let maxTokens = max(request.generation.maxTokens, Int((Double(answerTokens) * 1.25).rounded(.up)) + 16)
        return Drawn(
            plan: plan, schema: schema, world: world, relevant: relevant, block: block, near: near, nearAt: nearAt, gold: gold,
            maxTokens: maxTokens)
    }

    static func userMessage(tables: [String], context: String, question: String, header: [String], ordered: Bool, rounding: Bool) -> String {
        "The sentences below describe the rows of a database with the tables " + tables.joined(separator: ", ")
            + ": each sentence is one row of one table.\n\nSentences:\n```\n" + context + "\n```\n\nQuestion: " + question
            + "\n\nAnswer with a table in TSV format: first the header line \"" + header.joined(separator: "\t")
            + "\", then one line per row of the result, with the values separated by tab characters"
            + (ordered ? ", in the order the question asks for. " : ", in any order. ") + (rounding ? "Round averages to two decimal places. " : "")
            + "If no row answers the question, write only: no rows. Write the table and nothing else."
    }

    func build(_ request: SampleRequest, cell: Cell, seed: UInt64) throws -> Made {
        let tokenizer = request.tokenizer
        // The requested amount, halved until it fits this length.
        let fallbacks = Array(sequence(first: cell.amount) { $0 > 1 ? $0 / 2 : nil })
        var drawn: Drawn?
        var spec: PromptSpec?
        for amount in fallbacks {
            let attempt = try draw(cell, amount: amount, seed: seed, request: request)
            let names = attempt.schema.map { HoloCatalog.tables[$0].name }
            let plan = attempt.plan
            let candidate = PromptSpec(
                targetLength: request.length, maxTokens: attempt.maxTokens, tokenizer: tokenizer, renderer: request.renderer, answerPrefix: "",
                frame: { context in
                    [Message(.user, Self.userMessage(
                        tables: names, context: context, question: plan.question, header: plan.header, ordered: plan.ordered,
                        rounding: plan.function == "AVG"))]
                })
            let (prefix, suffix) = try candidate.split()
            let rows = (attempt.block + attempt.near).map { "\n" + HoloText.sentence($0) }
            let fixed = candidate.tokens(prefix + suffix) + tokenizer.counts(rows).reduce(0, +)
            drawn = attempt
            spec = candidate
            if fixed + attempt.maxTokens <= request.length - LengthRule.tolerance(for: request.length) { break }
        }
        guard var drawn, let spec else { preconditionFailure("amounts is never empty") }
        let plan = drawn.plan

        var filler = HoloFiller(
            world: drawn.world, seed: deriveSeed(seed, "holo-filler"), tables: drawn.schema.filter { $0 != plan.main },
            placed: Set((drawn.block + drawn.near).map(\.name)))
        var fillerTexts: [String] = []
        let layout = HoloLayout(spec: spec, position: cell.position)
        let built = try layout.build(
            block: drawn.block.map(HoloText.sentence), near: drawn.near.map(HoloText.sentence), nearAt: drawn.nearAt,
            more: { k in
                filler.extend(to: k)
                while fillerTexts.count < filler.rows.count { fillerTexts.append(HoloText.sentence(filler.rows[fillerTexts.count])) }
                return fillerTexts
            })

        // The gold over exactly the placed rows; it must be the one the budget was computed from.
        let placed = drawn.block + drawn.near + filler.rows.prefix(built.fillers)
        let gold = try HoloGold.compute(plan: plan, schema: drawn.schema, rows: placed, relevant: Set(drawn.relevant.map(\.name)))
        guard gold == drawn.gold else {
            throw FathomError(.invalidValue, "holo: rows of other tables changed the answer of \(plan.sql)")
        }
        drawn.gold = gold
        let needles = drawn.block.indices.map { i in
            NeedlePlacement(key: drawn.block[i].name, requestedDepth: built.requested[i], tokenOffset: built.offsets[i], depth: built.depths[i])
        }
        let answer = Answer(queryType: plan.type.rawValue, sql: plan.sql, schema: drawn.schema.map { HoloCatalog.tables[$0].name }, table: gold)
        var generation = request.generation
        generation.maxTokens = drawn.maxTokens
        let amount = drawn.relevant.count
        let sample = Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
            messages: built.prompt.messages, answerPrefix: "", promptText: built.prompt.promptText,
            reference: try Reference(answers: [gold.renderTSV()], answer), generation: generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: built.prompt.promptTokens, contextTokens: built.prompt.contextTokens, query: built.prompt.query,
                tokenizer: tokenizer.fingerprint, needles: needles,
                knobs: [
                    "sql": .string(plan.sql), "schema": .list(answer.schema.map { .string($0) }), "answer_rows": .int(gold.rows.count),
                    "relevant_rows": .int(amount), "amount_requested": .int(cell.amount), "join_rows": .int(drawn.block.count - amount),
                    "near_miss_rows": .int(drawn.near.count), "other_rows": .int(built.fillers), "block_share": .double(built.blockShare),
                    "sizing_encodings": .int(built.verifications),
                ],
                axes: ["query_type": .label(plan.type.rawValue), "amount": .number(Double(amount)), "position": .label(cell.position.rawValue)]))
        return Made(sample: sample, plan: plan, block: drawn.block, relevant: drawn.relevant, near: drawn.near, fillers: Array(filler.rows.prefix(built.fillers)))
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let answer = try sample.reference.decode(Answer.self)
        let result = TableAnswer.score(
            response.text, expected: answer.table, options: TableAnswerOptions(relativeTolerance: tolerance, truncated: response.isTruncated))
        let metrics = ["row_f1": result.f1, "row_precision": result.precision, "row_recall": result.recall]
        guard case .object(var details) = result.details else { preconditionFailure("details are an object") }
        details["truncated"] = .bool(response.isTruncated)
        details["ordered"] = .bool(answer.table.ordered)
        return Score(value: metrics[descriptor.metrics[0]] ?? result.f1, metrics: metrics, details: .object(details))
    }

    /// The gold table as TSV under the query's header, or `no rows`.
    public func oracleAnswer(sample: Sample) -> String {
        (try? sample.reference.decode(Answer.self).table.renderTSV()) ?? sample.reference.answers[0]
    }
}
