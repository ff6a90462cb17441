import FathomCore
import FathomSQL
import FathomText

/// One row of a table: its values (the name first, in column order) and the sentence template it is written with.
struct HoloRow: Sendable, Hashable {
    let table: Int
    let values: [SQLValue]
    let template: Int

    var name: String {
        guard case .text(let name) = values[0] else { preconditionFailure("a row's name is text") }
        return name
    }
    var schema: HoloTable { HoloCatalog.tables[table] }
}

/// The values of a numeric column as a grid: value k is `(base + k·step) / scale`.
struct HoloGrid: Sendable {
    let base: Int64
    let step: Int64
    let count: Int
    /// 10^decimals for reals, 1 for integers.
    let scale: Int64
    let isReal: Bool

    init?(_ values: HoloValues) {
        switch values {
        case .integer(let lo, let hi, let step, _):
            (base, self.step, count, scale, isReal) = (Int64(lo), Int64(step), (hi - lo) / step + 1, 1, false)
        case .real(let lo, let hi, let decimals):
            var scale: Int64 = 1
            for _ in 0..<decimals { scale *= 10 }
            let loUnits = Int64((lo * Double(scale)).rounded()), hiUnits = Int64((hi * Double(scale)).rounded())
            (base, self.step, count, self.scale, isReal) = (loUnits, 1, Int(hiUnits - loUnits) + 1, scale, true)
        default:
            return nil
        }
    }

    func value(_ k: Int) -> SQLValue {
        let units = base + Int64(k) * step
        return isReal ? .real(Double(units) / Double(scale)) : .integer(units)
    }

    /// Grid indices whose value is strictly above `threshold` (in the column's units, e.g. 450 crowns).
    func indices(above threshold: Int64) -> ClosedRange<Int>? {
        let t = threshold * scale - base
        let first = Int(floorDiv(t, step) + 1)
        return clamp(max(0, first)...(count - 1))
    }

    /// Grid indices whose value is strictly below `threshold`.
    func indices(below threshold: Int64) -> ClosedRange<Int>? {
        let t = threshold * scale - base
        let last = Int(ceilDiv(t, step) - 1)
        return clamp(0...min(count - 1, max(-1, last)))
    }

    private func clamp(_ r: ClosedRange<Int>) -> ClosedRange<Int>? { r.lowerBound <= r.upperBound && r.upperBound >= 0 ? r : nil }
    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { -floorDiv(-a, b) }
}

