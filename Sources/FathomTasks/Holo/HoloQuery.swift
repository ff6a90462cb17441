import FathomCore
import FathomMetrics
import FathomSQL

/// The kinds of question: HoloBench's query types, with aggregation split by GROUP BY and an empty result added.
public enum HoloQueryType: String, CaseIterable, Codable, Sendable {
    case comparison, aggregate
    case groupBy = "group_by"
    case maxMin = "max_min"
    case topK = "top_k"
    case orderBy = "order_by"
    case join, empty
}

/// Where the rows that bear the answer go (HoloBench's merge strategies).
public enum HoloPosition: String, CaseIterable, Codable, Sendable {
    /// One answer-bearing row per equal slice of the context.
    case uniform
    /// Together, at the start, the middle or the end of the context.
    case begin, middle, end
    /// Half together at the start, half at the end.
    case bimodal
}

/// A predicate on one column of the queried table: above or below a round threshold, or equal to a label or name.
struct HoloFilter: Sendable {
    enum Op: String, Sendable { case above, below, equals }
    let column: Int
    let op: Op
    /// The threshold, in the column's units (numeric columns).
    let threshold: Int64
    /// The value (equals).
    let label: String

    /// Every value the column may take under `equals` (labels, sectors, or the referenced table's pool).
    static func labels(_ column: HoloColumn, world: HoloWorld) -> [String] {
        switch column.values {
        case .category(let labels): labels
        case .sector: HoloCatalog.sectors
        case .reference(let target): world.poolNames(HoloCatalog.table(target))
        default: []
        }
    }

    /// Draws a filter on `column`: for numbers a round threshold in the middle 40% of the range.
    static func make(_ table: HoloTable, column: Int, world: HoloWorld, _ rng: inout SeededRandom) -> HoloFilter {
        let spec = table.columns[column]
        if let (lo, hi) = spec.values.range {
            var unit: Int64 = 1
            while Double(unit * 10) <= (hi - lo) / 10 { unit *= 10 }
            let t = lo + (0.3 + 0.4 * rng.unit()) * (hi - lo)
            let threshold = max(Int64(lo.rounded(.up)), Int64((t / Double(unit)).rounded()) * unit)
            return HoloFilter(column: column, op: rng.below(2) == 0 ? .above : .below, threshold: threshold, label: "")
        }
        return HoloFilter(column: column, op: .equals, threshold: 0, label: rng.pick(labels(spec, world: world)))
    }

    /// The rule for rows that pass.
    func pass(_ table: HoloTable) -> HoloRule {
        switch op {
        case .above: .indices(HoloGrid(table.columns[column].values)!.indices(above: threshold)!)
        case .below: .indices(HoloGrid(table.columns[column].values)!.indices(below: threshold)!)
        case .equals: .oneOf([label])
        }
    }

    /// The rule for rows that fail; `near`: on the failing side within 15% of the range of the threshold.
    func fail(_ table: HoloTable, world: HoloWorld, near: Bool) -> HoloRule {
        let spec = table.columns[column]
        guard op != .equals else { return .oneOf(Self.labels(spec, world: world).filter { $0 != label }) }
        let grid = HoloGrid(spec.values)!
        let reach = near ? max(1, grid.count * 15 / 100) : grid.count
        if op == .above {
            let first = grid.indices(above: threshold)!.lowerBound
            return .indices(max(0, first - reach)...(first - 1))
        }
        let last = grid.indices(below: threshold)!.upperBound
        return .indices((last + 1)...min(grid.count - 1, last + reach))
    }

    /// Whether a row's value passes (the SQL semantics, for checks).
    func holds(_ value: SQLValue) -> Bool {
        switch (op, value) {
        case (.equals, .text(let s)): s == label
        case (.above, .integer(let x)): x > threshold
        case (.below, .integer(let x)): x < threshold
        case (.above, .real(let x)): x > Double(threshold)
        case (.below, .real(let x)): x < Double(threshold)
        default: false
        }
    }

    func sql(_ table: HoloTable, qualifier: String = "") -> String {
        let name = qualifier + table.columns[column].name
        switch op {
        case .above: return "\(name) > \(threshold)"
        case .below: return "\(name) < \(threshold)"
        case .equals: return "\(name) = '\(label.replacingAll("'", with: "''"))'"
        }
    }

    /// The filter in a question: "born after 1850", "working as a surveyor".
    func phrase(_ table: HoloTable) -> String {
        let spec = table.columns[column]
        let template: String?
        let value: String
        switch op {
        case .above, .below:
            template = op == .above ? spec.above : spec.below
            if case .integer(_, _, _, true) = spec.values { value = HoloText.grouped(threshold) } else { value = String(threshold) }
        case .equals:
            template = spec.equals
            value = HoloText.text(.text(label), spec)
        }
        guard let template else { preconditionFailure("\(table.name).\(spec.name) has no \(op) phrase") }
        return template.replacingAll("{a:v}", with: HoloText.indefinite(value)).replacingAll("{v}", with: value)
    }
}

