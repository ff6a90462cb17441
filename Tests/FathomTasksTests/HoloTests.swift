import FathomCore
import FathomMetrics
import FathomSQL
@testable import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// HoloBench rebuilt offline: SQLite agrees with hand-computed answers, contexts hold exactly the rows the gold is
/// computed from, the answer-bearing rows sit where the position asks, and each knob moves alone.
@Suite struct HoloTests {
    static func task(_ params: String = "{}") throws -> HoloBench {
        var registry = try Registry(kinds: [HoloBench.self])
        try registry.add(TaskManifest.parse("name: holo.test\nplugin: holo\nversion: 1\nparams: \(params)\n", file: "holo.test.yaml"))
        return try #require(registry.task(named: "holo.test") as? HoloBench)
    }

    static func made(
        _ task: HoloBench, _ type: HoloQueryType, amount: Int = 8, position: HoloPosition = .uniform, near: Int = 8, length: Int = 8192,
        seed: UInt64 = 11, tokenizer: any Tokenizer = ApproxTokenizer()
    ) throws -> HoloBench.Made {
        let request = task.descriptor.request(length: length, index: 0, suiteSeed: 1, tokenizer: tokenizer, renderer: PlainPromptRenderer())
        return try task.build(request, cell: HoloBench.Cell(type: type, amount: amount, position: position, nearMiss: near), seed: seed)
    }

    /// The context: the lines between the fences.
    static func context(_ sample: Sample) throws -> String {
        let user = sample.messages[0].content
        let start = try #require(user.range(of: "Sentences:\n```\n"))
        let end = try #require(user.range(of: "\n```\n\nQuestion: "))
        return String(user[start.upperBound..<end.lowerBound])
    }

    // MARK: Fixture databases

    static let people = HoloCatalog.table("people"), cities = HoloCatalog.table("cities")
    static let organisations = HoloCatalog.table("organisations"), inventions = HoloCatalog.table("inventions")

    static func person(_ name: String, _ born: Int64, _ city: String, _ employer: String, _ profession: String, _ salary: Int64) -> HoloRow {
        HoloRow(table: people, values: [.text(name), .integer(born), .text(city), .text(employer), .text(profession), .integer(salary)], template: 0)
    }

    /// Five people, three cities, two organisations, three inventions.
    static let fixture: [HoloRow] = [
        person("Alden Marwick", 1850, "Orvell", "Velaria Foundry", "engineer", 40_000),
        person("Briony Cale", 1862, "Orvell", "Velaria Foundry", "clerk", 12_000),
        person("Caspian Dorr", 1871, "Hexmouth", "Tamia Academy", "engineer", 56_000),
        person("Delphine Eld", 1849, "Hexmouth", "Tamia Academy", "teacher", 23_000),
        person("Emrys Fane", 1880, "Lorbury", "Velaria Foundry", "engineer", 31_000),
        HoloRow(table: cities, values: [.text("Orvell"), .text("Ashmark"), .integer(120_000), .integer(1200), .integer(300)], template: 1),
        HoloRow(table: cities, values: [.text("Hexmouth"), .text("Ashmark"), .integer(45_000), .integer(1310), .integer(12)], template: 2),
        HoloRow(table: cities, values: [.text("Lorbury"), .text("Dunvale"), .integer(8_000), .integer(1555), .integer(900)], template: 0),
        HoloRow(
            table: organisations, values: [.text("Velaria Foundry"), .text("Orvell"), .text("industry"), .integer(1702), .integer(450)],
            template: 0),
        HoloRow(
            table: organisations, values: [.text("Tamia Academy"), .text("Hexmouth"), .text("education"), .integer(1650), .integer(90)],
            template: 1),
        HoloRow(table: inventions, values: [.text("Velar loom"), .text("Alden Marwick"), .integer(1850), .real(12.5), .real(3.2)], template: 0),
        HoloRow(table: inventions, values: [.text("Tamon lamp"), .text("Caspian Dorr"), .integer(1790), .real(100.25), .real(1)], template: 1),
        HoloRow(table: inventions, values: [.text("Orlo pump"), .text("Alden Marwick"), .integer(1899), .real(7.75), .real(20.5)], template: 2),
    ]