/// Writing rows as sentences and values as text.
enum HoloText {
    /// `12400` → `12,400`.
    static func grouped(_ x: Int64) -> String {
        let digits = Array(String(x.magnitude).utf8)
        var out: [UInt8] = x < 0 ? [0x2D] : []
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for i in 0..<digits.count {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(0x2C) }
            out.append(digits[i])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `x` with exactly `decimals` places (half away from zero), without locale-dependent formatting.
    static func fixed(_ x: Double, decimals: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let units = Int64((x * Double(scale)).rounded())
        let whole = String(units.magnitude / UInt64(scale))
        var fraction = String(units.magnitude % UInt64(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return (units < 0 ? "-" : "") + whole + (decimals > 0 ? "." + fraction : "")
    }

    /// A value as sentences (and questions) write it.
    static func text(_ value: SQLValue, _ column: HoloColumn) -> String {
        switch (value, column.values) {
        case (.integer(let x), .integer(_, _, _, let grouped)): return grouped ? Self.grouped(x) : String(x)
        case (.real(let x), .real(_, _, let decimals)): return fixed(x, decimals: decimals)
        case (.text(let s), .name): return s
        case (.text(let s), .reference(let target)): return HoloCatalog.articles.contains(target) ? "the " + s : s
        case (.text(let s), _): return s
        default: return value.description
        }
    }

    static func indefinite(_ word: String) -> String {
        (word.first.map { "aeiouAEIOU".contains($0) } ?? false ? "an " : "a ") + word
    }

    /// The row as one sentence, first letter capitalised (written as UTF-8 bytes into one buffer).
    static func sentence(_ row: HoloRow) -> String {
        let table = HoloCatalog.tables[row.table]
        var out: [UInt8] = []
        out.reserveCapacity(192)
        for piece in table.templates[row.template] {
            switch piece {
            case .text(let s): out.append(contentsOf: s.utf8)
            case .value(let i, let article):
                let start = out.count
                if i == 0, table.article { out.append(contentsOf: "the ".utf8) }
                append(row.values[i], table.columns[i], to: &out)
                if article {
                    let first = out[start] | 0x20
                    let vowel = first == 0x61 || first == 0x65 || first == 0x69 || first == 0x6F || first == 0x75
                    out.insert(contentsOf: (vowel ? "an " : "a ").utf8, at: start)
                }
            }
        }
        if let first = out.first, first >= 0x61, first <= 0x7A { out[0] = first - 0x20 }
        return String(decoding: out, as: UTF8.self)
    }

    /// A value as `text(_:_:)` writes it, appended as UTF-8.
    static func append(_ value: SQLValue, _ column: HoloColumn, to out: inout [UInt8]) {
        switch (value, column.values) {
        case (.integer(let x), .integer(_, _, _, let grouped)):
            if x < 0 { out.append(0x2D) }
            var digits: [UInt8] = []
            var m = x.magnitude
            repeat {
                digits.append(UInt8(truncatingIfNeeded: m % 10) + 0x30)
                m /= 10
            } while m > 0
            for (k, d) in digits.reversed().enumerated() {
                if grouped, k > 0, (digits.count - k) % 3 == 0 { out.append(0x2C) }
                out.append(d)
            }
        case (.text(let s), .reference(let target)):
            if HoloCatalog.articles.contains(target) { out.append(contentsOf: "the ".utf8) }
            out.append(contentsOf: s.utf8)
        case (.text(let s), _):
            out.append(contentsOf: s.utf8)
        default:
            out.append(contentsOf: text(value, column).utf8)
        }
    }
}

/// What a drawn value must satisfy.
enum HoloRule: Sendable {
    /// A numeric value among these grid indices.
    case indices(ClosedRange<Int>)
    /// A text value among these.
    case oneOf([String])
}

/// The rows of one sample's database: coined names, pools that foreign keys point at, and rows drawn under rules.
struct HoloWorld {
    var world: FictionalWorld
    /// Per table, the rows foreign keys point at (made first, in table order, so references always resolve).
    var pools: [[HoloRow]] = []
    /// Rows drawn so far per table (pools included), against each table's capacity.
    var drawn: [Int]

    init(seed: UInt64) {
        world = FictionalWorld(seed: deriveSeed(seed, "holo-names"), people: 1, cities: 1, provinces: 1, organisations: 1, inventions: 1)
        drawn = Array(repeating: 0, count: HoloCatalog.tables.count)
        var rng = SeededRandom(seed: deriveSeed(seed, "holo-pools"))
        for t in HoloCatalog.tables.indices {
            let made = (0..<HoloCatalog.tables[t].poolSize).map { _ in makeRow(t, &rng) }
            pools.append(made)
        }
    }

    /// The names of table `t`'s pool.
    func poolNames(_ t: Int) -> [String] { pools[t].map(\.name) }

    /// A new row of table `t`: each column drawn under its rule, if any; a ranked column avoids `distinct`.
    mutating func makeRow(_ t: Int, _ rng: inout SeededRandom, rules: [Int: HoloRule] = [:], distinct: (column: Int, avoid: Set<SQLValue>)? = nil) -> HoloRow {
        let table = HoloCatalog.tables[t]
        var values: [SQLValue] = []
        values.reserveCapacity(table.columns.count)
        for (i, column) in table.columns.enumerated() {
            let rule = rules[i]
            switch column.values {
            case .name(let kind):
                // An organisation's sector comes from its name: coin until the sector obeys the sector's rule.
                let sectorRule = rules.isEmpty ? nil : HoloCatalog.sectorColumn[t].flatMap { rules[$0] }
                while true {
                    let name = world.coin(kind, &rng).name
                    if case .oneOf(let allowed)? = sectorRule, !allowed.contains(HoloCatalog.sector(of: name)) { continue }
                    values.append(.text(name))
                    break
                }
            case .sector:
                guard case .text(let name) = values[0] else { preconditionFailure("the name comes first") }
                values.append(.text(HoloCatalog.sector(of: name)))
            case .category(let labels):
                if case .oneOf(let allowed)? = rule { values.append(.text(rng.pick(allowed))) } else { values.append(.text(rng.pick(labels))) }
            case .reference(let target):
                if case .oneOf(let allowed)? = rule {
                    values.append(.text(rng.pick(allowed)))
                } else {
                    values.append(.text(rng.pick(pools[HoloCatalog.table(target)]).name))
                }
            case .integer, .real:
                let grid = HoloCatalog.grids[t][i]!
                let range: ClosedRange<Int> = if case .indices(let r)? = rule { r } else { 0...(grid.count - 1) }
                var value = grid.value(rng.int(in: range))
                if let distinct, distinct.column == i {
                    var attempts = 0
                    while distinct.avoid.contains(value), attempts < 10_000 {
                        value = grid.value(rng.int(in: range))
                        attempts += 1
                    }
                }
                values.append(value)
            }
        }
        drawn[t] += 1
        return HoloRow(table: t, values: values, template: rng.below(table.templates.count))
    }
}

/// Rows of the tables a query does not read, in a fixed order, so a longer context extends a shorter one: each row
/// comes from a seeded choice among the tables that still have room, an unused pool row first, then new rows.
struct HoloFiller {
    var world: HoloWorld
    var rng: SeededRandom
    let tables: [Int]
    /// Names already placed by the sample (pool rows the block uses): never repeated. Coined rows are new by
    /// construction, and each pool row is taken once.
    let placed: Set<String>
    var nextPool: [Int: Int] = [:]
    var rows: [HoloRow] = []

    init(world: HoloWorld, seed: UInt64, tables: [Int], placed: Set<String>) {
        self.world = world
        self.rng = SeededRandom(seed: seed)
        self.tables = tables
        self.placed = placed
    }

    /// Makes rows until there are `count` (fewer when every table is full).
    mutating func extend(to count: Int) {
        var open = tables.filter { world.drawn[$0] < HoloCatalog.tables[$0].capacity }
        while rows.count < count {
            if let full = open.firstIndex(where: { world.drawn[$0] >= HoloCatalog.tables[$0].capacity }) { open.remove(at: full) }
            guard !open.isEmpty else { return }
            let t = rng.pick(open)
            var k = nextPool[t, default: 0]
            while k < world.pools[t].count, placed.contains(world.pools[t][k].name) { k += 1 }
            let made: HoloRow
            if k < world.pools[t].count {
                made = world.pools[t][k]
                k += 1
            } else {
                made = world.makeRow(t, &rng)
            }
            nextPool[t] = k
            rows.append(made)
        }
    }
}
