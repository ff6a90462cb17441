import ArgumentParser
import FathomCore
import FathomRun
import Foundation

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

    /// One exported line.
    struct Line: Encodable {
        var id: String
        var task: String
        var length: Int
        var index: Int
        var messages: [Message]
        var answerPrefix: String
        var promptText: String
        var promptTokens: Int
        var maxTokens: Int
        var reference: Reference
        var oracleAnswer: String
        var generation: GenerationSettings
        var metadata: SampleMetadata
        enum CodingKeys: String, CodingKey {
            case id, task, length, index, messages, answerPrefix = "answer_prefix", promptText = "prompt_text"
            case promptTokens = "prompt_tokens", maxTokens = "max_tokens", reference, oracleAnswer = "oracle_answer", generation, metadata
        }
    }

    func run() throws {
        let registry = try tasksOption.loadRegistry()
        var plan = try sampling.plan(names: names, registry: registry)
        plan.prefixModeOverride = prompts.prefixModeOverride
        let tokenizer = try sampling.makeTokenizer()
        let rendering = try prompts.rendering(
            tokenizer: tokenizer, tokenizerPath: sampling.tokenizer, engineModel: nil, serverKind: nil, serverTemplate: nil)
        let factory = SampleFactory(plan: plan, tokenizer: tokenizer, rendering: rendering)
        let items = plan.items(limit: limit)
        var handle = FileHandle.standardOutput
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                throw FathomError(.io, "cannot write the export file", file: out)
            }
            handle = file
        }
        let progress = Progress(label: "export \(plan.name)", total: items.count, enabled: out != nil)
        for item in items {
            let sample = try factory.sample(item)
            let task = plan.tasks[item.taskIndex]
            let line = Line(
                id: sample.id, task: sample.task, length: sample.length, index: sample.index, messages: sample.messages,
                answerPrefix: sample.answerPrefix, promptText: sample.promptText, promptTokens: sample.metadata.promptTokens,
                maxTokens: sample.generation.maxTokens, reference: sample.reference, oracleAnswer: task.oracleAnswer(sample: sample),
                generation: sample.generation, metadata: sample.metadata)
            handle.write(Data((try jsonText(line) + "\n").utf8))
            progress.advance(failed: false)
        }
        progress.finish()
        if out != nil { try handle.close() }
    }
}