    /// A query over the fixture, its SQL and header made by the plugin's own templates.
    static func plan(
        _ type: HoloQueryType, _ table: Int, _ filter: HoloFilter, second: HoloFilter? = nil, measure: String? = nil, function: String? = nil,
        group: String? = nil, descending: Bool = false, k: Int? = nil, join: (String, String, String)? = nil
    ) -> HoloPlan {
        let t = HoloCatalog.tables[table]
        let joined = join.map { (t.column($0.0), HoloCatalog.table($0.1), HoloCatalog.tables[HoloCatalog.table($0.1)].column($0.2)) }
        let text = HoloPlan.text(
            type: type, table: t, filter: filter, second: second, measure: measure.map(t.column), function: function,
            group: group.map(t.column), descending: descending, k: k, join: joined)
        return HoloPlan(
            type: type, main: table, filter: filter, second: second, measure: measure.map(t.column), function: function,
            group: group.map(t.column), descending: descending, k: k, join: joined, sql: text.sql, question: text.question,
            header: text.header, kinds: text.kinds, ordered: text.ordered)
    }

    static func filter(_ table: Int, _ column: String, _ op: HoloFilter.Op, _ threshold: Int64 = 0, _ label: String = "") -> HoloFilter {
        HoloFilter(column: HoloCatalog.tables[table].column(column), op: op, threshold: threshold, label: label)
    }

    /// Hand-computed answers over the fixture, one per query shape.
    static let handComputed: [(HoloPlan, relevant: [String], header: [String], rows: [[String]])] = [
        (plan(.comparison, people, filter(people, "born", .above, 1860)), ["Briony Cale", "Caspian Dorr", "Emrys Fane"], ["name", "born"],
         [["Briony Cale", "1862"], ["Caspian Dorr", "1871"], ["Emrys Fane", "1880"]]),
        (plan(.aggregate, people, filter(people, "salary", .above, 30_000), function: "COUNT"), ["Alden Marwick", "Caspian Dorr", "Emrys Fane"],
         ["count"], [["3"]]),
        (plan(.aggregate, people, filter(people, "profession", .equals, 0, "engineer"), measure: "salary", function: "SUM"),
         ["Alden Marwick", "Caspian Dorr", "Emrys Fane"], ["total_salary"], [["127000"]]),
        (plan(.aggregate, people, filter(people, "city", .equals, 0, "Hexmouth"), measure: "salary", function: "AVG"),
         ["Caspian Dorr", "Delphine Eld"], ["average_salary"], [["39500.0"]]),
        (plan(.groupBy, people, filter(people, "born", .below, 1875), function: "COUNT", group: "profession"),
         ["Alden Marwick", "Briony Cale", "Caspian Dorr", "Delphine Eld"], ["profession", "count"],
         [["clerk", "1"], ["engineer", "2"], ["teacher", "1"]]),
        (plan(.groupBy, people, filter(people, "born", .above, 1845), measure: "salary", function: "AVG", group: "city"),
         ["Alden Marwick", "Briony Cale", "Caspian Dorr", "Delphine Eld", "Emrys Fane"], ["city", "average_salary"],
         [["Hexmouth", "39500.0"], ["Lorbury", "31000.0"], ["Orvell", "26000.0"]]),
        (plan(.maxMin, people, filter(people, "employer", .equals, 0, "Velaria Foundry"), measure: "salary", descending: true, k: 1),
         ["Alden Marwick", "Briony Cale", "Emrys Fane"], ["name", "salary"], [["Alden Marwick", "40000"]]),
        (plan(.topK, people, filter(people, "born", .above, 1845), measure: "salary", k: 2),
         ["Alden Marwick", "Briony Cale", "Caspian Dorr", "Delphine Eld", "Emrys Fane"], ["name", "salary"],
         [["Briony Cale", "12000"], ["Delphine Eld", "23000"]]),
        (plan(.orderBy, people, filter(people, "profession", .equals, 0, "engineer"), measure: "salary", descending: true),
         ["Alden Marwick", "Caspian Dorr", "Emrys Fane"], ["name", "salary"],
         [["Caspian Dorr", "56000"], ["Alden Marwick", "40000"], ["Emrys Fane", "31000"]]),
        (plan(.join, people, filter(people, "salary", .above, 30_000), join: ("city", "cities", "population")),
         ["Alden Marwick", "Caspian Dorr", "Emrys Fane"], ["name", "city_population"],
         [["Alden Marwick", "120000"], ["Caspian Dorr", "45000"], ["Emrys Fane", "8000"]]),
        (plan(.join, people, filter(people, "born", .below, 1860), join: ("employer", "organisations", "sector")),
         ["Alden Marwick", "Delphine Eld"], ["name", "employer_sector"], [["Alden Marwick", "industry"], ["Delphine Eld", "education"]]),
        (plan(.empty, people, filter(people, "born", .above, 1870), second: filter(people, "salary", .above, 60_000)),
         ["Caspian Dorr", "Emrys Fane"], ["name"], []),
        (plan(.aggregate, inventions, filter(inventions, "year", .above, 1800), measure: "price", function: "SUM"),
         ["Velar loom", "Orlo pump"], ["total_price"], [["20.25"]]),
        (plan(.aggregate, inventions, filter(inventions, "year", .above, 1800), measure: "weight", function: "AVG"),
         ["Velar loom", "Orlo pump"], ["average_weight"], [["11.85"]]),
    ]

