import ArgumentParser
import FathomBoard
import FathomCore

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of a file Fathom writes: run (run.json), sample (a samples.jsonl line) or leaderboard.")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case run, sample, leaderboard }

    @Argument(help: "run, sample or leaderboard.") var kind: Kind

    func run() {
        switch kind {
        case .run: print(ResultsSchemas.run)
        case .sample: print(ResultsSchemas.sample)
        case .leaderboard: print(LeaderboardSchema.json)
        }
    }
}
