import FathomCore

/// LongProc's output levels: how many tokens the reference output has (500, 2000 or 8000 in LongProc; any level
/// from 125 to 16000 here), measured in the target tokenizer and held within ±10%. The sample's `max_tokens` follows
/// the level (`budget_percent` of it, 125% by default), so a sample at level 8000 needs a length above 10K.
///
/// A task's samples cycle through its `levels` by index. When the length cannot hold a sample's level (its
/// `max_tokens` plus the smallest prompt for that level), the sample takes the largest smaller level that fits: the
/// other standard levels, then 250 and 125. Its `level` axis records the level it has, and the knob
/// `requested_level` the one it was asked for, so a report by level never mixes levels.
enum OutputLevel {
    /// LongProc's three levels.
    static let standard = [500, 2000, 8000]
    /// Levels below 500, used only when a length is too short for 500.
    static let fallback = [250, 125]
    /// The allowed range of a manifest's levels.
    static let allowed = 125...16_000
    /// The reference output must lie within this fraction of the level.
    static let tolerance = 0.10

    /// The axis every LongProc task declares.
    static let axis = AxisSpec(
        "level", doc: "reference output tokens (LongProc's 500/2000/8000, or the largest smaller level the length holds)")

    /// `max_tokens` for a level.
    static func maxTokens(level: Int, budgetPercent: Int) -> Int { (level * budgetPercent + 99) / 100 }

    /// Whether `tokens` is within ±10% of `level`.
    static func holds(_ tokens: Int, level: Int) -> Bool {
        Double(tokens) >= Double(level) * (1 - tolerance) && Double(tokens) <= Double(level) * (1 + tolerance)
    }

    /// The levels to try for a sample asked at `requested`: itself, then every smaller standard or fallback level
    /// down to the task's `minimum` (a task whose smallest procedure is longer than 125 tokens ends at that).
    static func candidates(requested: Int, minimum: Int = 0) -> [Int] {
        var out = [requested] + (standard + fallback).filter { $0 < requested && $0 >= minimum }.sorted(by: >)
        if minimum > 0 && minimum < requested && !out.contains(minimum) { out.append(minimum) }
        return out
    }

    /// Validates a manifest's `levels`.
    static func validate(_ levels: [Int]) throws(FathomError) {
        guard !levels.isEmpty else { throw FathomError(.invalidValue, "at least one level is needed", key: "params.levels") }
        for level in levels where !allowed.contains(level) {
            throw FathomError(
                .invalidValue, "level \(level) is outside \(allowed.lowerBound)...\(allowed.upperBound) reference output tokens",
                key: "params.levels")
        }
    }
}
