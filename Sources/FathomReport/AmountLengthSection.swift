import FathomCore
import FathomRun
import Foundation

/// HoloBench's headline comparison: does the amount of information matter more than the length of the context?
/// For each task with an `amount` axis and at least two amounts and two lengths in the run: its scores in an
/// amount × length grid, then the slope along each side of it: the change per doubling of the amount at a fixed
/// length, beside the change per doubling of the length at a fixed amount (least-squares slopes of the score on
/// log2 of the knob, averaged over the rows or columns that have two cells or more).
public enum AmountLengthSection: ReportSection {
    public static func lines(for manifest: RunManifest) -> [String] {
        var lines: [String] = []
        for task in manifest.tasks where task.axes.contains(where: { $0.name == "amount" }) {
            var grid: [Double: [Int: Double]] = [:]  // amount → length → score
            for cell in manifest.byAxis where cell.task == task.name && cell.axis == "amount" {
                guard let length = cell.length, let score = cell.score, case .number(let amount) = cell.value, amount > 0 else { continue }
                grid[amount, default: [:]][length] = score
            }
            let amounts = grid.keys.sorted()
            let lengths = Set(grid.values.flatMap(\.keys)).sorted()
            guard amounts.count >= 2, lengths.count >= 2 else { continue }
            lines.append("amount against length: \(task.name) (scores ×100; rows: answer-bearing rows, columns: length)")
            lines.append(Format.pad("amount", 10) + lengths.map { Format.pad(ContextLength.format($0), 9, right: true) }.joined())
            for amount in amounts {
                let label = AxisValue.number(amount).description
                lines.append(Format.pad(label, 10) + lengths.map { Format.pad(grid[amount]?[$0].map(Format.score) ?? "-", 9, right: true) }.joined())
            }
            let byAmount = lengths.compactMap { length in slope(amounts.compactMap { a in grid[a]?[length].map { (a, $0) } }) }
            let byLength = amounts.compactMap { amount in slope(lengths.compactMap { l in grid[amount]?[l].map { (Double(l), $0) } }) }
            func points(_ slopes: [Double]) -> String {
                guard !slopes.isEmpty else { return "n/a" }
                let mean = slopes.reduce(0, +) / Double(slopes.count)
                return (mean >= 0 ? "+" : "") + Format.score(mean) + " points"
            }
            lines.append(
                "per doubling: of the amount at a fixed length \(points(byAmount)); of the length at a fixed amount \(points(byLength))")
        }
        return lines
    }

    /// The least-squares slope of the score on log2 of the knob, or nil below two distinct knob values.
    static func slope(_ points: [(x: Double, score: Double)]) -> Double? {
        let xs = points.map { log2($0.x) }
        guard Set(xs).count >= 2 else { return nil }
        let mx = xs.reduce(0, +) / Double(xs.count)
        let my = points.map(\.score).reduce(0, +) / Double(points.count)
        var cov = 0.0, variance = 0.0
        for (x, p) in zip(xs, points) {
            cov += (x - mx) * (p.score - my)
            variance += (x - mx) * (x - mx)
        }
        return cov / variance
    }
}
