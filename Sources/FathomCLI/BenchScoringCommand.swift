import ArgumentParser
import FathomCore
import FathomBench
import FathomText
import Foundation

/// `fathom bench scoring`: time to score answers of a task (the oracle's, then a hostile 10 MB one), against one
/// tokenizer pass over the same answers.
struct BenchScoring: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoring", abstract: "Time to score a task's oracle answers and a 10 MB hostile answer, against one tokenizer pass over them.")

    @Option(help: "Task name.") var task = "longgen.gsm"
    @Option(help: "Length.") var length = "32k"
    @Option(help: "Samples (their oracle answers are scored).") var samples = 20
    @Option(help: "Timed passes over the answers; the best is reported.") var repeats = 5
    @Option(help: "Tokenizer for the reference pass (approx or a tokenizer file).") var tokenizer: String?
    @Flag(help: "Let the task run model-written code (in the sandbox), as fathom run --allow-exec.") var allowExec = false
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        guard let target = ContextLength.parse(length) else { throw ValidationError("--length takes a length such as 4096, 8k or 1m, not '\(length)'") }
        let figure = try ScoringBenchmark.run(
            task: try tasksOption.loadRegistry().task(named: task), length: target, samples: samples, repeats: repeats,
            tokenizer: try TokenizerChoice.make(tokenizer), context: ScoringContext(allowExec: allowExec))
        print(try jsonText(figure, pretty: false))
    }
}
