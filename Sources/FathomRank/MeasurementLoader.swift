import Foundation

/// Reads measurements from CSV (header `model,task,sample,score[,higher_is_better]`,
/// any column order, RFC 4180 quoting within a line) or JSONL (one object per
/// line with the same keys). Blank lines are skipped. Errors name file, line
/// and column. Duplicates and non-finite scores are rejected here too.
public enum MeasurementLoader {
    static let required = ["model", "task", "sample", "score"]

    /// Loads a file, choosing the format from its extension (`.jsonl`/`.ndjson` = JSONL, else CSV).
    public static func load(contentsOf url: URL) throws -> [Measurement] {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw RankError.parse(file: url.path, line: 1, column: "-", message: "file is not valid UTF-8")
        }
        let ext = url.pathExtension.lowercased()
        if ext == "jsonl" || ext == "ndjson" {
            return try parseJSONL(text, file: url.path)
        }
        return try parseCSV(text, file: url.path)
    }

    /// Parses CSV text. `file` is used in error messages only.
    public static func parseCSV(_ text: String, file: String = "<csv>") throws -> [Measurement] {
        var result: [Measurement] = []
        var header: [String]? = nil
        var index: [String: Int] = [:]
        var lineNo = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = try splitCSVLine(line, file: file, line: lineNo)
            guard let cols = header else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                for (i, name) in names.enumerated() {
                    if index[name] != nil {
                        throw RankError.parse(file: file, line: lineNo, column: name, message: "header names this column twice")
                    }
                    index[name] = i
                }
                for name in required where index[name] == nil {
                    throw RankError.parse(file: file, line: lineNo, column: name, message: "header lacks required column (have: \(names.joined(separator: ",")))")
                }
                header = names
                continue
            }
            if fields.count != cols.count {
                throw RankError.parse(file: file, line: lineNo, column: cols.count > fields.count ? cols[fields.count] : "-",
                                      message: "expected \(cols.count) fields, found \(fields.count)")
            }
            func field(_ name: String) -> String { fields[index[name]!] }
            let model = field("model"), task = field("task"), sample = field("sample")
            for name in ["model", "task", "sample"] where field(name).isEmpty {
                throw RankError.parse(file: file, line: lineNo, column: name, message: "empty value")
            }
            let scoreText = field("score").trimmingCharacters(in: .whitespaces)
            guard let score = Double(scoreText) else {
                throw RankError.parse(file: file, line: lineNo, column: "score", message: "'\(scoreText)' is not a number (leave the row out for a missing value)")
            }
            guard score.isFinite else {
                throw RankError.parse(file: file, line: lineNo, column: "score", message: "non-finite score '\(scoreText)' (leave the row out for a missing value)")
            }
            var higher = true
            if index["higher_is_better"] != nil {
                let raw = field("higher_is_better").trimmingCharacters(in: .whitespaces).lowercased()
                switch raw {
                case "true", "1", "yes", "t", "y": higher = true
                case "false", "0", "no", "f", "n": higher = false
                default:
                    throw RankError.parse(file: file, line: lineNo, column: "higher_is_better", message: "'\(raw)' is not a boolean")
                }
            }
            result.append(Measurement(model: model, task: task, sample: sample, score: score, higherIsBetter: higher))
        }
        if header == nil { throw RankError.parse(file: file, line: 1, column: "-", message: "empty file: missing header") }
        try checkDuplicates(result, file: file, lineOffset: 1)
        return result
    }

    /// Parses JSONL text. `file` is used in error messages only.
    public static func parseJSONL(_ text: String, file: String = "<jsonl>") throws -> [Measurement] {
        var result: [Measurement] = []
        var lines: [Int] = []
        var lineNo = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            } catch {
                throw RankError.parse(file: file, line: lineNo, column: "-", message: "invalid JSON")
            }
            guard let dict = object as? [String: Any] else {
                throw RankError.parse(file: file, line: lineNo, column: "-", message: "expected a JSON object")
            }
            func string(_ key: String) throws -> String {
                guard let value = dict[key] else {
                    throw RankError.parse(file: file, line: lineNo, column: key, message: "missing key")
                }
                guard let s = value as? String, !s.isEmpty else {
                    throw RankError.parse(file: file, line: lineNo, column: key, message: "expected a non-empty string")
                }
                return s
            }
            let model = try string("model"), task = try string("task"), sample = try string("sample")
            guard let rawScore = dict["score"] else {
                throw RankError.parse(file: file, line: lineNo, column: "score", message: "missing key")
            }
            guard !isJSONBool(rawScore), let number = rawScore as? NSNumber else {
                throw RankError.parse(file: file, line: lineNo, column: "score", message: "expected a number (leave the row out for a missing value)")
            }
            let score = number.doubleValue
            guard score.isFinite else {
                throw RankError.parse(file: file, line: lineNo, column: "score", message: "non-finite score")
            }
            var higher = true
            if let raw = dict["higher_is_better"] {
                guard isJSONBool(raw), let b = raw as? Bool else {
                    throw RankError.parse(file: file, line: lineNo, column: "higher_is_better", message: "expected true or false")
                }
                higher = b
            }
            result.append(Measurement(model: model, task: task, sample: sample, score: score, higherIsBetter: higher))
            lines.append(lineNo)
        }
        try checkDuplicates(result, file: file, lineNumbers: lines)
        return result
    }

    static func checkDuplicates(_ rows: [Measurement], file: String, lineOffset: Int = 0, lineNumbers: [Int]? = nil) throws {
        var seen: [Key: Int] = [:]
        seen.reserveCapacity(rows.count)
        for (i, m) in rows.enumerated() {
            let key = Key(model: m.model, task: m.task, sample: m.sample)
            if let first = seen[key] {
                let firstLine = lineNumbers?[first] ?? (first + 1 + lineOffset)
                let line = lineNumbers?[i] ?? (i + 1 + lineOffset)
                throw RankError.duplicate(model: m.model, task: m.task, sample: m.sample,
                                          where: "\(file):\(line) (first at line \(firstLine))")
            }
            seen[key] = i
        }
    }

    struct Key: Hashable { let model: String, task: String, sample: String }

    /// Splits one CSV line; supports double-quoted fields with `""` escapes.
    static func splitCSVLine(_ line: Substring, file: String, line lineNo: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pendingQuote = false
        while let c = iterator.next() {
            if inQuotes {
                if pendingQuote {
                    pendingQuote = false
                    if c == "\"" { current.append("\""); continue }
                    inQuotes = false
                    // fallthrough to unquoted handling of c
                } else if c == "\"" {
                    pendingQuote = true
                    continue
                } else {
                    current.append(c)
                    continue
                }
            }
            if c == "," {
                fields.append(current); current = ""
            } else if c == "\"" && current.isEmpty {
                inQuotes = true
            } else {
                current.append(c)
            }
        }
        if inQuotes && !pendingQuote {
            throw RankError.parse(file: file, line: lineNo, column: "field \(fields.count + 1)", message: "unterminated quoted field")
        }
        fields.append(current)
        return fields
    }
}

/// True when a JSONSerialization value is a JSON boolean (not a 0/1 number).
func isJSONBool(_ value: Any) -> Bool {
    String(describing: type(of: value)) == "__NSCFBoolean" || type(of: value) == Bool.self
}
