import FathomCore
import FathomText

/// LongProc's HTML to TSV: a web page lists items (products, books, events, homes, jobs, recipes); the model
/// extracts the asked properties of every item, in page order, as a TSV table, keeping only the rows an optional
/// filter asks for.
///
/// Pages are generated: seeded items with typed fields (currencies, several date formats, units, ratings, lists,
/// multi-line addresses, `&`, quotes, accents, optionally as numeric character references, blanks) rendered through
/// one of five layouts (table, card grid, definition lists, nested divs, nested lists) in boilerplate (navigation,
/// prose, sidebar widgets, promotions between items, footer) that grows the page to the length. The output level
/// sets the number of items. Every generated page is parsed back with libxml2 (`HTMLVerifier`) and must state
/// exactly the generator's table. Scored by `TSVMatch`: row F1 (headline), precision, recall, cell F1, exact.
public struct HTMLToTSV: TaskPlugin {
    public static let kind = "longproc_html_to_tsv"
    public static let summary = "Extract the listed items of a long generated web page into a TSV table (libxml2-verified pages)."
    public static let metrics = ["row_f1", "row_precision", "row_recall", "cell_f1", "exact", "extraction_rate", "truncated"]
    public static let defaultMaxTokens = 10_000
    public static let defaultTags = TaskTags(family: "long-procedure", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var levels = OutputLevel.standard
        public var budgetPercent = 125
        public var filterPercent = 40
        public init() {}
        enum CodingKeys: String, CodingKey { case levels, budgetPercent = "budget_percent", filterPercent = "filter_percent" }
        public static let documentation: [String: ParameterDoc] = [
            "levels": ParameterDoc("reference output tokens; sample i takes levels[i mod count] (125…16000)"),
            "budget_percent": ParameterDoc("max_tokens as a percentage of the sample's level", minimum: 100),
            "filter_percent": ParameterDoc("percentage of samples that ask for the rows meeting a condition only (0–100)", minimum: 0),
        ]
    }

