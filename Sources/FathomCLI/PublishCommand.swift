import ArgumentParser
import FathomBoard
import FathomReport
import FathomRank
import Foundation

/// `fathom publish`: run folders → a static leaderboard (leaderboard.json, schema.json, index.html, svg/).
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish run folders as a static leaderboard (JSON + schema + HTML + SVG), byte-identical for equal inputs.")

    @Argument(help: "Run folders (OUT/<suite>/<model>/<run-id>).") var runDirectories: [String]
    @Option(help: "Output folder.") var out = "leaderboard"
    @Option(help: "Bootstrap replicates for Bradley-Terry, Plackett-Luce and Elo intervals.") var bootstrap = 100
    @Option(help: "Bootstrap seed.") var seed: UInt64 = 0
    @Option(help: "Voters: task | sample | two-level.") var level = "task"
    @Option(help: "Ties in Bradley-Terry and Elo: half | both-win | drop.") var ties = "half"
    @Option(help: "Regularisation (choix semantics); 0 = plain MLE.") var alpha = 0.0
    @Flag(name: .customLong("allow-partial"), help: "Publish runs that did not finish, marked as partial.") var allowPartial = false
    @Option(name: .customLong("probe"), help: ArgumentHelp(
        "A named capability probe NAME=EXPR (repeatable): the models ranked on the samples EXPR selects, by every method.",
        discussion: "EXPR is FIELD OP VALUE conditions joined by ' and ', as `fathom rank --where`, e.g. --probe 'joins=query_type=join and length>=2k'."))
    var probes: [String] = []

    func validate() throws {
        if runDirectories.isEmpty { throw ValidationError("give one or more run folders") }
        if bootstrap < 0 { throw ValidationError("--bootstrap must be >= 0") }
    }

    func run() throws {
        let options = PublishOptions(level: try VoterLevel(parsing: level), tiePolicy: try TiePolicy(parsing: ties), alpha: alpha,
                                     bootstrap: bootstrap, seed: seed, allowPartial: allowPartial,
                                     probes: try probes.map { try PublishOptions.probe(parsing: $0) })
        let written = try FreshRuns.publish(runFolders: runDirectories, out: out, options: options)
        print("wrote \(written.count) files to \(out): leaderboard.json, schema.json, index.html, \(written.filter { $0.hasPrefix("svg/") }.count) SVG charts")
    }
}
