import ArgumentParser
import FathomBoard
import FathomReport
import FathomRank
import Foundation

/// `fathom rank`: ranks models from run folders or a sample-level scores file by one aggregation method.
struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rank models from run folders or a scores file (social choice, Bradley-Terry/Plackett-Luce, Elo).",
        discussion: """
            Run folders give sample-level measurements (only `ok` samples; failures are not measured, never 0), with \
            tasks named task@length. --scores reads CSV or JSONL rows model,task,sample,score[,higher_is_better]; an \
            absent row means "not measured".
            """)

    @Argument(help: "Run folders (OUT/<suite>/<model>/<run-id>).") var runDirectories: [String] = []
    @Option(help: "A CSV or JSONL scores file instead of run folders.") var scores: String?
    @Option(help: "mean | borda | copeland | kemeny | schulze | ranked-pairs | bradley-terry | plackett-luce | elo")
    var method: String
    @Option(help: "Voters: task | sample | two-level.") var level = "task"
    @Option(help: "Ties in Bradley-Terry and Elo: half | both-win | drop.") var ties = "half"
    @Option(help: "Regularisation (choix semantics); 0 = plain MLE.") var alpha = 0.0
    @Option(help: "Bootstrap replicates for confidence intervals (Bradley-Terry, Plackett-Luce, Elo).") var bootstrap = 0
    @Option(help: "Bootstrap seed.") var seed: UInt64 = 0
    @Option(help: "Bradley-Terry/Plackett-Luce solver: mm | ilsr | newton.") var solver = "ilsr"
    @Flag(name: .customLong("per-component"), help: "When the MLE is not identifiable, rank within strongly connected components instead of failing.")
    var perComponent = false
    @Flag(name: .customLong("allow-partial"), help: "Accept runs that did not finish.") var allowPartial = false
    @Flag(help: "Print RankingResult JSON.") var json = false

    func validate() throws {
        if scores != nil && !runDirectories.isEmpty { throw ValidationError("give run folders or --scores, not both") }
        if scores == nil && runDirectories.isEmpty { throw ValidationError("give one or more run folders, or --scores FILE") }
    }

    func run() throws {
        let methodValue = try RankMethod(parsing: method)
        var options = RankOptions(voterLevel: try VoterLevel(parsing: level), tiePolicy: try TiePolicy(parsing: ties),
                                  alpha: alpha, solver: try Solver(parsing: solver), bootstrap: bootstrap, seed: seed)
        if perComponent { options.identifiability = .perComponent }
        let input: RankRunner.Input = scores.map { .scores($0) } ?? .runs(runDirectories)
        let result = try FreshRuns.rank(input, method: methodValue, options: options, allowPartial: allowPartial)
        if json {
            print(try RankRunner.json(result), terminator: "")
        } else {
            print(RankRunner.table(result))
        }
    }
}
