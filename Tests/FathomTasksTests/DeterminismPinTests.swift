import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// Determinism across machines and releases: the committed table (`Tests/Fixtures/determinism/prompt_hashes.json`,
/// written by `scripts/golden/prompt_hashes.py` from `fathom export`) pins every task's sample id, prompt hash,
/// token count, budget and gold answers for two samples at 4K and 16K with the `approx` tokenizer. A change that
/// alters any sample fails here; regenerate the table only when the change is meant to.
@Suite struct DeterminismPinTests {
    struct Row: Decodable {
        var task: String
        var length: Int
        var index: Int
        var id: String
        var promptSha256: String
        var promptTokens: Int
        var maxTokens: Int
        var answersSha256: String
        enum CodingKeys: String, CodingKey {
            case task, length, index, id, promptSha256 = "prompt_sha256", promptTokens = "prompt_tokens", maxTokens = "max_tokens"
            case answersSha256 = "answers_sha256"
        }
    }

    struct Table: Decodable {
        var seed: UInt64
        var rows: [Row]
    }

    @Test func samplesMatchThePinnedHashes() throws {
        let data = try #require(FileManager.default.contents(atPath: RepoPaths.fixtures + "/determinism/prompt_hashes.json"))
        let table = try JSONDecoder().decode(Table.self, from: data)
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        for row in table.rows {
            let task = try #require(registry.tasks[row.task], "\(row.task) is pinned but not registered")
            let sample = try task.makeSample(
                task.descriptor.request(
                    length: row.length, index: row.index, suiteSeed: table.seed, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
            let label = "\(row.task) @\(row.length) #\(row.index)"
            #expect(sample.id == row.id, "\(label): id")
            #expect(SHA256.hex(sample.promptText) == row.promptSha256, "\(label): prompt")
            #expect(sample.metadata.promptTokens == row.promptTokens, "\(label): prompt tokens")
            #expect(sample.generation.maxTokens == row.maxTokens, "\(label): max_tokens")
            #expect(SHA256.hex(sample.reference.answers.joined(separator: "\u{1F}")) == row.answersSha256, "\(label): answers")
        }
    }

    /// Every registered task is pinned, so a new task gets its row when it is added.
    @Test func everyTaskIsPinned() throws {
        let data = try #require(FileManager.default.contents(atPath: RepoPaths.fixtures + "/determinism/prompt_hashes.json"))
        let pinned = Set(try JSONDecoder().decode(Table.self, from: data).rows.map(\.task))
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        #expect(Set(registry.taskNames).subtracting(pinned).isEmpty, "not pinned: \(Set(registry.taskNames).subtracting(pinned).sorted())")
    }
}