/// The query of one sample: what it asks, the SQL that answers it, its answer header, and the rules its
/// answer-bearing rows (and near misses) are drawn under.
struct HoloPlan: Sendable {
    let type: HoloQueryType
    let main: Int
    let filter: HoloFilter
    /// `empty`: a second condition that no answer-bearing row meets.
    let second: HoloFilter?
    /// The aggregated or ranked column.
    let measure: Int?
    /// `COUNT`, `SUM`, `AVG` (aggregate, group_by).
    let function: String?
    let group: Int?
    let descending: Bool
    let k: Int?
    /// `join`: the foreign-key column of the main table, its table, and the partner column asked for.
    let join: (column: Int, table: Int, asked: Int)?
    let sql: String
    let question: String
    let header: [String]
    let kinds: [TableColumnKind]
    let ordered: Bool

    var table: HoloTable { HoloCatalog.tables[main] }
    /// Whether the answer-bearing rows need distinct values of `measure` (so the order is unambiguous).
    var ranked: Bool { type == .maxMin || type == .topK || type == .orderBy }

    static func numericColumns(_ table: HoloTable) -> [Int] { table.columns.indices.filter { table.columns[$0].values.isNumeric } }
    static func filterColumns(_ table: HoloTable) -> [Int] {
        table.columns.indices.filter { i in
            let c = table.columns[i]
            return c.values.isNumeric ? (c.above != nil && c.below != nil) : c.equals != nil
        }
    }
    static func groupColumns(_ table: HoloTable) -> [Int] {
        table.columns.indices.dropFirst().filter { !table.columns[$0].values.isNumeric }
    }
    static func referenceColumns(_ table: HoloTable) -> [Int] {
        table.columns.indices.filter { if case .reference = table.columns[$0].values { true } else { false } }
    }

    /// Draws the query of `type` (top-k asks for min(`topK`, `amount`) rows).
    static func make(type: HoloQueryType, world: HoloWorld, topK: Int, amount: Int, _ rng: inout SeededRandom) -> HoloPlan {
        let tables = HoloCatalog.tables
        let candidates = type == .join ? tables.indices.filter { !referenceColumns(tables[$0]).isEmpty } : Array(tables.indices)
        let main = rng.pick(candidates)
        let table = tables[main]
        let numeric = numericColumns(table)
        let filters = filterColumns(table)
        var second: HoloFilter?
        var measure: Int?
        var function: String?
        var group: Int?
        var join: (column: Int, table: Int, asked: Int)?
        let descending = rng.below(2) == 0
        var k: Int?
        let filter: HoloFilter
        switch type {
        case .comparison:
            filter = HoloFilter.make(table, column: rng.pick(numeric), world: world, &rng)
        case .aggregate, .groupBy:
            if type == .groupBy { group = rng.pick(groupColumns(table)) }
            let filterColumn = rng.pick(type == .groupBy ? numeric : filters.filter { $0 != group })
            filter = HoloFilter.make(table, column: filterColumn, world: world, &rng)
            let averageable = numeric.filter { $0 != filterColumn }
            let summable = averageable.filter { table.columns[$0].summable }
            function = rng.pick(["COUNT"] + (summable.isEmpty ? [] : ["SUM"]) + (averageable.isEmpty ? [] : ["AVG"]))
            if function == "SUM" { measure = rng.pick(summable) }
            if function == "AVG" { measure = rng.pick(averageable) }
        case .maxMin, .topK, .orderBy:
            let m = rng.pick(table.columns.indices.filter { table.columns[$0].rankable })
            measure = m
            filter = HoloFilter.make(table, column: rng.pick(filters.filter { $0 != m }), world: world, &rng)
            if type == .maxMin { k = 1 }
            if type == .topK { k = max(1, min(topK, amount)) }
        case .join:
            let fk = rng.pick(referenceColumns(table))
            guard case .reference(let target) = table.columns[fk].values else { preconditionFailure("not a reference") }
            let partner = HoloCatalog.table(target)
            let askable = tables[partner].columns.indices.dropFirst().filter {
                if case .reference = tables[partner].columns[$0].values { false } else { true }
            }
            join = (fk, partner, rng.pick(askable))
            filter = HoloFilter.make(table, column: rng.pick(filters.filter { $0 != fk }), world: world, &rng)
        case .empty:
            let first = rng.pick(filters)
            filter = HoloFilter.make(table, column: first, world: world, &rng)
            second = HoloFilter.make(table, column: rng.pick(numeric.filter { $0 != first }), world: world, &rng)
        }
        let text = Self.text(
            type: type, table: table, filter: filter, second: second, measure: measure, function: function, group: group,
            descending: descending, k: k, join: join)
        return HoloPlan(
            type: type, main: main, filter: filter, second: second, measure: measure, function: function, group: group,
            descending: descending, k: k, join: join, sql: text.sql, question: text.question, header: text.header, kinds: text.kinds,
            ordered: text.ordered)
    }

