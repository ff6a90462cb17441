/// Errors raised while reading run folders or publishing a leaderboard. Every message names the folder or file.
public enum BoardError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder has no `run.json`.
    case notARunFolder(path: String)
    /// `run.json` declares a `schema_version` this reader does not know.
    case unsupportedSchema(file: String, found: Int, supported: [Int])
    /// A file that cannot be read or decoded (`line` is 1-based, 0 for the whole file).
    case malformed(file: String, line: Int, message: String)
    /// The run did not finish (status other than `complete`) and partial runs were not allowed.
    case incompleteRun(file: String, status: String)
    /// Two runs of the same model on the same suite.
    case duplicateRun(model: String, suite: String, first: String, second: String)
    /// Nothing to publish or rank.
    case noRuns
    /// Writing the output failed.
    case io(path: String, message: String)
    /// A `--probe NAME=EXPR` that cannot be published.
    case probe(name: String, message: String)

    public var description: String {
        switch self {
        case let .notARunFolder(path):
            return "\(path): no run.json here: is this a run folder (OUT/<suite>/<model>/<run-id>)?"
        case let .unsupportedSchema(file, found, supported):
            return "\(file): unsupported schema_version \(found) (this fathom reads \(supported.map(String.init).joined(separator: ", ")))"
        case let .malformed(file, line, message):
            return line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
        case let .incompleteRun(file, status):
            return "\(file): run status is '\(status)', not 'complete'; finish or resume it, or pass --allow-partial to publish it marked as partial"
        case let .duplicateRun(model, suite, first, second):
            return "two runs of model '\(model)' on suite '\(suite)': \(first) and \(second); publish one of them"
        case .noRuns:
            return "no run folders given"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .probe(name, message):
            return "probe '\(name)': \(message)"
        }
    }
}
