import FathomCore
import FathomMetrics
import FathomSQL
import FathomText

/// How a column's values are drawn, stored and written in sentences.
enum HoloValues: Sendable {
    /// The primary key: a name coined by the fictional world.
    case name(FictionalWorld.Kind)
    /// Whole numbers `lo, lo+step, … ≤ hi`; `grouped` writes thousands separators ("12,400").
    case integer(lo: Int, hi: Int, step: Int, grouped: Bool)
    /// Decimals on a grid of `decimals` places between `lo` and `hi`, written with exactly that many places.
    case real(lo: Double, hi: Double, decimals: Int)
    /// One of a closed set of labels.
    case category([String])
    /// The organisation's sector, read off the kind of organisation its name ends with.
    case sector
    /// The name of a row of another table (a foreign key).
    case reference(String)

    var sqlType: String {
        switch self {
        case .integer: "INTEGER"
        case .real: "REAL"
        case .name, .category, .sector, .reference: "TEXT"
        }
    }

    var isNumeric: Bool {
        switch self {
        case .integer, .real: true
        default: false
        }
    }

    /// The (lo, hi) range of a numeric column.
    var range: (lo: Double, hi: Double)? {
        switch self {
        case .integer(let lo, let hi, _, _): (Double(lo), Double(hi))
        case .real(let lo, let hi, _): (lo, hi)
        default: nil
        }
    }
}

/// A typed column: its SQL name, how its values are made, and how questions speak about it.
struct HoloColumn: Sendable {
    let name: String
    let values: HoloValues
    /// The column in a question: "yearly salary in crowns".
    let phrase: String
    /// Filters, with `{v}` for the value: "earning more than {v} crowns a year", "living in {v}".
    var above: String? = nil
    var below: String? = nil
    var equals: String? = nil
    /// Wide enough that the rows a query ranks get distinct values (ORDER BY, top-k, max/min keys).
    var rankable = false
    /// A quantity whose total means something (a population, a salary; not a year).
    var summable = false
    /// For a foreign key, the referenced row as seen from this one: "the city they live in".
    var via: String? = nil

    /// How the column's cells compare in an answer.
    var kind: TableColumnKind {
        switch values {
        case .integer: .integer
        case .real: .real
        default: .text
        }
    }
}

/// A piece of a sentence template: literal text, or a column's value (optionally after "a"/"an").
enum TemplatePiece: Sendable {
    case text(String)
    case value(Int, article: Bool)
}

/// A table: its name, how its rows read, its columns (the first is the name, the primary key), sentence templates,
/// and how many rows one sample may draw (its name space is finite).
struct HoloTable: Sendable {
    let name: String
    let singular: String
    let plural: String
    /// Names of this table's rows take "the" in running text ("the Orvell Foundry").
    let article: Bool
    let columns: [HoloColumn]
    let templates: [[TemplatePiece]]
    /// Rows other tables' foreign keys point at, made first.
    let poolSize: Int
    /// The most rows one sample draws from this table.
    let capacity: Int

    init(
        name: String, singular: String, plural: String, article: Bool = false, columns: [HoloColumn], templates: [String], poolSize: Int,
        capacity: Int
    ) {
        self.name = name
        self.singular = singular
        self.plural = plural
        self.article = article
        self.columns = columns
        self.poolSize = poolSize
        self.capacity = capacity
        self.templates = templates.map { Self.parse($0, columns: columns) }
    }

    func column(_ name: String) -> Int {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { preconditionFailure("\(self.name) has no column \(name)") }
        return i
    }

    /// `{column}` and `{a:column}` placeholders become value pieces.
    static func parse(_ template: String, columns: [HoloColumn]) -> [TemplatePiece] {
        var pieces: [TemplatePiece] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { pieces.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { preconditionFailure("unclosed placeholder in \(template)") }
            var key = rest[rest.index(after: open)..<close]
            let article = key.hasPrefix("a:")
            if article { key = key.dropFirst(2) }
            guard let i = columns.firstIndex(where: { $0.name == key }) else { preconditionFailure("unknown column \(key) in \(template)") }
            pieces.append(.value(i, article: article))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        for i in columns.indices {
            precondition(pieces.contains { if case .value(i, _) = $0 { true } else { false } }, "template omits \(columns[i].name): \(template)")
        }
        return pieces
    }

    /// The CREATE TABLE statement: typed columns, the name as primary key, references as foreign keys to the
    /// tables of `schema` (a reference to a table outside it stays a plain TEXT column).
    func createStatement(schema: Set<String>) -> String {
        var parts = columns.enumerated().map { i, column in "\(column.name) \(column.values.sqlType)" + (i == 0 ? " PRIMARY KEY" : " NOT NULL") }
        for column in columns {
            if case .reference(let target) = column.values, schema.contains(target) {
                parts.append("FOREIGN KEY (\(column.name)) REFERENCES \(target)(name)")
            }
        }
        return "CREATE TABLE \(name) (\(parts.joined(separator: ", ")))"
    }
}

/// The database every sample draws from: five tables of the fictional world tied by foreign keys.
enum HoloCatalog {
    static let sectorByType: [String: String] = [
        "Institute": "science", "Observatory": "science", "Botanical Society": "science", "Foundry": "industry",
        "Glassworks": "industry", "Mining Company": "industry", "Weaving Mill": "industry", "Shipping Company": "transport",
        "Railway Company": "transport", "Trading House": "trade", "Savings Bank": "finance", "Academy": "education",
        "Conservatory": "education", "Printing House": "crafts", "Ropeworks": "crafts", "Mapmakers Guild": "crafts",
        "Clockworks": "crafts", "Lens Company": "crafts",
    ]
    static let sectors = ["science", "industry", "transport", "trade", "finance", "education", "crafts"]

