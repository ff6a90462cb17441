/// "Did you mean …?": the known names nearest to a misspelt one, by edit distance (optimal string alignment, so a
/// swapped pair of letters costs 1), plus names that contain it or end with it (`niah_single_1` finds
/// `ruler.niah_single_1`).
public enum Suggestions {
    /// Up to `limit` names from `candidates` nearest to `name` (all at the smallest distance found), sorted.
    public static func nearest(to name: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let target = Array(name.lowercased().unicodeScalars)
        guard !target.isEmpty else { return [] }
        let threshold = max(1, min(3, target.count / 3))
        var scored: [(distance: Int, name: String)] = []
        for candidate in Set(candidates) where candidate != name {
            let lowered = candidate.lowercased()
            let distance = editDistance(target, Array(lowered.unicodeScalars), limit: threshold)
            if distance <= threshold {
                scored.append((distance, candidate))
            } else if target.count >= 3, lowered.hasSuffix("." + name.lowercased()) || lowered.hasPrefix(name.lowercased()) {
                scored.append((threshold + 1, candidate))
            }
        }
        // Only the nearest: names one edit away hide those two away.
        guard let best = scored.map(\.distance).min() else { return [] }
        return scored.filter { $0.distance == best }.sorted { $0.name < $1.name }.prefix(limit).map(\.name)
    }

    /// ` (did you mean 'a' or 'b'?)`, or an empty string when nothing is close.
    public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        let found = nearest(to: name, among: candidates)
        guard !found.isEmpty else { return "" }
        let quoted = found.map { "'\($0)'" }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return " (did you mean \(list)?)"
    }

    /// Optimal-string-alignment distance, giving up (returning `limit + 1`) once every cell of a row exceeds `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, before[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
