import ArgumentParser

/// The `fathom` command: long-context evaluation suites, run against reference systems or OpenAI-compatible
/// endpoints. `FathomCLI.main` runs it.
struct Fathom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fathom",
        abstract: "Long-context evaluation: synthesize exact-length tasks, run them against a model, score them by rule.",
        discussion: """
            Start with `fathom run quick --model oracle` (no model, no network). Use `--model NAME --endpoint URL` for an \
            OpenAI-compatible server (vLLM, llama.cpp, SGLang, OpenAI).
            """,
        version: FathomVersion.version,
        subcommands: [
            ListCommand.self, ValidateCommand.self, RunCommand.self, ExportCommand.self, ReportCommand.self,
            TokenizeCommand.self, ProbeCommand.self, CacheCommand.self, BenchCommand.self, RankCommand.self, PublishCommand.self,
            SchemaCommand.self, ConformanceCommand.self, NewTaskCommand.self, EmbedTasksCommand.self, MergeCommand.self,
        ])
}
