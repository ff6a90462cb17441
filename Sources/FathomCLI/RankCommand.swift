import ArgumentParser
import FathomBoard
import FathomModels
import FathomReport
import FathomRank
import Foundation

/// `fathom rank`: ranks models from run folders or a sample-level scores file by one aggregation method.
struct RankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rank models from run folders or a scores file (social choice, Bradley-Terry/Plackett-Luce, Elo).",
        discussion: """
            Run folders give sample-level measurements (only `ok` samples; failures are not measured, never 0), with \
            tasks named task@length. --scores reads CSV or JSONL rows model,task,sample,score[,higher_is_better]; an \
            absent row means "not measured".

            Capability probes rank the models on a slice of the samples and compare that ranking with the global one \
            (Kendall tau-b), with each model's selected samples and comparisons and whether the slice identifies a \
            ranking. --where FIELD OP VALUE (repeatable, AND-ed; OP one of =, !=, <, <=, >, >=, in, contains) selects on task, \
            family, diffusion, scope, length (4k reads as 4096) and every axis the tasks declare, e.g. \
            --where 'length>=4k' --where 'query_type in join,group_by'. --query TEXT selects the samples whose \
            question (the prompt without its context) is nearest to TEXT, embedded by --embeddings URL (any \
            OpenAI-compatible /v1/embeddings: llama-server --embeddings --pooling mean, vLLM).
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
    @Option(name: .customLong("where"), help: "A structured probe condition FIELD OP VALUE; repeatable, AND-ed.") var conditions: [String] = []
    @Option(help: "A text probe: rank on the samples whose question is nearest to this text (needs --embeddings).") var query: String?
    @Option(help: "Base URL of an OpenAI-compatible embeddings endpoint for --query.") var embeddings: String?
    @Option(help: "Embeddings model name (default: the first model the endpoint lists).") var embeddingsModel: String?
    @Option(help: "Name of the environment variable holding the embeddings endpoint's API key.") var embeddingsApiKeyEnv: String?
    @Option(help: "Text probe: keep the K most similar samples (0 = no limit; ONEBench's default is 10).") var topK = 10
    @Option(help: "Text probe: keep samples with cosine similarity above this (after --top-k; ONEBench uses 0.7 with MiniLM).") var threshold: Double?
    @Option(help: "Embeddings cache folder (default: $FATHOM_CACHE/embeddings or ~/.cache/fathom/embeddings).") var embeddingsCache: String?
    @Flag(help: "Do not cache embeddings.") var noEmbeddingsCache = false
    @Flag(help: "Print RankingResult JSON (with a probe: {filter, text, global, probe}).") var json = false

    func validate() throws {
        if scores != nil && !runDirectories.isEmpty { throw ValidationError("give run folders or --scores, not both") }
        if scores == nil && runDirectories.isEmpty { throw ValidationError("give one or more run folders, or --scores FILE") }
        if query != nil && embeddings == nil { throw ValidationError("--query needs --embeddings URL (an OpenAI-compatible /v1/embeddings endpoint)") }
        if query == nil && (embeddings != nil || threshold != nil) { throw ValidationError("--embeddings and --threshold go with --query") }
        if topK < 0 { throw ValidationError("--top-k must be >= 0") }
    }

    func run() async throws {
        let methodValue = try RankMethod(parsing: method)
        var options = RankOptions(voterLevel: try VoterLevel(parsing: level), tiePolicy: try TiePolicy(parsing: ties),
                                  alpha: alpha, solver: try Solver(parsing: solver), bootstrap: bootstrap, seed: seed)
        if perComponent { options.identifiability = .perComponent }
        let input: RankRunner.Input = scores.map { .scores($0) } ?? .runs(runDirectories)
        if !conditions.isEmpty || query != nil {
            var text: CapabilityProbes.TextRequest? = nil
            if let query, let embeddings {
                var request = CapabilityProbes.TextRequest(query: query, endpoint: embeddings, model: embeddingsModel,
                                                           apiKey: try embeddingsApiKeyEnv.map(Self.key), topK: topK == 0 ? nil : topK, threshold: threshold)
                request.client.cacheDirectory = noEmbeddingsCache ? nil : (embeddingsCache ?? EmbeddingsClient.defaultCacheDirectory)
                text = request
            }
            let report = try await CapabilityProbes.run(input, method: methodValue, options: options, allowPartial: allowPartial,
                                                        where: conditions, text: text)
            print(json ? try report.jsonText() : RankRunner.table(report), terminator: json ? "" : "\n")
            return
        }
        let result = try FreshRuns.rank(input, method: methodValue, options: options, allowPartial: allowPartial)
        if json {
            print(try RankRunner.json(result), terminator: "")
        } else {
            print(RankRunner.table(result))
        }
    }

    static func key(_ variable: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw ValidationError("the environment variable \(variable) (--embeddings-api-key-env) is not set")
        }
        return value
    }
}