    public let descriptor: TaskDescriptor
    let settings: LevelSettings
    let filterPercent: Int

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        try OutputLevel.validate(parameters.levels)
        guard parameters.filterPercent <= 100 else {
            throw FathomError(.invalidValue, "filter_percent must be at most 100", key: "params.filter_percent")
        }
        self.descriptor = descriptor
        settings = LevelSettings(levels: parameters.levels, budgetPercent: parameters.budgetPercent)
        filterPercent = parameters.filterPercent
    }

    public var axes: [AxisSpec] { [OutputLevel.axis] }

    public var provenance: [String: String] { ["libxml2": HTMLVerifier.version] }

    /// The structured reference: the gold table and how the page showed it.
    struct Gold: Codable, Hashable {
        var header: [String]
        var rows: [[String]]
        var layout: HTMLPage.Layout
        var topic: String
        var filter: String?
    }

    /// Items `k` of a page; `draw` picks the topic, layout, columns, formats and filter.
    static func page(items k: Int, draw: Int, seed: UInt64, filterPercent: Int, compact: Bool = false) -> HTMLPage {
        var rng = SeededRandom(seed: deriveSeed(seed, "page \(draw)"))
        let topic = rng.below(HTMLCatalog.topics.count)
        let fields = HTMLCatalog.topics[topic].fields
        let layout = compact ? .table : rng.pick(HTMLPage.Layout.allCases)
        let others = Array(1..<fields.count)
        let asked = Set(rng.sampleIndices(others.count, rng.int(in: min(2, others.count)...min(4, others.count))).map { others[$0] })
        let columns = [0] + others.filter { asked.contains($0) }
        let style = HTMLCatalog.Style(
            currency: rng.pick([("$", true), ("\u{20AC}", true), ("\u{A3}", true), ("EUR", false), ("CHF", false)]), dateFormat: rng.below(4),
            ratingFormat: rng.below(3))
        var names = ProcNames()
        var siteRNG = SeededRandom(seed: deriveSeed(seed, "site \(draw)"))
        let site = names.city(&siteRNG) + rng.pick([" Market", " & Co", " Online", " Hub", "'s Picks"])
        let numeric = rng.below(3) == 0
        let wantsFilter = rng.below(100) < filterPercent && !compact
        let filterable = fields.indices.filter { fields[$0].filterable }
        let filterField = wantsFilter && !filterable.isEmpty ? rng.pick(filterable) : nil
        // The page shows the asked fields, the filter's, and one more field at most.
        let unasked = others.filter { !asked.contains($0) && $0 != filterField }
        var shownSet = Set(columns + (filterField.map { [$0] } ?? []))
        if let extra = unasked.isEmpty || rng.below(2) == 0 ? nil : rng.pick(unasked) { shownSet.insert(extra) }
        let shown = shownSet.sorted()
        var itemRNG = SeededRandom(seed: deriveSeed(seed, "items \(draw)"))
        // An equality filter's value is given to about 40% of the items, so the filter keeps a fair share of rows.
        let favourite = filterField.map { fields[$0].make(&itemRNG, style) }
        let items = (0..<k).map { _ in
            fields.indices.map { f -> HTMLCatalog.Cell in
                let field = fields[f]
                let cell = field.make(&itemRNG, style)
                if f == filterField, field.kind != .number, let favourite, itemRNG.below(5) < 2 { return favourite }
                return field.optional && itemRNG.below(7) == 0 ? HTMLCatalog.Cell(parts: [], amount: nil) : cell
            }
        }
        var filter: HTMLPage.Filter? = nil
        if let f = filterField, !items.isEmpty {
            let label = fields[f].label.lowercased()
            if fields[f].kind == .number {
                let amounts = items.compactMap { $0[f].amount }.sorted()
                let threshold = amounts[amounts.count / 2].rounded(.down)
                let shown = threshold == threshold.rounded() ? String(Int(threshold)) : String(threshold)
                filter = HTMLPage.Filter(
                    field: f, equals: nil, atLeast: threshold,
                    instruction: "Only extract the rows whose \(label) is at least \(shown) (ignoring currency symbols, units and thousands separators).")
            } else {
                let value = favourite!.tsv(fields[f].kind)
                filter = HTMLPage.Filter(field: f, equals: value, atLeast: nil, instruction: "Only extract the rows whose \(label) is \"\(value)\".")
            }
        }
        return HTMLPage(
            topic: topic, layout: layout, shown: shown, columns: columns, items: items, filter: filter, site: site, numericEntities: numeric)
    }

    final class Instance: ProcInstance {
        let page: HTMLPage
        let oracle: String
        let oracleTokens: Int
        let seed: UInt64
        var boilerplate: [HTMLPage.Boilerplate] = []
        var slots: [Int] = []
        var rng: SeededRandom
        let essay = EssayGenerator()

        let compact: Bool

        init(page: HTMLPage, tokens: Int, seed: UInt64, compact: Bool) {
            self.page = page
            self.compact = compact
            let table = page.table
            oracle = HTMLPage.oracle(header: table.header, rows: table.rows)
            oracleTokens = tokens
            self.seed = seed
            rng = SeededRandom(seed: deriveSeed(seed, "boilerplate"))
        }

        var answerPrefix: String { "" }
        var bytesPerFillerUnit: Double { 80 }
        var knobs: [String: ParameterValue] {
            ["items": .int(page.items.count), "rows": .int(page.table.rows.count), "columns": .int(page.columns.count),
             "layout": .string(page.layout.rawValue), "filtered": .bool(page.filter != nil)]
        }

        func reference() throws(FathomError) -> Reference {
            let table = page.table
            return try Reference(
                answers: [oracle],
                Gold(header: table.header, rows: table.rows, layout: page.layout, topic: HTMLCatalog.topics[page.topic].name, filter: page.filter?.instruction))
        }

        func messages(context: String) -> [Message] { [Message(.user, HTMLToTSV.prompt(page: page, html: context, compact: compact))] }

        /// The items as the layout renders them (the same for every size).
        lazy var rendered: [String] = page.items.map(page.render)

        func grow(to count: Int) {
            while boilerplate.count < count {
                boilerplate.append(HTMLPage.boilerplate(&rng, essay: essay, escape: page.escape))
                slots.append(rng.below(1 << 30))
            }
        }

        func context(filler: Int) -> String {
            grow(to: filler)
            return page.html(boilerplate: boilerplate.prefix(filler), slots: slots.prefix(filler), rendered: rendered)
        }

        func fillerUnits(_ range: Range<Int>) -> [String] {
            grow(to: range.upperBound)
            return boilerplate[range].map { $0.html + "\n" }
        }

        func validate(filler: Int) throws { try HTMLVerifier.verify(context(filler: filler), page: page) }
    }

    static func prompt(page: HTMLPage, html: String, compact: Bool = false) -> String {
        let topic = HTMLCatalog.topics[page.topic]
        let properties = page.columns.enumerated().map { "(\($0.offset + 1)) \(page.fields[$0.element].label)" }.joined(separator: "; ")
        let header = page.columns.map { page.fields[$0].header }.joined(separator: "\t")
        return """
            [TASK]
            Extract information from an HTML web page into a TSV table. You will first see the page, then what to extract \
            and the output format.

            [INPUT WEBPAGE]
            ```html
            \(html)
            ```

            [TARGET INFORMATION]
            From the web page above about \(topic.name), extract these properties of every \(topic.item) it lists: \
            \(properties).\(page.filter.map { " " + $0.instruction } ?? "")

            [OUTPUT FORMAT]
            Write a TSV table (cells separated by a tab character) in a ```tsv block, starting with this header line:
            ```tsv
            \(header)
            ...one row per \(topic.item)...
            ```

            \(compact ? Self.shortNotes : Self.notes)
            """
    }

    static let notes = """
        [NOTES]
        - Keep the order in which the items appear on the page.
        - If asked for the rows that meet a condition, output those rows only.
        - Write N/A for a property that is blank or missing.
        - Join the lines of a multi-line property with a space, and the entries of a list with ", ".
        - Copy values exactly as shown, with their units, currency symbols and special characters; write characters, \
        not HTML entities (& rather than &amp;).
        - Output nothing but the TSV block.
        """

    /// The notes in one line, for lengths too short for the rest.
    static let shortNotes = "[NOTES] Page order; N/A for blanks; values as shown (characters, not entities); only the TSV block."

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try ProcSampler.sample(request, descriptor: descriptor, settings: settings, inputPerOutputToken: 1.2) { level, seed, compact in
            let fitted = try ProcSampler.fitOutput(level: level, tokenizer: request.tokenizer, guess: max(2, level / 30)) { (k: Int, draw: Int) -> (value: HTMLPage, oracle: String)? in
                let page = Self.page(items: k, draw: draw, seed: seed, filterPercent: filterPercent, compact: compact)
                let table = page.table
                guard !table.rows.isEmpty else { return nil }
                return (page, HTMLPage.oracle(header: table.header, rows: table.rows))
            }
            return Instance(page: fitted.value, tokens: fitted.tokens, seed: deriveSeed(seed, "filler"), compact: compact)
        }
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let gold = try sample.reference.decode(Gold.self)
        let text = ProcAnswer.text(response).text
        let match = TSVMatch.compare(answer: text, header: gold.header, rows: gold.rows)
        let extracted = TSVMatch.block(text).fenced
        return ProcScore.make(
            value: match.rowF1,
            metrics: [
                "row_f1": match.rowF1, "row_precision": match.rowPrecision, "row_recall": match.rowRecall, "cell_f1": match.cellF1,
                "exact": match.exact ? 1 : 0,
            ],
            response: response, extracted: extracted,
            details: [
                "predicted_rows": .int(match.predictedRows), "matched_rows": .int(match.matchedRows), "gold_rows": .int(gold.rows.count),
                "aligned_columns": .int(match.alignedColumns),
            ])
    }

    public func oracleAnswer(sample: Sample) -> String { sample.reference.answers[0] }
}
