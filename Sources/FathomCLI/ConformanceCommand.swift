import ArgumentParser
import FathomCore
import FathomTesting
import FathomText
import Foundation

/// `fathom conformance`: the conformance kit on tasks of any kind (built-in, YAML, Swift, exec).
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the conformance kit: oracle = 1.0, null <= 0.05, deterministic samples, exact lengths, hostile answers survived.",
        discussion: """
            With no names it checks the tasks of the folders added with --tasks-dir (or every task). Lengths are checked \
            with the approx tokenizer; add --tokenizer (your model's tokenizer.json, repeatable) to check them in exact \
            tokens, and --chat-template to check them under a chat template.
            """)

    @Argument(help: "Task or suite names (default: the tasks of the added folders).") var names: [String] = []
    @Option(help: "An exact tokenizer to check lengths with (tokenizer.json or .tiktoken); repeatable.") var tokenizer: [String] = []
    @Option(help: "A chat template (tokenizer_config.json, .gguf or Jinja file) to check lengths under, with the first --tokenizer.")
    var chatTemplate: String?
    @Option(help: "Lengths to check (default: 2k,8k,32k).") var lengths: String?
    @Option(help: "Samples per length and seed (default: 6).") var samples: Int?
    @OptionGroup var tasksOption: TasksOption

    func validate() throws {
        if chatTemplate != nil && tokenizer.isEmpty { throw ValidationError("--chat-template needs a --tokenizer to count with") }
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
    }

    func run() throws {
        var kit = ConformanceKit()
        if let lengths { kit.lengths = try ContextLength.parseList(lengths) }
        if let samples { kit.samplesPerCell = samples }
        kit.tokenizers = try tokenizer.map { try TokenizerLoader.load($0) }
        if let chatTemplate, let first = kit.tokenizers.first { kit.chatTemplate = try ModelChatTemplate.load(path: chatTemplate, tokenizer: first) }
        let reports = try kit.check(try tasksOption.loadRegistry(), names: names)
        for report in reports { print(report) }
        if kit.tokenizers.isEmpty { print("note: lengths were checked with the approx tokenizer only; add --tokenizer path/to/tokenizer.json to check them in your model's tokens") }
        let failed = reports.filter { !$0.passed }.count
        print(failed == 0 ? "\(reports.count) task\(reports.count == 1 ? "" : "s") conform" : "\(failed) of \(reports.count) tasks do not conform")
        if failed > 0 { throw ExitCode.failure }
    }
}
