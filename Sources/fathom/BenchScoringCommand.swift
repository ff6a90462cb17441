import ArgumentParser
import FathomCore
import FathomTasks
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
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        let registry = try tasksOption.loadRegistry()
        let plugin = try registry.task(named: task)
        guard let target = ContextLength.parse(length) else { throw ValidationError("bad --length") }
        let chosen = try TokenizerChoice.make(tokenizer)
        let made = try (0..<samples).map { index in
            try plugin.makeSample(plugin.descriptor.request(length: target, index: index, suiteSeed: 42, tokenizer: chosen, renderer: PlainPromptRenderer()))
        }
        let answers = made.map { plugin.oracleAnswer(sample: $0) }
        func best(_ body: () throws -> Void) rethrows -> Double {
            var fastest = Double.infinity
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                try body()
                fastest = min(fastest, BenchSynthesis.seconds(since: start))
            }
            return fastest
        }
        var total = 0.0
        let scoring = try best {
            for (sample, answer) in zip(made, answers) { total += try plugin.score(text: answer, sample: sample).value }
        }
        let floor = best { for answer in answers { _ = chosen.count(answer) } }
        let hostile = String(repeating: "Answer_9: ((((1e999 __import__('os') \u{FFFD} ", count: 250_000)
        let hostileSeconds = try best { _ = try plugin.score(text: hostile, sample: made[0]) }
        let hostileFloor = best { _ = chosen.count(hostile) }
        let bytes = answers.map { $0.utf8.count }.reduce(0, +) / max(1, answers.count)
        func ms(_ s: Double, per n: Int = 1) -> Double { (s / Double(n) * 1e5).rounded() / 100 }
        print(
            #"{"task":"\#(task)","length":"\#(length)","samples":\#(samples),"tokenizer":"\#(chosen.name)","answer_bytes":\#(bytes),"mean_oracle_score":\#(total / Double(samples * repeats)),"#
                + #""ms_per_answer":\#(ms(scoring, per: samples)),"tokenizer_pass_ms_per_answer":\#(ms(floor, per: samples)),"ratio_to_floor":\#((scoring / max(floor, 1e-9) * 100).rounded() / 100),"#
                + #""hostile_bytes":\#(hostile.utf8.count),"hostile_ms":\#(ms(hostileSeconds)),"hostile_tokenizer_pass_ms":\#(ms(hostileFloor))}"#)
    }
}
