import FathomSQL
import Testing

/// The wrapper over the system SQLite: typed values in and out, one transaction per insert, read-only mode, errors
/// that carry SQLite's message.
@Suite struct SQLiteDatabaseTests {
    func database() throws -> SQLiteDatabase {
        let db = try SQLiteDatabase()
        try db.execute("CREATE TABLE t (name TEXT PRIMARY KEY, n INTEGER NOT NULL, x REAL NOT NULL)")
        try db.insert(
            "INSERT INTO t (name, n, x) VALUES (?, ?, ?)",
            rows: [[.text("a"), .integer(3), .real(1.25)], [.text("b's"), .integer(-7), .real(2.5)], [.text("ç"), .integer(40), .real(0)]])
        return db
    }

    @Test func valuesComeBackWithTheirStorageClass() throws {
        let db = try database()
        let result = try db.query("SELECT name, n, x, NULL AS missing FROM t ORDER BY n")
        #expect(result.columns == ["name", "n", "x", "missing"])
        #expect(result.rows == [
            [.text("b's"), .integer(-7), .real(2.5), .null], [.text("a"), .integer(3), .real(1.25), .null],
            [.text("ç"), .integer(40), .real(0), .null],
        ])
        let aggregates = try db.query("SELECT COUNT(*), SUM(n), AVG(n), SUM(x) FROM t")
        #expect(aggregates.rows == [[.integer(3), .integer(36), .real(12), .real(3.75)]])
    }

    @Test func readOnlyRefusesWritesButAnswersQueries() throws {
        let db = try database()
        try db.makeReadOnly()
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO t VALUES ('z', 1, 1)") }
        #expect(try db.query("SELECT COUNT(*) FROM t").rows == [[.integer(3)]])
    }

    @Test func errorsCarrySQLitesMessageAndRollBack() throws {
        let db = try database()
        do {
            _ = try db.query("SELECT nope FROM t")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("no such column: nope"))
        }
        // A duplicate key fails the whole batch: nothing of it stays.
        #expect(throws: SQLiteError.self) {
            try db.insert("INSERT INTO t (name, n, x) VALUES (?, ?, ?)", rows: [[.text("new"), .integer(1), .real(1)], [.text("a"), .integer(1), .real(1)]])
        }
        #expect(try db.query("SELECT COUNT(*) FROM t").rows == [[.integer(3)]])
    }

    @Test func versionIsTheLinkedLibrary() {
        let parts = SQLiteDatabase.version.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil } && parts[0] == "3", "\(SQLiteDatabase.version)")
    }
}
