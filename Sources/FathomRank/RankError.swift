/// Errors raised by FathomRank. Every message names what went wrong and where.
public enum RankError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A malformed input row (`line` is 1-based; `column` names the field).
    case parse(file: String, line: Int, column: String, message: String)
    /// The same (model, task, sample) appears twice.
    case duplicate(model: String, task: String, sample: String, where: String)
    /// A NaN or infinite score.
    case nonFiniteScore(model: String, task: String, sample: String, where: String)
    /// A task whose rows disagree on `higherIsBetter`.
    case inconsistentDirection(task: String)
    /// A method, solver, voter level or tie policy name that is not known.
    case unknownName(kind: String, value: String, allowed: [String])
    /// Input carries no usable comparison for this method.
    case noData(String)
    /// The MLE does not exist (beats graph not strongly connected, alpha = 0).
    case notIdentifiable(components: [[String]], undefeated: [String], winless: [String])
    /// An iterative solver hit its iteration limit.
    case notConverged(solver: String, iterations: Int, lastChange: Double)
    /// A linear system was singular (e.g. a Markov chain with several absorbing classes).
    case singular(String)
    /// An option value outside its domain.
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .parse(file, line, column, message):
            return "\(file):\(line): column '\(column)': \(message)"
        case let .duplicate(model, task, sample, place):
            return "\(place): duplicate measurement for model '\(model)', task '\(task)', sample '\(sample)'"
        case let .nonFiniteScore(model, task, sample, place):
            return "\(place): non-finite score for model '\(model)', task '\(task)', sample '\(sample)'"
        case let .inconsistentDirection(task):
            return "task '\(task)' mixes higher_is_better = true and false"
        case let .unknownName(kind, value, allowed):
            return "unknown \(kind) '\(value)' (expected one of: \(allowed.joined(separator: ", ")))"
        case let .noData(message):
            return "no usable data: \(message)"
        case let .notIdentifiable(components, undefeated, winless):
            return "Bradley-Terry/Plackett-Luce MLE does not exist with alpha = 0: the beats graph has \(components.count) strongly connected components \(components); undefeated: \(undefeated); winless: \(winless). Use alpha > 0 or per-component results."
        case let .notConverged(solver, iterations, lastChange):
            return "\(solver) did not converge after \(iterations) iterations (last L1 change \(lastChange))"
        case let .singular(message):
            return "singular system: \(message)"
        case let .invalidOption(message):
            return "invalid option: \(message)"
        }
    }
}
