/// Per-item outcomes of a sample that asks several questions, each with an id, in one prompt (LongGenBench-style
/// packed questions), and optionally of the same items asked one by one (the single-item baseline). A scorer
/// writes it into `Score.details`; `fathom report` reads it back from samples.jsonl (accuracy by position decile,
/// packed against single-item accuracy on the same items). The file format is this type's JSON.
public struct ItemScores: Codable, Sendable, Hashable {
    /// What became of one asked item.
    public enum Outcome: Character, Sendable, CaseIterable {
        /// Answered once, and right.
        case correct = "c"
        /// Answered once, and wrong.
        case wrong = "w"
        /// No answer carries the item's id (never answered, or cut off by max_tokens).
        case missing = "m"
        /// Two or more answers carry the item's id.
        case duplicated = "d"
        /// An answer carries the id, but no answer could be read from it.
        case unparseable = "u"
    }

    /// One outcome letter per item, in the order the items were asked (position `first`, `first + 1`, …).
    public var outcomes: String
    /// Position of the first item of `outcomes` among the sample's `positions` items (0 for a whole prompt; a
    /// single-item turn gives its own position).
    public var first: Int
    /// Items the sample asks in all (its K); positions and deciles are relative to it.
    public var positions: Int
    /// Items answered right.
    public var correct: Int
    /// Id of the last answer in the output, in output order (nil when the output carries no answer to an asked id).
    public var lastID: Int?
    /// The output stopped at max_tokens: items after the cut count as missing.
    public var truncated: Bool
    /// Per position decile (positions `d·K/10 ..< (d+1)·K/10`): items asked and items right.
    public var decileItems: [Int]
    public var decileCorrect: [Int]
    /// The outcomes of the same items asked one at a time (same positions as `outcomes`), when the sample asked them.
    public var baseline: String?

    public init(
        outcomes: [Outcome], first: Int = 0, positions: Int? = nil, lastID: Int? = nil, truncated: Bool = false, baseline: [Outcome]? = nil
    ) {
        let total = positions ?? outcomes.count
        self.outcomes = String(outcomes.map(\.rawValue))
        self.first = first
        self.positions = total
        correct = outcomes.filter { $0 == .correct }.count
        self.lastID = lastID
        self.truncated = truncated
        var items = [Int](repeating: 0, count: 10)
        var right = [Int](repeating: 0, count: 10)
        for (offset, outcome) in outcomes.enumerated() {
            let decile = Self.decile(position: first + offset, of: total)
            items[decile] += 1
            if outcome == .correct { right[decile] += 1 }
        }
        decileItems = items
        decileCorrect = right
        self.baseline = baseline.map { String($0.map(\.rawValue)) }
    }

    /// The decile (0…9) of position `p` (0-based) among `k` items.
    public static func decile(position p: Int, of k: Int) -> Int { k <= 0 ? 0 : min(9, max(0, p * 10 / k)) }

    /// The outcomes as values (unknown letters read as `unparseable`).
    public var outcomeList: [Outcome] { outcomes.map { Outcome(rawValue: $0) ?? .unparseable } }

    /// Accuracy per decile; nil for a decile that holds no item.
    public var decileAccuracy: [Double?] {
        zip(decileItems, decileCorrect).map { $0.0 == 0 ? nil : Double($0.1) / Double($0.0) }
    }

    /// The baseline outcomes as values.
    public var baselineList: [Outcome]? { baseline.map { $0.map { Outcome(rawValue: $0) ?? .unparseable } } }

    /// Items the baseline answered right.
    public var baselineCorrect: Int? { baselineList.map { $0.filter { $0 == .correct }.count } }

    /// Joins the scores of single-item turns (or any pieces) of one sample into the sample's scores, in position
    /// order; the pieces must not overlap. `lastID` is the id answered last in the sample's own order.
    public static func joined(_ parts: [ItemScores]) -> ItemScores {
        let ordered = parts.sorted { $0.first < $1.first }
        let positions = ordered.map(\.positions).max() ?? 0
        let first = ordered.first?.first ?? 0
        let outcomes = ordered.flatMap(\.outcomeList)
        return ItemScores(
            outcomes: outcomes, first: first, positions: max(positions, first + outcomes.count),
            lastID: ordered.last(where: { $0.lastID != nil })?.lastID, truncated: ordered.contains { $0.truncated })
    }

    /// The same JSON as the `Codable` form, built directly (scorers make one per sample; the coders are slow).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "outcomes": .string(outcomes), "first": .int(first), "positions": .int(positions), "correct": .int(correct),
            "truncated": .bool(truncated), "decile_items": .array(decileItems.map { .int($0) }),
            "decile_correct": .array(decileCorrect.map { .int($0) }),
            "decile_accuracy": .array(decileAccuracy.map { $0.map { .double(($0 * 10000).rounded() / 10000) } ?? .null }),
        ]
        if let lastID { o["last_id"] = .int(lastID) }
        if let baseline { o["baseline"] = .string(baseline) }
        return .object(o)
    }

    /// Reads `json`'s form back (nil when `value` is not item scores).
    public init?(json value: JSONValue?) {
        guard let o = value?.objectValue, let outcomes = o["outcomes"]?.stringValue, let first = o["first"]?.intValue,
            let positions = o["positions"]?.intValue, let correct = o["correct"]?.intValue, case .bool(let truncated)? = o["truncated"],
            let items = o["decile_items"]?.arrayValue?.compactMap(\.intValue), let right = o["decile_correct"]?.arrayValue?.compactMap(\.intValue),
            items.count == 10, right.count == 10
        else { return nil }
        self.outcomes = outcomes
        self.first = first
        self.positions = positions
        self.correct = correct
        self.truncated = truncated
        decileItems = items
        decileCorrect = right
        lastID = o["last_id"]?.intValue
        baseline = o["baseline"]?.stringValue
    }

    enum CodingKeys: String, CodingKey {
        case outcomes, first, positions, correct, lastID = "last_id", truncated, decileItems = "decile_items"
        case decileCorrect = "decile_correct", baseline
    }

    private enum ReadableKeys: String, CodingKey { case decileAccuracy = "decile_accuracy" }

    /// Writes the fields, plus `decile_accuracy` (derived, for readers of samples.jsonl; ignored when read back).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outcomes, forKey: .outcomes)
        try c.encode(first, forKey: .first)
        try c.encode(positions, forKey: .positions)
        try c.encode(correct, forKey: .correct)
        try c.encodeIfPresent(lastID, forKey: .lastID)
        try c.encode(truncated, forKey: .truncated)
        try c.encode(decileItems, forKey: .decileItems)
        try c.encode(decileCorrect, forKey: .decileCorrect)
        try c.encodeIfPresent(baseline, forKey: .baseline)
        var readable = encoder.container(keyedBy: ReadableKeys.self)
        try readable.encode(decileAccuracy.map { $0.map { ($0 * 10000).rounded() / 10000 } }, forKey: .decileAccuracy)
    }
}
