import CSV
import Foundation

/// Reads measurements from CSV (header `model,task,sample,score[,higher_is_better]`, any column order) or JSONL (one
/// object per line with the same keys). Blank lines are skipped; a UTF-8 BOM is dropped. Errors name the file, the line
/// a row starts on, and the column. Duplicates and non-finite scores are rejected here too.
///
/// CSV is parsed by CSV.swift (yaslab), which reads RFC 4180 as Python's `csv` module and spreadsheets write it: CRLF,
/// LF or CR line ends, quoted fields with commas, doubled quotes and line breaks, on Unicode scalars (so a combining
/// mark after a comma or a quote does not merge with it, as it would in Swift `Character`s).
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

    /// A last row appended to the text: it comes back alone unless a quoted field runs to the end of the file.
    static let endSentinel = "\u{E000}fathom-end-of-input"

    /// The rows of CSV text, each with the line it starts on (1-based). Throws for an unterminated quoted field.
    static func csvRows(_ text: String, file: String) throws -> [(line: Int, fields: [String])] {
        let reader: CSVReader
        do { reader = try CSVReader(string: withoutBOM(text) + "\r\n" + endSentinel) } catch {
            throw RankError.parse(file: file, line: 1, column: "-", message: "not CSV: \(error)")
        }
        var rows: [(line: Int, fields: [String])] = []
        var line = 1
        while let fields = reader.next() {
            rows.append((line, fields))
            line += 1 + fields.reduce(0) { $0 + lineBreaks($1) }  // a row ends with one line break; quoted fields may hold more
        }
        // The last row holds the sentinel: alone when every quoted field was closed, else inside the open field.
        let last = rows.removeLast()
        guard last.fields.count == 1, last.fields[0].unicodeScalars.elementsEqual(endSentinel.unicodeScalars) else {
            throw RankError.parse(file: file, line: last.line, column: "field \(last.fields.count)",
                                  message: "unterminated quoted field (it runs to the end of the file; a quote inside a field is "
                                      + "written twice, and only a comma or the end of the line may follow a closing quote)")
        }
        return rows
    }

    /// Line breaks in a field: LF, CR LF and a lone CR each count once.
    static func lineBreaks(_ field: String) -> Int {
        var count = 0
        var previousCR = false
        for u in field.unicodeScalars {
            if u == "\n" {
                if !previousCR { count += 1 }
            } else if u == "\r" {
                count += 1
            }
            previousCR = u == "\r"
        }
        return count
    }

    static func withoutBOM(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }

    /// Parses CSV text. `file` is used in error messages only.
    public static func parseCSV(_ text: String, file: String = "<csv>") throws -> [Measurement] {
        var result: [Measurement] = []
        var lines: [Int] = []
        var header: [String]? = nil
        var index: [String: Int] = [:]
        for (lineNo, fields) in try csvRows(text, file: file) {
            if fields.count == 1, fields[0].unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
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
            let score = try parseScore(scoreText, file: file, line: lineNo)
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
            lines.append(lineNo)
        }
        if header == nil { throw RankError.parse(file: file, line: 1, column: "-", message: "empty file: missing header") }
        try checkDuplicates(result, file: file, lineNumbers: lines)
        return result
    }

    /// A decimal number (`[+-]digits[.digits][e[+-]digits]`); NaN and infinities, by name or by overflow, are rejected as
    /// non-finite, and anything else (hexadecimal floats included) as not a number.
    static func parseScore(_ text: String, file: String, line: Int) throws -> Double {
        let decimal = !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || "+-.eE".unicodeScalars.contains($0) }
        var unsigned = Substring(text.lowercased())
        if unsigned.first == "+" || unsigned.first == "-" { unsigned = unsigned.dropFirst() }
        let named = ["nan", "inf", "infinity"].contains(unsigned)
        guard decimal || named, let value = Double(text) else {
            throw RankError.parse(file: file, line: line, column: "score", message: "'\(text)' is not a number (leave the row out for a missing value)")
        }
        guard value.isFinite else {
            throw RankError.parse(file: file, line: line, column: "score", message: "non-finite score '\(text)' (leave the row out for a missing value)")
        }
        return value
    }

    /// Parses JSONL text. `file` is used in error messages only.
    public static func parseJSONL(_ text: String, file: String = "<jsonl>") throws -> [Measurement] {
        var result: [Measurement] = []
        var lines: [Int] = []
        var lineNo = 0
        // Lines split on the LF code point: Swift's `Character` would take CR LF as one, unequal to "\n".
        for rawLine in withoutBOM(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = String(rawLine).trimmingCharacters(in: .whitespacesAndNewlines)
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
}

/// True when a JSONSerialization value is a JSON boolean (not a 0/1 number).
func isJSONBool(_ value: Any) -> Bool {
    String(describing: type(of: value)) == "__NSCFBoolean" || type(of: value) == Bool.self
}