    /// The sector of an organisation named "<root> <type>".
    static func sector(of name: String) -> String {
        for (type, sector) in sectorByType where name.hasSuffix(" " + type) { return sector }
        preconditionFailure("organisation \(name) has a kind with no sector")
    }

    static let tables: [HoloTable] = [
        HoloTable(
            name: "provinces", singular: "province", plural: "provinces",
            columns: [
                HoloColumn(name: "name", values: .name(.province), phrase: "name"),
                HoloColumn(
                    name: "region", values: .category(["north", "south", "east", "west", "centre"]), phrase: "region",
                    equals: "in the {v} of the realm"),
                HoloColumn(
                    name: "population", values: .integer(lo: 40_000, hi: 2_400_000, step: 100, grouped: true), phrase: "population",
                    above: "with more than {v} inhabitants", below: "with fewer than {v} inhabitants", rankable: true, summable: true),
                HoloColumn(
                    name: "area", values: .integer(lo: 600, hi: 48_000, step: 10, grouped: true), phrase: "area in square kilometres",
                    above: "larger than {v} square kilometres", below: "smaller than {v} square kilometres", rankable: true, summable: true),
            ],
            templates: [
                "The province of {name}, in the {region} of the realm, covers {area} square kilometres and has {population} inhabitants.",
                "{name} is a province in the {region} of the realm with {population} inhabitants and an area of {area} square kilometres.",
                "With an area of {area} square kilometres and {population} inhabitants, the province of {name} lies in the {region} of the realm.",
            ],
            poolSize: 6, capacity: 300),
        HoloTable(
            name: "cities", singular: "city", plural: "cities",
            columns: [
                HoloColumn(name: "name", values: .name(.city), phrase: "name"),
                HoloColumn(
                    name: "province", values: .reference("provinces"), phrase: "province", equals: "in the province of {v}",
                    via: "the province it lies in"),
                HoloColumn(
                    name: "population", values: .integer(lo: 1_500, hi: 950_000, step: 10, grouped: true), phrase: "population",
                    above: "with more than {v} inhabitants", below: "with fewer than {v} inhabitants", rankable: true, summable: true),
                HoloColumn(
                    name: "founded", values: .integer(lo: 820, hi: 1790, step: 1, grouped: false), phrase: "founding year",
                    above: "founded after {v}", below: "founded before {v}", rankable: true),
                HoloColumn(
                    name: "elevation", values: .integer(lo: 0, hi: 2600, step: 1, grouped: false), phrase: "elevation in metres",
                    above: "lying higher than {v} metres above sea level", below: "lying lower than {v} metres above sea level",
                    rankable: true),
            ],
            templates: [
                "{name}, a city in the province of {province}, was founded in {founded}, lies {elevation} metres above sea level and has {population} inhabitants.",
                "Founded in {founded}, the city of {name} in the province of {province} has {population} inhabitants and lies at an elevation of {elevation} metres.",
                "The city of {name} ({province}) has {population} inhabitants; it lies {elevation} metres above sea level and was founded in {founded}.",
            ],
            poolSize: 10, capacity: 2500),
        HoloTable(
            name: "organisations", singular: "organisation", plural: "organisations", article: true,
            columns: [
                HoloColumn(name: "name", values: .name(.organisation), phrase: "name"),
                HoloColumn(
                    name: "city", values: .reference("cities"), phrase: "headquarters city", equals: "headquartered in {v}",
                    via: "the city of its headquarters"),
                HoloColumn(name: "sector", values: .sector, phrase: "sector", equals: "in the {v} sector"),
                HoloColumn(
                    name: "founded", values: .integer(lo: 1580, hi: 1930, step: 1, grouped: false), phrase: "founding year",
                    above: "founded after {v}", below: "founded before {v}", rankable: true),
                HoloColumn(
                    name: "members", values: .integer(lo: 12, hi: 9_800, step: 1, grouped: true), phrase: "number of members",
                    above: "with more than {v} members", below: "with fewer than {v} members", rankable: true, summable: true),
            ],
            templates: [
                "{name}, headquartered in {city}, was founded in {founded}, works in the {sector} sector and has {members} members.",
                "Founded in {founded}, {name} belongs to the {sector} sector, is based in {city} and has {members} members.",
                "With {members} members, {name} works in the {sector} sector; it was founded in {founded} and has its headquarters in {city}.",
            ],
            poolSize: 10, capacity: 60_000),
        HoloTable(
            name: "people", singular: "person", plural: "people",
            columns: [
                HoloColumn(name: "name", values: .name(.person), phrase: "name"),
                HoloColumn(
                    name: "born", values: .integer(lo: 1820, hi: 1915, step: 1, grouped: false), phrase: "year of birth",
                    above: "born after {v}", below: "born before {v}"),
                HoloColumn(name: "city", values: .reference("cities"), phrase: "city", equals: "living in {v}", via: "the city they live in"),
                HoloColumn(
                    name: "employer", values: .reference("organisations"), phrase: "employer", equals: "working for {v}",
                    via: "the organisation they work for"),
                HoloColumn(
                    name: "profession",
                    values: .category(["engineer", "clerk", "surveyor", "chemist", "navigator", "teacher", "printer", "glazier"]),
                    phrase: "profession", equals: "working as {a:v}"),
                HoloColumn(
                    name: "salary", values: .integer(lo: 8_000, hi: 96_000, step: 50, grouped: true), phrase: "yearly salary in crowns",
                    above: "earning more than {v} crowns a year", below: "earning less than {v} crowns a year", rankable: true, summable: true),
            ],
            templates: [
                "{name}, {a:profession} born in {born}, lives in {city}, works for {employer} and earns {salary} crowns a year.",
                "Born in {born}, {name} lives in {city} and works as {a:profession} for {employer}, earning {salary} crowns a year.",
                "{name} earns {salary} crowns a year as {a:profession} at {employer}, lives in {city} and was born in {born}.",
            ],
            poolSize: 12, capacity: 200_000),
        HoloTable(
            name: "inventions", singular: "invention", plural: "inventions", article: true,
            columns: [
                HoloColumn(name: "name", values: .name(.invention), phrase: "name"),
                HoloColumn(name: "inventor", values: .reference("people"), phrase: "inventor", equals: "invented by {v}", via: "its inventor"),
                HoloColumn(
                    name: "year", values: .integer(lo: 1760, hi: 1930, step: 1, grouped: false), phrase: "year of invention",
                    above: "invented after {v}", below: "invented before {v}", rankable: true),
                HoloColumn(
                    name: "price", values: .real(lo: 2, hi: 980, decimals: 2), phrase: "price in crowns",
                    above: "selling for more than {v} crowns", below: "selling for less than {v} crowns", rankable: true, summable: true),
                HoloColumn(
                    name: "weight", values: .real(lo: 0.2, hi: 240, decimals: 1), phrase: "weight in kilograms",
                    above: "weighing more than {v} kilograms", below: "weighing less than {v} kilograms", rankable: true, summable: true),
            ],
            templates: [
                "{name} was invented by {inventor} in {year}; it weighs {weight} kilograms and sells for {price} crowns.",
                "Invented in {year} by {inventor}, {name} sells for {price} crowns and weighs {weight} kilograms.",
                "{name}, which weighs {weight} kilograms and sells for {price} crowns, was invented by {inventor} in {year}.",
            ],
            poolSize: 12, capacity: 8_000),
    ]

    static func table(_ name: String) -> Int {
        guard let i = tables.firstIndex(where: { $0.name == name }) else { preconditionFailure("no table \(name)") }
        return i
    }

    /// Tables whose name space can fill a million tokens: every schema has one besides the queried table.
    static let large: Set<String> = ["people", "organisations"]

    /// Per table, the numeric columns' grids (nil for other columns), made once.
    static let grids: [[HoloGrid?]] = tables.map { $0.columns.map { HoloGrid($0.values) } }

    /// Per table, the column of the sector read off the name, if any.
    static let sectorColumn: [Int?] = tables.map { $0.columns.firstIndex { if case .sector = $0.values { true } else { false } } }

    /// Tables whose row names take "the" in running text.
    static let articles: Set<String> = Set(tables.filter(\.article).map(\.name))
}
