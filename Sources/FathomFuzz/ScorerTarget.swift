import FathomCore
import FathomTasks
import FathomText
import Foundation

/// Every registered task's scorer on arbitrary model output. One sample per task is made at start-up (the smallest
/// length the task supports, `approx` tokens, plain prompts). An input's first byte picks the task, its second the
/// shape of the response (bit 0: cut off at max_tokens; bit 1: the oracle answer first; bit 2: the text also as
/// reasoning); the rest, decoded as UTF-8 with invalid bytes replaced as Fathom's HTTP client decodes them, is the
/// answer. Code execution is not allowed, so no scorer starts a process.
public enum ScorerFuzzing {
    /// A task with its sample and oracle answer.
    public struct Case: Sendable {
        public var task: any TaskPlugin
        public var sample: Sample
        public var oracle: String
    }

    /// One sample of every built-in task, made once.
    public static let cases: [Case] = {
        let registry = try! BuiltinTasks.registry()
        var out: [Case] = []
        for name in registry.taskNames {
            let task = registry.tasks[name]!
            for length in [1024, 2048, 4096, 8192, 16384, 32768] {
                let request = task.descriptor.request(
                    length: length, index: 0, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer())
                if let sample = try? task.makeSample(request) {
                    out.append(Case(task: task, sample: sample, oracle: task.oracleAnswer(sample: sample)))
                    break
                }
            }
        }
        return out
    }()

    /// Scores `text` as task `index`'s answer; a thrown error (ScoringFailure, ScoringSkipped) is a fine outcome.
    public static func score(caseIndex index: Int, text: String, truncated: Bool = false, reasoning: String? = nil) {
        let entry = cases[index % cases.count]
        let response = ModelResponse(text: text, reasoning: reasoning, finishReason: truncated ? "length" : "stop")
        _ = try? entry.task.score(response, sample: entry.sample, context: ScoringContext(allowExec: false))
    }

    /// Runs one fuzz input (see the type's comment).
    public static func run(_ data: Data) {
        guard data.count >= 2 else { return }
        let index = Int(data[data.startIndex]) % cases.count
        let flags = data[data.startIndex + 1]
        var text = String(decoding: data.dropFirst(2), as: UTF8.self)
        if flags & 2 != 0 { text = cases[index].oracle + text }
        score(caseIndex: index, text: text, truncated: flags & 1 != 0, reasoning: flags & 4 != 0 ? text : nil)
    }
}

extension FuzzTargets {
    static let scorers = FuzzTarget(
        name: "scorers", summary: "every registered task's scorer on arbitrary model output",
        seedFolders: ["Tests/Fixtures/fuzz/scorers"], extensions: [".bin"],
        dictionary: [
            "<think>", "</think>", "<answer>", "</answer>", "Answer_1:", "The answer is ", "```", "```python\n", "|", "\t", "\n",
            "[1]", "(A)", "1e999", "-1e999", "NaN", "9999999999999999999999", "__import__('os')", "\u{FFFD}", "\u{301}", "\u{202E}",
            "\0", "{", "}", "[", "]", "\"", "no rows", ",", "  ",
        ],
        maxLength: 65536,
        run: { ScorerFuzzing.run($0) },
        extraSeeds: {
            ScorerFuzzing.cases.indices.flatMap { i in
                [Data([UInt8(i % 256), 0]) + Data(ScorerFuzzing.cases[i].oracle.utf8), Data([UInt8(i % 256), 1]) + Data(ScorerFuzzing.cases[i].oracle.utf8)]
            }
        })
}
