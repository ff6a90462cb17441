import FathomCore

/// How an output's trace compares with the reference trace, line by line.
///
/// Partial credit is the number of lines before the first divergence over the reference's lines: 0 when line 1 is
/// wrong, 1 only for an identical trace. Lines after a complete correct trace are not rewarded: any output that is
/// not identical scores at most (n − 1)/n, so a right trace followed by junk, or one that never stops, is never a 1.
struct TraceMatch: Sendable, Hashable {
    var referenceLines: Int
    /// Output lines compared (at most one past the reference).
    var outputLines: Int
    /// Lines equal to the reference before the first divergence.
    var matchedLines: Int
    /// 0-based line of the first divergence (a missing or extra line counts), nil when identical.
    var firstDivergence: Int?

    var identical: Bool { firstDivergence == nil }

    var partial: Double {
        guard referenceLines > 0 else { return identical ? 1 : 0 }
        if identical { return 1 }
        return Double(min(matchedLines, referenceLines - 1)) / Double(referenceLines)
    }

    /// Compares `output` lines (in order, already in the compared form) with `reference` lines. Only the first
    /// `reference.count + 1` output lines are looked at.
    static func compare<S: Sequence>(output: S, reference: [[UInt8]]) -> TraceMatch where S.Element == [UInt8] {
        var iterator = output.makeIterator()
        var matched = 0
        for (i, expected) in reference.enumerated() {
            guard let line = iterator.next() else {
                return TraceMatch(referenceLines: reference.count, outputLines: i, matchedLines: matched, firstDivergence: i)
            }
            if line != expected {
                return TraceMatch(referenceLines: reference.count, outputLines: i + 1, matchedLines: matched, firstDivergence: i)
            }
            matched += 1
        }
        if iterator.next() != nil {
            return TraceMatch(
                referenceLines: reference.count, outputLines: reference.count + 1, matchedLines: matched, firstDivergence: reference.count)
        }
        return TraceMatch(referenceLines: reference.count, outputLines: reference.count, matchedLines: matched, firstDivergence: nil)
    }

    /// The non-blank lines of `text`, whitespace-squeezed, lazily.
    static func squeezedLines(_ text: Substring) -> LazyFilterSequence<LazyMapSequence<ProcText.Lines, [UInt8]>> {
        ProcText.Lines(text).lazy.map(ProcText.squeezed).filter { !$0.isEmpty }
    }

    /// The record for `Score.details`.
    var details: [String: JSONValue] {
        [
            "reference_lines": .int(referenceLines), "matched_lines": .int(matchedLines),
            "first_divergence_line": firstDivergence.map { .int($0) } ?? .null,
            "first_divergence_fraction": firstDivergence.map { .double(Double($0) / Double(max(1, referenceLines))) } ?? .null,
        ]
    }
}
