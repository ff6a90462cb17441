import FathomCore
import Foundation

/// `fathom export`: the synthesized samples as JSONL, exactly what `run` would send, with the reference (structured
/// part included), the oracle answer, the generation settings and the metadata, for inspection or other harnesses.
public enum SampleExport {
    /// One exported line.
    public struct Line: Codable, Sendable {
        public var id: String
        public var task: String
        public var length: Int
        public var index: Int
        public var messages: [Message]
        public var answerPrefix: String
        public var promptText: String
        public var promptTokens: Int
        public var maxTokens: Int
        public var reference: Reference
        public var oracleAnswer: String
        public var generation: GenerationSettings
        public var metadata: SampleMetadata
        /// Later turns (several-turn samples), omitted when there are none.
        public var turns: [Turn]?
        public var turnMode: TurnMode?

        public init(sample: Sample, oracleAnswer: String) {
            id = sample.id
            task = sample.task
            length = sample.length
            index = sample.index
            messages = sample.messages
            answerPrefix = sample.answerPrefix
            promptText = sample.promptText
            promptTokens = sample.metadata.promptTokens
            maxTokens = sample.generation.maxTokens
            reference = sample.reference
            self.oracleAnswer = oracleAnswer
            generation = sample.generation
            metadata = sample.metadata
            turns = sample.turns.isEmpty ? nil : sample.turns
            turnMode = sample.turns.isEmpty ? nil : sample.turnMode
        }

        enum CodingKeys: String, CodingKey {
            case id, task, length, index, messages, answerPrefix = "answer_prefix", promptText = "prompt_text"
            case promptTokens = "prompt_tokens", maxTokens = "max_tokens", reference, oracleAnswer = "oracle_answer", generation, metadata
            case turns, turnMode = "turn_mode"
        }
    }

    /// Writes the plan's samples (at most `limit`) as JSON lines to `out` (standard output when nil), with progress
    /// on standard error when writing to a file.
    public static func write(factory: SampleFactory, limit: Int?, to out: String?) throws {
        let plan = factory.plan
        let items = plan.items(limit: limit)
        var handle = FileHandle.standardOutput
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                throw FathomError(.io, "cannot write the export file", file: out)
            }
            handle = file
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let progress = Progress(label: "export \(plan.name)", total: items.count, enabled: out != nil)
        for item in items {
            let sample = try factory.sample(item)
            let line = Line(sample: sample, oracleAnswer: plan.tasks[item.taskIndex].oracleAnswer(sample: sample))
            var data = try encoder.encode(line)
            data.append(UInt8(ascii: "\n"))
            handle.write(data)
            progress.advance(failed: false)
        }
        progress.finish()
        if out != nil { try handle.close() }
    }
}
