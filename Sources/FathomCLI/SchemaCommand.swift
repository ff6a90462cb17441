import ArgumentParser
import FathomBoard
import FathomCore
import FathomExec

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema: run (run.json), sample (a samples.jsonl line), leaderboard, or exec-plugin (the exec-plugin protocol).")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case run, sample, leaderboard, execPlugin = "exec-plugin" }

    @Argument(help: "run, sample, leaderboard or exec-plugin.") var kind: Kind

    func run() {
        switch kind {
        case .run: print(ResultsSchemas.run)
        case .sample: print(ResultsSchemas.sample)
        case .leaderboard: print(LeaderboardSchema.json)
        case .execPlugin: print(ExecSchema.json)
        }
    }
}