    /// The SQL, the question, the header and column kinds, and whether order counts.
    static func text(
        type: HoloQueryType, table: HoloTable, filter: HoloFilter, second: HoloFilter?, measure: Int?, function: String?, group: Int?,
        descending: Bool, k: Int?, join: (column: Int, table: Int, asked: Int)?
    ) -> (sql: String, question: String, header: [String], kinds: [TableColumnKind], ordered: Bool) {
        let t = table.name
        let f = filter.phrase(table)
        let whereSQL = filter.sql(table)
        let direction = descending ? "DESC" : "ASC"
        let most = descending ? "highest" : "lowest"
        switch type {
        case .comparison:
            let c = table.columns[filter.column]
            return (
                "SELECT name, \(c.name) FROM \(t) WHERE \(whereSQL)",
                "List the name and the \(c.phrase) of every \(table.singular) \(f).", ["name", c.name], [.text, c.kind], false
            )
        case .aggregate, .groupBy:
            let (select, alias, kind, ask) = aggregate(table, function: function!, measure: measure, plural: table.plural, filterPhrase: f)
            if type == .aggregate {
                return ("SELECT \(select) AS \(alias) FROM \(t) WHERE \(whereSQL)", ask, [alias], [kind], false)
            }
            let g = table.columns[group!]
            let question = "For each \(g.phrase), " + ask.prefix(1).lowercased() + ask.dropFirst().dropLast()
                + "? Give one row per \(g.phrase) that has at least one such \(table.singular)."
            return (
                "SELECT \(g.name), \(select) AS \(alias) FROM \(t) WHERE \(whereSQL) GROUP BY \(g.name) ORDER BY \(g.name)", question,
                [g.name, alias], [g.kind, kind], false
            )
        case .maxMin, .topK, .orderBy:
            let m = table.columns[measure!]
            let sql = "SELECT name, \(m.name) FROM \(t) WHERE \(whereSQL) ORDER BY \(m.name) \(direction)"
            let question: String
            switch type {
            case .maxMin:
                question = "Which \(table.singular) \(f) has the \(most) \(m.phrase)? Give the name and the \(m.phrase)."
            case .topK:
                question = "Which \(k!) \(k! == 1 ? table.singular : table.plural) \(f) have the \(most) \(m.phrase)? "
                    + "Give the name and the \(m.phrase) of each, from the \(most) down."
            default:
                question = "List the name and the \(m.phrase) of every \(table.singular) \(f), ordered by \(m.phrase) from the "
                    + (descending ? "highest to the lowest." : "lowest to the highest.")
            }
            return (type == .orderBy ? sql : sql + " LIMIT \(k!)", question, ["name", m.name], [.text, m.kind], true)
        case .join:
            let (fk, partnerIndex, asked) = join!
            let partner = HoloCatalog.tables[partnerIndex]
            let column = partner.columns[asked]
            let fkColumn = table.columns[fk]
            let alias = "\(fkColumn.name)_\(column.name)"
            return (
                "SELECT a.name AS name, b.\(column.name) AS \(alias) FROM \(t) AS a JOIN \(partner.name) AS b ON a.\(fkColumn.name) = b.name "
                    + "WHERE \(filter.sql(table, qualifier: "a."))",
                "For every \(table.singular) \(f), give the name and the \(column.phrase) of \(fkColumn.via!).", ["name", alias],
                [.text, column.kind], false
            )
        case .empty:
            return (
                "SELECT name FROM \(t) WHERE \(whereSQL) AND \(second!.sql(table))",
                "List the name of every \(table.singular) \(f) and \(second!.phrase(table)).", ["name"], [.text], false
            )
        }
    }

    /// The aggregate's SELECT expression, its alias, its kind and the question without GROUP BY.
    static func aggregate(_ table: HoloTable, function: String, measure: Int?, plural: String, filterPhrase f: String)
        -> (String, String, TableColumnKind, String)
    {
        guard let measure else { return ("COUNT(*)", "count", .integer, "How many \(plural) \(f) are there?") }
        let m = table.columns[measure]
        if function == "SUM" {
            return ("SUM(\(m.name))", "total_\(m.name)", m.kind, "What is the total \(m.phrase) of all \(plural) \(f)?")
        }
        return ("AVG(\(m.name))", "average_\(m.name)", .real, "What is the average \(m.phrase) of the \(plural) \(f)?")
    }
}
