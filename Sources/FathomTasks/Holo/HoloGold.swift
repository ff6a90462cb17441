import FathomCore
import FathomMetrics
import FathomSQL

/// Gold answers from SQLite: the schema's tables in an in-memory database, filled with exactly the given rows,
/// switched to read-only, then queried.
enum HoloGold {
    /// The query's result over `rows` as a typed table, after checking with SQLite that the rows passing the
    /// query's filter are exactly `relevant` (so near misses and rows of other tables cannot change the answer).
    static func compute(plan: HoloPlan, schema: [Int], rows: [HoloRow], relevant: Set<String>) throws(FathomError) -> ExpectedTable {
        do {
            let db = try SQLiteDatabase()
            let names = Set(schema.map { HoloCatalog.tables[$0].name })
            for t in schema { try db.execute(HoloCatalog.tables[t].createStatement(schema: names)) }
            for t in schema {
                let table = HoloCatalog.tables[t]
                let placeholders = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                let mine = rows.filter { $0.table == t }
                try db.insert(
                    "INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES (\(placeholders))",
                    rows: mine.map(\.values))
            }
            precondition(rows.allSatisfy { schema.contains($0.table) }, "a placed row belongs to a table outside the schema")
            try db.makeReadOnly()
            let table = plan.table
            let passing = try db.query("SELECT name FROM \(table.name) WHERE \(plan.filter.sql(table))").rows.map { $0[0].description }
            guard Set(passing) == relevant, passing.count == relevant.count else {
                throw FathomError(
                    .invalidValue,
                    "holo: SQLite finds \(passing.count) rows passing '\(plan.filter.sql(table))', the sample placed \(relevant.count) answer-bearing rows")
            }
            let result = try db.query(plan.sql)
            guard result.columns == plan.header else {
                throw FathomError(.invalidValue, "holo: the query returns columns \(result.columns), the prompt asks for \(plan.header)")
            }
            return ExpectedTable(header: plan.header, kinds: plan.kinds, rows: result.rows.map { $0.map(canonical) }, ordered: plan.ordered)
        } catch let error as SQLiteError {
            throw FathomError(.invalidValue, "holo: \(error.description)")
        } catch let error as FathomError {
            throw error
        } catch {
            throw FathomError(.invalidValue, "holo: \(error)")
        }
    }

    /// A result cell as the gold table records it: integers in decimal, reals in their shortest round-trip form.
    static func canonical(_ value: SQLValue) -> String {
        switch value {
        case .null: ""
        case .integer(let x): String(x)
        case .real(let x): "\(x)"
        case .text(let s): s
        }
    }
}
