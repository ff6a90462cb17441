import Foundation

/// One row of a ranking. `ci95` is present only when bootstrap intervals were computed.
public struct RankedModel: Codable, Sendable, Equatable {
    public var model: String
    /// 1-based; tied scores share the smallest rank ("1224" competition ranking).
    /// With bootstrap CIs (BT/PL/Elo) this is the Chatbot Arena CI rank.
    public var rank: Int
    public var score: Double
    public var ci95: [Double]?

    public init(model: String, rank: Int, score: Double, ci95: [Double]? = nil) {
        self.model = model; self.rank = rank; self.score = score; self.ci95 = ci95
    }
}

/// A JSON value for method-specific diagnostics.
public enum DiagnosticValue: Codable, Sendable, Equatable {
    case number(Double)
    case int(Int)
    case string(String)
    case bool(Bool)
    case array([DiagnosticValue])
    case object([String: DiagnosticValue])
    case null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([DiagnosticValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: DiagnosticValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }

    /// Numeric values compare by value, so `.int(3) == .number(3)` (JSON does not keep the distinction).
    public static func == (lhs: DiagnosticValue, rhs: DiagnosticValue) -> Bool {
        switch (lhs, rhs) {
        case let (.number(a), .number(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.int(a), .number(b)), let (.number(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    static func strings(_ values: [String]) -> DiagnosticValue { .array(values.map { .string($0) }) }
    static func numbers(_ values: [Double]) -> DiagnosticValue { .array(values.map { .number($0) }) }
}

/// Output of every method: `{"method", "ranking": [{model, rank, score, ci95?}], "diagnostics"}`.
///
/// Rows are ordered by rank, then by score (descending), then by model name, so the
/// order is deterministic; `jsonData()` (sorted keys) encodes byte-identically for equal results.
public struct RankingResult: Codable, Sendable, Equatable {
    public var method: String
    public var ranking: [RankedModel]
    public var diagnostics: [String: DiagnosticValue]

    public init(method: String, ranking: [RankedModel], diagnostics: [String: DiagnosticValue] = [:]) {
        self.method = method; self.ranking = ranking; self.diagnostics = diagnostics
    }

    /// Sorted-keys JSON.
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Score of a model, if ranked.
    public func score(of model: String) -> Double? { ranking.first { $0.model == model }?.score }

    /// Models in ranking order.
    public var order: [String] { ranking.map(\.model) }
}

/// Builds rows from per-model scores (higher = better): competition ranks with
/// scores equal within a relative 1e-12 counted as tied; ties ordered by model name
/// (the table's model order is name order).
func rowsFromScores(models: [String], scores: [Double], ci: [(Double, Double)]? = nil,
                    ranks explicitRanks: [Int]? = nil) -> [RankedModel] {
    precondition(scores.allSatisfy { $0.isFinite }, "non-finite score reached ranking")
    let n = models.count
    let order = (0..<n).sorted { a, b in
        if let r = explicitRanks, r[a] != r[b] { return r[a] < r[b] }
        if scores[a] != scores[b] { return scores[a] > scores[b] }
        return models[a] < models[b]
    }
    var rows: [RankedModel] = []
    rows.reserveCapacity(n)
    var previousRank = 0
    for (position, i) in order.enumerated() {
        let rank: Int
        if let r = explicitRanks {
            rank = r[i]
        } else if position > 0, nearlyEqual(scores[order[position - 1]], scores[i]) {
            rank = previousRank
        } else {
            rank = position + 1
        }
        previousRank = rank
        rows.append(RankedModel(model: models[i], rank: rank, score: scores[i], ci95: ci.map { [$0[i].0, $0[i].1] }))
    }
    return rows
}

@inline(__always) func nearlyEqual(_ a: Double, _ b: Double) -> Bool {
    abs(a - b) <= 1e-12 * max(1, max(abs(a), abs(b)))
}