    @Test func fixtureDatabasesAgreeWithHandComputedAnswers() throws {
        let schema = [Self.people, Self.cities, Self.organisations, Self.inventions]
        for (plan, relevant, header, rows) in Self.handComputed {
            let gold = try HoloGold.compute(plan: plan, schema: schema, rows: Self.fixture, relevant: Set(relevant))
            #expect(gold.header == header, "\(plan.sql)")
            #expect(gold.rows.count == rows.count, "\(plan.sql): \(gold.rows)")
            for (got, want) in zip(gold.rows, rows) {
                for (i, (a, b)) in zip(got, want).enumerated() {
                    if gold.kinds[i] == .real {
                        #expect(abs(Double(a)! - Double(b)!) < 1e-9, "\(plan.sql): \(a) vs \(b)")
                    } else {
                        #expect(a == b, "\(plan.sql): \(a) vs \(b)")
                    }
                }
            }
            #expect(gold.ordered == (plan.type == .maxMin || plan.type == .topK || plan.type == .orderBy))
            // The relevance check is SQLite's too: one row too many is refused.
            #expect(throws: FathomError.self) {
                try HoloGold.compute(plan: plan, schema: schema, rows: Self.fixture, relevant: Set(relevant).union(["Nobody"]))
            }
        }
    }

    @Test func schemaIsTypedWithForeignKeys() throws {
        let db = try SQLiteDatabase()
        let names: Set = ["people", "cities", "organisations"]
        for t in [Self.cities, Self.organisations, Self.people] { try db.execute(HoloCatalog.tables[t].createStatement(schema: names)) }
        let columns = try db.query("SELECT name, type, pk FROM pragma_table_info('people')").rows
        #expect(columns.map { $0[1] } == [.text("TEXT"), .text("INTEGER"), .text("TEXT"), .text("TEXT"), .text("TEXT"), .text("INTEGER")])
        #expect(columns[0][2] == .integer(1))
        let keys = try db.query("SELECT \"from\", \"table\" FROM pragma_foreign_key_list('people') ORDER BY \"from\"").rows
        #expect(keys == [[.text("city"), .text("cities")], [.text("employer"), .text("organisations")]])
    }

    // MARK: Samples

    /// One sample of each query type: its SQL has the type's shape, the context holds exactly the placed rows, once
    /// each, and SQLite over the rows read back from the context gives the reference.
    @Test func everyQueryTypeHasItsShapeAndItsGoldComesFromTheContextRows() throws {
        let task = try Self.task()
        for type in HoloQueryType.allCases {
            let made = try Self.made(task, type, amount: 6, length: 4096)
            let answer = try made.sample.reference.decode(HoloBench.Answer.self)
            let sql = answer.sql
            switch type {
            case .comparison: #expect(!sql.contains("ORDER BY") && answer.table.rows.count == 6)
            case .aggregate: #expect(!sql.contains("GROUP BY") && answer.table.rows.count == 1)
            case .groupBy: #expect(sql.contains("GROUP BY") && answer.table.rows.count >= 1 && !answer.table.ordered)
            case .maxMin: #expect(sql.hasSuffix("LIMIT 1") && answer.table.rows.count == 1)
            case .topK: #expect(sql.hasSuffix("LIMIT 5") && answer.table.rows.count == 5 && answer.table.ordered)
            case .orderBy: #expect(sql.contains("ORDER BY") && !sql.contains("LIMIT") && answer.table.ordered && answer.table.rows.count == 6)
            case .join: #expect(sql.contains(" JOIN ") && answer.table.rows.count == 6 && made.block.count > 6)
            case .empty: #expect(answer.table.rows.isEmpty && task.oracleAnswer(sample: made.sample) == "no rows")
            }
            #expect(made.sample.metadata.axes["query_type"] == .label(type.rawValue))
            #expect((3...5).contains(answer.schema.count))

            // Every line of the context is a placed row, once; no row is repeated.
            let lines = try Self.context(made.sample).components(separatedBy: "\n")
            #expect(lines.count == made.placed.count && Set(lines).count == lines.count)
            let byText = Dictionary(uniqueKeysWithValues: made.placed.map { (HoloText.sentence($0), $0) })
            let readBack = try lines.map { try #require(byText[$0], "a context line is not a placed row") }
            #expect(Set(readBack.map(\.name)).count == readBack.count)
            let gold = try HoloGold.compute(plan: made.plan, schema: answer.schema.map(HoloCatalog.table), rows: readBack,
                                            relevant: Set(made.relevant.map(\.name)))
            #expect(gold == answer.table)
            // The needles are the block rows.
            #expect(made.sample.metadata.needles.map(\.key) == made.block.map(\.name))
        }
    }

    static let llama3 = try? TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")

    /// Exact token offsets of the block rows (counting the context up to each row) fall in the region the position
    /// asks for, with the tokenizer that sized the sample.
    @Test(arguments: HoloPosition.allCases)
    func answerBearingRowsSitWhereThePositionSays(position: HoloPosition) throws {
        let task = try Self.task()
        let tokenizer = try #require(Self.llama3)
        let made = try Self.made(task, .comparison, amount: 12, position: position, near: 12, length: 8192, tokenizer: tokenizer)
        let context = try Self.context(made.sample)
        let total = Double(tokenizer.count(context))
        let lines = context.components(separatedBy: "\n")
        let blockTexts = made.block.map(HoloText.sentence)
        var depths: [String: Double] = [:]
        for text in blockTexts {
            let start = try #require(context.range(of: text)).lowerBound
            depths[text] = Double(tokenizer.count(String(context[..<start]))) / total * 100
        }
        let blockTokens = Double(blockTexts.map { tokenizer.count("\n" + $0) }.reduce(0, +))
        let share = blockTokens / total * 100
        let rowShare = Double(lines.map { tokenizer.count("\n" + $0) }.max()!) / total * 100
        let tolerance = rowShare + 0.5
        let found = blockTexts.map { depths[$0]! }.sorted()
        let b = found.count
        switch position {
        case .begin:
            #expect(found.first == 0 && found.allSatisfy { $0 <= share + tolerance }, "\(found) share \(share)")
        case .end:
            #expect(found.allSatisfy { $0 >= 100 - share - tolerance }, "\(found) share \(share)")
        case .middle:
            #expect(found.allSatisfy { abs($0 - 50) <= share / 2 + tolerance }, "\(found) share \(share)")
        case .bimodal:
            let half = (b + 1) / 2
            #expect(found[..<half].allSatisfy { $0 <= share / 2 + tolerance } && found[half...].allSatisfy { $0 >= 100 - share / 2 - tolerance },
                    "\(found) share \(share)")
        case .uniform:
            for (i, depth) in found.enumerated() {
                #expect(depth >= Double(i) / Double(b) * 100 - tolerance && depth <= Double(i + 1) / Double(b) * 100 + tolerance,
                        "row \(i) of \(b) at \(depth)")
            }
        }
        // The recorded offsets are the counts' estimate of the same.
        for needle in made.sample.metadata.needles {
            let text = blockTexts[made.block.firstIndex { $0.name == needle.key }!]
            #expect(abs(needle.depth - depths[text]!) < 0.5, "\(needle.key): recorded \(needle.depth), counted \(depths[text]!)")
        }
        #expect(made.sample.metadata.axes["position"] == .label(position.rawValue))
    }

    /// Changing one knob leaves the rows the others decide as they were.
    @Test func eachKnobMovesAlone() throws {
        let task = try Self.task()
        let base = try Self.made(task, .groupBy, amount: 8, near: 8)
        let gold = try base.sample.reference.decode(HoloBench.Answer.self)
        func names(_ rows: [HoloRow]) -> [String] { rows.map(\.name) }
        func knob(_ made: HoloBench.Made, _ key: String) -> ParameterValue? { made.sample.metadata.knobs[key] }

        let longer = try Self.made(task, .groupBy, amount: 8, near: 8, length: 16_384)
        #expect(names(longer.relevant) == names(base.relevant) && longer.near == base.near)
        #expect(try longer.sample.reference.decode(HoloBench.Answer.self) == gold)
        #expect(longer.fillers.count > base.fillers.count && Array(longer.fillers.prefix(base.fillers.count)) == base.fillers)

        let more = try Self.made(task, .groupBy, amount: 16, near: 8)
        #expect(Array(more.relevant.prefix(8)) == base.relevant && more.relevant.count == 16 && more.near == base.near)
        #expect(try more.fillers.count < base.fillers.count && more.sample.reference.decode(HoloBench.Answer.self).sql == gold.sql)

        let nearer = try Self.made(task, .groupBy, amount: 8, near: 16)
        #expect(nearer.relevant == base.relevant && Array(nearer.near.prefix(8)) == base.near && nearer.near.count == 16)
        #expect(try nearer.sample.reference.decode(HoloBench.Answer.self) == gold)

        let moved = try Self.made(task, .groupBy, amount: 8, position: .end, near: 8)
        #expect(try Set(moved.placed) == Set(base.placed) && moved.sample.reference.decode(HoloBench.Answer.self) == gold)
        #expect(try Self.context(moved.sample) != Self.context(base.sample))
        for (key, value) in [("relevant_rows", 8), ("near_miss_rows", 8)] { #expect(knob(moved, key) == .int(value) && knob(base, key) == .int(value)) }
        #expect(knob(base, "other_rows") == .int(base.fillers.count))
    }

    @Test func anAmountThatDoesNotFitIsHalvedAndRecorded() throws {
        let task = try Self.task()
        let made = try Self.made(task, .comparison, amount: 256, near: 4, length: 2048)
        let amount = made.relevant.count
        #expect(amount < 256 && 256 % amount == 0 && made.sample.metadata.axes["amount"] == .number(Double(amount)))
        #expect(made.sample.metadata.knobs["amount_requested"] == .int(256))
        #expect(LengthRule.holds(promptTokens: made.sample.metadata.promptTokens, maxTokens: made.sample.generation.maxTokens, length: 2048))
    }

    // MARK: Scoring

    @Test func scoringReadsMessyTablesAndTellsTruncation() throws {
        let task = try Self.task()
        let made = try Self.made(task, .orderBy, amount: 5, length: 4096)
        let sample = made.sample
        let table = try sample.reference.decode(HoloBench.Answer.self).table
        #expect(try task.score(text: task.oracleAnswer(sample: sample), sample: sample).value == 1)
        // Markdown, an extra column, the columns swapped.
        var markdown = "| \(table.header[1]) | extra | \(table.header[0]) |\n|---|---|---|\n"
        for row in table.rows { markdown += "| \(table.kinds[1] == .integer ? HoloText.grouped(Int64(row[1])!) : row[1]) | x | \(row[0]) |\n" }
        #expect(try task.score(text: markdown, sample: sample).value == 1)
        // Reversed order: only one row keeps the gold order.
        let reversed = ([table.header] + table.rows.reversed()).map { $0.joined(separator: "\t") }.joined(separator: "\n")
        #expect(try task.score(text: reversed, sample: sample).metrics["row_recall"] == 0.2)
        // Cut by max_tokens: the partial last row is dropped, and the details say so.
        let oracle = task.oracleAnswer(sample: sample)
        let cut = try task.score(ModelResponse(text: String(oracle.dropLast(2)), finishReason: "length"), sample: sample, context: ScoringContext())
        #expect(cut.metrics["row_precision"] == 1 && cut.metrics["row_recall"] == 0.8)
        #expect(cut.details?["truncated"] == .bool(true) && cut.details?["dropped_partial_row"] == .bool(true))
        #expect(try task.score(text: "", sample: sample).value == 0)
        #expect(task.provenance["sqlite"] == SQLiteDatabase.version)
    }

    @Test func badParametersNameTheirKey() {
        for (params, key) in [
            ("{query_types: [joins]}", "params.query_types"), ("{positions: [top]}", "params.positions"), ("{amounts: [0]}", "params.amounts"),
            ("{amounts: []}", "params.amounts"), ("{tolerance: -1.0}", "params.tolerance"),
        ] {
            do {
                _ = try Self.task(params)
                Issue.record("\(params) was accepted")
            } catch {
                #expect("\(error)".contains(key), "\(params): \(error)")
            }
        }
    }

    @Test func samplesCycleThroughEveryCombination() throws {
        let task = try Self.task("{query_types: [comparison, join], amounts: [4, 8], positions: [begin, end]}")
        let cells = (0..<8).map { task.cell($0) }
        #expect(Set(cells.map { "\($0.type)-\($0.amount)-\($0.position)" }).count == 8)
        #expect(cells[0].type == .comparison && cells[1].type == .join && cells[2].amount == 8 && cells[4].position == .end)
    }
}
