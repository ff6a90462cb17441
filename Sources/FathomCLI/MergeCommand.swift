import ArgumentParser
import FathomRun

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shards of one run, copied from different machines, into one run folder.",
        discussion: """
            Each DIR is a run folder (holding run.json and samples*.jsonl) or a folder with run folders below it (a pod's \
            whole --out tree). The inputs must be one run: a differing suite, task, length, sample count, seed, tokenizer, \
            prompt renderer, model or scoring permission is an error naming the key. A sample counts once: the same outcome \
            in two journals is one sample, an answer beats a failed request, and two different answers to one sample are \
            an error naming both journals. Missing shards and samples are reported, and the merged run is then partial \
            (merge it again with the missing shards' folders). The result is a normal run folder: fathom report, rank and \
            publish read it.
            """)

    @Argument(help: "Run folders, or folders holding run folders.") var directories: [String]
    @Option(help: "The merged run folder (new or empty).") var into: String
    @Flag(help: "Write nothing and fail unless every planned sample has a record and no shard is missing.") var requireComplete = false

    func run() throws {
        let report = try RunMerge.merge(directories, into: into, requireComplete: requireComplete)
        print(report.text)
    }
}
