import ArgumentParser
import FathomRun

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the synthesized samples as JSONL (the same samples `run` would send).")

    @Argument(help: "Suite or task names.") var names: [String]
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var prompts: PromptOptions
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Export at most N samples.") var limit: Int?
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        try SampleExport.write(
            factory: try SampleFactory.make(
                names: names, registry: try tasksOption.loadRegistry(), sampling: try sampling.configuration, prompts: prompts.configuration),
            limit: limit, to: out)
    }
}
