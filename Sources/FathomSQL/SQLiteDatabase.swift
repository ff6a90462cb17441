import CSQLite

/// A value stored in or read from SQLite, by its storage class.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let x): String(x)
        case .real(let x): String(x)
        case .text(let s): s
        }
    }
}

/// What a query returned: the result's column names and its rows, in SQLite's order.
public struct SQLResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// An SQLite error: the result code and SQLite's message (with the statement when there is one).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// One in-memory SQLite database (the system library), used from one thread at a time and closed on release.
///
/// Made for computing gold answers: create tables, insert rows with prepared statements in one transaction, switch
/// to read-only (`PRAGMA query_only`), then run queries. Every call is synchronous; callers run it on their own
/// thread (synthesis and scoring already run off the cooperative pool).
public final class SQLiteDatabase {
    private var handle: OpaquePointer?

    /// Opens a new, empty in-memory database.
    public init() throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(":memory:", &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: code, message: "cannot open an in-memory database: \(message)")
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    /// The version of the SQLite library this process links (`SELECT sqlite_version()`), e.g. `3.40.1`.
    public static let version: String = {
        guard let db = try? SQLiteDatabase(), let result = try? db.query("SELECT sqlite_version()"),
            case .text(let version)? = result.rows.first?.first
        else { return String(cString: sqlite3_libversion()) }
        return version
    }()

    private func error(_ code: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: code, message: "\(String(cString: sqlite3_errmsg(handle))) (in: \(context.prefix(300)))")
    }

    /// Runs one or more statements that return no rows (`CREATE TABLE …; PRAGMA …`).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw SQLiteError(code: code, message: "\(text) (in: \(sql.prefix(300)))")
        }
    }

    /// Inserts `rows` with one prepared statement (`INSERT INTO t (a, b) VALUES (?, ?)`), all in one transaction.
    public func insert(_ sql: String, rows: [[SQLValue]]) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        try execute("BEGIN")
        for row in rows {
            for (i, value) in row.enumerated() { try bind(statement, Int32(i + 1), value, sql) }
            let code = sqlite3_step(statement)
            guard code == SQLITE_DONE else {
                let failure = error(code, sql)
                sqlite3_reset(statement)
                try? execute("ROLLBACK")
                throw failure
            }
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try execute("COMMIT")
    }

    /// Makes the connection read-only from here on: later writes fail (`PRAGMA query_only = ON`).
    public func makeReadOnly() throws(SQLiteError) { try execute("PRAGMA query_only = ON") }

    /// Runs a query and returns its columns and rows.
    public func query(_ sql: String) throws(SQLiteError) -> SQLResult {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[SQLValue]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw error(code, sql) }
            rows.append((0..<count).map { column(statement, $0) })
        }
        return SQLResult(columns: columns, rows: rows)
    }

    private func prepare(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(code, sql)
        }
        return statement
    }

    /// SQLite copies bound text at once (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ value: SQLValue, _ sql: String) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(statement, index)
        case .integer(let x): code = sqlite3_bind_int64(statement, index, x)
        case .real(let x): code = sqlite3_bind_double(statement, index, x)
        case .text(let s): code = sqlite3_bind_text(statement, index, s, -1, Self.transient)
        }
        guard code == SQLITE_OK else { throw error(code, sql) }
    }

    private func column(_ statement: OpaquePointer, _ i: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, i))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite3_column_text(statement, i) else { return .null }
            return .text(String(cString: text))
        }
    }
}
