import FathomCore
import FathomSandbox
import FathomText
import Foundation

/// The conformance kit: what every task must satisfy, as a library, so the repository's tests, an outside plugin
/// package's tests and `fathom conformance` (for YAML and exec tasks) run the same checks.
///
/// For a task, at several lengths and seeds: the oracle scores exactly 1.0 and the null answer at most 0.05; the same
/// request gives a byte-identical sample, in any order; every prompt obeys the length rule, and its recorded token
/// count is the tokenizer's count of its text; the sample is the one asked for, with a value on exactly the declared
/// axes; ids are unique. With exact tokenizers (which are not additive across pieces of text) and under a chat
/// template, the lengths stay exact. Hostile answers (huge, code, unbalanced, odd Unicode) get a score in 0...1 or
/// a scoring failure, never a crash.
///
/// ```swift
/// let registry = try Registry.load(directory: PackagePaths.root() + "/Tasks", kinds: [MyKind.self])
/// let report = ConformanceKit().check(try registry.task(named: "my.task"))
/// #expect(report.passed, "\(report)")
/// ```
public struct ConformanceKit: Sendable {
    public var lengths = [2048, 8192, 32_768]
    public var seeds: [UInt64] = [42, 7]
    public var samplesPerCell = 6
    /// Exact tokenizers to check lengths with (e.g. your model's tokenizer.json), at `exactLengths`.
    public var tokenizers: [any Tokenizer] = []
    public var exactLengths = [2048, 8192]
    public var exactSamples = 3
    /// A chat template to check lengths under, with the first of `tokenizers`, for each mode in `chatModes`.
    public var chatTemplate: ModelChatTemplate?
    public var chatModes: [AnswerPrefixMode] = [.chatUser, .completion]
    /// Score hostile answers on one sample.
    public var hostileAnswers = true
    /// Stop collecting failures of one task after this many.
    public var maxFailures = 20

    public init() {}

    /// Every check for `task`.
    public func check(_ task: any TaskPlugin) -> ConformanceReport {
        var report = checkSamples(task)
        for tokenizer in tokenizers { report.merge(checkExactLengths(task, tokenizer: tokenizer)) }
        if let chatTemplate, let tokenizer = tokenizers.first {
            for mode in chatModes { report.merge(checkChatTemplate(task, chat: chatTemplate, tokenizer: tokenizer, mode: mode)) }
        }
        if hostileAnswers { report.merge(checkHostileAnswers(task)) }
        return report
    }

    /// Oracle, null, determinism, order, the length rule with the approx tokenizer and plain rendering, the sample
    /// checks Fathom runs on every sample, and unique ids.
    public func checkSamples(_ task: any TaskPlugin) -> ConformanceReport {
        var report = ConformanceReport(task: task.descriptor.name, maxFailures: maxFailures)
        let tokenizer = ApproxTokenizer()
        var ids: Set<String> = []
        for length in lengths {
            for seed in seeds {
                guard let made = report.attempt("@\(ContextLength.format(length)) seed \(seed)", { try samples(task, length: length, seed: seed, tokenizer: tokenizer) }),
                    let again = report.attempt("@\(ContextLength.format(length)) seed \(seed), made again", { try samples(task, length: length, seed: seed, tokenizer: tokenizer) })
                else { continue }
                report.expect(made == again, "@\(ContextLength.format(length)) seed \(seed): samples differ when made again (not deterministic)")
                for sample in made {
                    verifySample(task, sample, length: length, seed: seed, tokenizer: tokenizer, renderer: PlainPromptRenderer(), into: &report)
                    report.expect(!sample.reference.answers.isEmpty, "\(sample.id): the reference has no answers")
                    if let score = report.attempt("\(sample.id): scoring the null answer", { try task.score(text: "", sample: sample, context: Self.allowed).value }) {
                        report.expect(score <= 0.05, "\(sample.id): the null answer scores \(score), above 0.05")
                    }
                    ids.insert(sample.id)
                }
                if length == lengths.first, seed == seeds.first, made.count > 1 {
                    let backward = report.attempt("made in reverse order") {
                        try (0..<samplesPerCell).reversed().map { try makeSample(task, length: length, index: $0, seed: seed, tokenizer: tokenizer) }
                    }
                    if let backward { report.expect(backward.reversed() == made, "samples depend on the order they are made in") }
                }
            }
        }
        let checked = report.samplesChecked
        report.expect(checked == 0 || ids.count == checked, "sample ids are not unique (\(ids.count) ids for \(checked) samples)")
        return report
    }

    /// Exact lengths and the oracle with an exact tokenizer.
    public func checkExactLengths(_ task: any TaskPlugin, tokenizer: any Tokenizer) -> ConformanceReport {
        var report = ConformanceReport(task: task.descriptor.name, maxFailures: maxFailures)
        for length in exactLengths {
            for index in 0..<exactSamples {
                guard let sample = report.attempt("@\(ContextLength.format(length)) #\(index) with \(tokenizer.name)", {
                    try makeSample(task, length: length, index: index, seed: 42, tokenizer: tokenizer)
                }) else { continue }
                verifySample(task, sample, length: length, seed: 42, tokenizer: tokenizer, renderer: PlainPromptRenderer(), alsoWithout: false, into: &report)
            }
        }
        return report
    }

    /// Exact lengths under a chat template: the rendered prompt, template tokens and exactly one BOS counted, on the
    /// chat route (BOS in the text) or the completions route (BOS added by the server).
    public func checkChatTemplate(_ task: any TaskPlugin, chat: ModelChatTemplate, tokenizer: any Tokenizer, mode: AnswerPrefixMode) -> ConformanceReport {
        var report = ConformanceReport(task: task.descriptor.name, maxFailures: maxFailures)
        let renderer = PromptRendering(chat: chat, templateCompletions: true).renderer(for: mode, tokenizer: tokenizer)
        for length in exactLengths {
            for index in 0..<min(2, exactSamples) {
                let where_ = "@\(ContextLength.format(length)) #\(index) \(mode.rawValue) with \(tokenizer.name)"
                guard let sample = report.attempt(where_, {
                    var request = task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: tokenizer, renderer: renderer)
                    request.generation.prefixMode = mode
                    return try task.makeSample(request)
                }) else { continue }
                report.samplesChecked += 1
                let ids = tokenizer.encode(sample.promptText)
                let seen = (renderer.bos == .inText || tokenizer.bosTokenID == nil) ? ids : (tokenizer.addsBOS(to: sample.promptText, renderer.bos) ? [tokenizer.bosTokenID!] + ids : ids)
                report.expect(sample.metadata.promptTokens == seen.count, "\(where_): \(sample.metadata.promptTokens) tokens recorded, \(seen.count) rendered")
                if let bos = tokenizer.bosTokenID {
                    report.expect(seen.filter { $0 == bos }.count == 1, "\(where_): not exactly one BOS")
                }
                report.expect(
                    LengthRule.holds(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: length),
                    "\(where_): \(sample.metadata.promptTokens) + \(sample.generation.maxTokens) breaks the length rule")
                if let score = oracleScore(task, sample, where_, alsoWithout: false, into: &report) {
                    report.expect(score == 1.0, "\(where_): the oracle scores \(score)")
                }
            }
        }
        return report
    }

    /// Answers a model may give that a scorer must survive: each gets a score in 0...1 or a scoring failure.
    public static let hostile: [String] = [
        String(repeating: "lorem ipsum 12345 ", count: 15_000),  // 270 KB: a quadratic scorer still never ends
        "__import__('os').system('echo pwned')", "1e999", "-1e999", "NaN",
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 9_999),
        "<answer><answer></answer", "\u{FFFD}\u{FFFD} caf\u{65}\u{301} \u{202E}txet desrever\u{202C} \u{1F600}\u{0}",
        String(repeating: "a1 b2 c3 ", count: 1_000) + "\n\n\n" + String(repeating: "\t", count: 1_000),
    ]

    public func checkHostileAnswers(_ task: any TaskPlugin) -> ConformanceReport {
        var report = ConformanceReport(task: task.descriptor.name, maxFailures: maxFailures)
        guard let sample = report.attempt("a sample for hostile answers", {
            try makeSample(task, length: lengths.first ?? 2048, index: 0, seed: 42, tokenizer: ApproxTokenizer())
        }) else { return report }
        for (n, answer) in Self.hostile.enumerated() {
            do {
                let score = try task.score(text: answer, sample: sample)
                report.expect(score.value.isFinite && (0...1).contains(score.value), "hostile answer #\(n): score \(score.value) outside 0...1")
                for (name, value) in score.metrics {
                    report.expect(value.isFinite && (0...1).contains(value), "hostile answer #\(n): metric \(name) = \(value) outside 0...1")
                }
            } catch is ScoringFailure {
            } catch is ScoringSkipped {
            } catch {
                report.fail("hostile answer #\(n): the scorer threw \(error) (throw ScoringFailure for answers it cannot score)")
            }
        }
        return report
    }

    // MARK: helpers

    /// Scoring with everything allowed: a task that runs model-written code (`--allow-exec`) runs its oracle too.
    public static let allowed = ScoringContext(allowExec: true)

    /// The oracle's score with everything allowed; without permission the task must give the same score or decline
    /// (`ScoringSkipped`), never fail or give another score.
    /// With everything allowed a task may decline only on a machine that cannot sandbox code (`Sandbox.unavailable`);
    /// the oracle is then not scored (nil).
    func oracleScore(
        _ task: any TaskPlugin, _ sample: Sample, _ place: String, alsoWithout: Bool = true, into report: inout ConformanceReport
    ) -> Double? {
        let answer = task.oracleAnswer(sample: sample)
        let score: Double
        do {
            score = try task.score(text: answer, sample: sample, context: Self.allowed).value
        } catch let skipped as ScoringSkipped {
            report.expect(Sandbox.unavailable != nil, "\(place): the oracle was declined with everything allowed: \(skipped)")
            return nil
        } catch {
            report.fail("\(place): scoring the oracle: \(error)")
            return nil
        }
        guard alsoWithout else { return score }
        do {
            let plain = try task.score(text: answer, sample: sample).value
            report.expect(plain == score, "\(place): the oracle scores \(plain) without --allow-exec and \(score) with it (decline with ScoringSkipped)")
        } catch is ScoringSkipped {
        } catch {
            report.fail("\(place): scoring the oracle without --allow-exec: \(error)")
        }
        return score
    }

    func makeSample(_ task: any TaskPlugin, length: Int, index: Int, seed: UInt64, tokenizer: any Tokenizer) throws -> Sample {
        try task.makeSample(task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
    }

    func samples(_ task: any TaskPlugin, length: Int, seed: UInt64, tokenizer: any Tokenizer) throws -> [Sample] {
        try (0..<samplesPerCell).map { try makeSample(task, length: length, index: $0, seed: seed, tokenizer: tokenizer) }
    }

    /// The checks of one sample made with `renderer` for `seed`: Fathom's own (identity, budget, length rule,
    /// axes), the recorded count against a recount, and the oracle.
    func verifySample(
        _ task: any TaskPlugin, _ sample: Sample, length: Int, seed: UInt64, tokenizer: any Tokenizer, renderer: any PromptRenderer,
        alsoWithout: Bool = true, into report: inout ConformanceReport
    ) {
        report.samplesChecked += 1
        let place = "\(sample.id) @\(ContextLength.format(length)) with \(tokenizer.name)"
        do {
            try SampleCheck.verify(
                sample, of: task, identity: task.descriptor.identity(length: length, index: sample.index, suiteSeed: seed),
                generation: task.descriptor.generation)
        } catch {
            report.fail("\(place): \(error.message)")
        }
        let recount = tokenizer.promptTokenCount(sample.promptText, bos: renderer.bos)
        report.expect(sample.metadata.promptTokens == recount, "\(place): \(sample.metadata.promptTokens) prompt tokens recorded, \(recount) counted")
        if let score = oracleScore(task, sample, place, alsoWithout: alsoWithout, into: &report) {
            report.expect(score == 1.0, "\(place): the oracle scores \(score), not 1.0")
        }
    }
}

/// What the conformance kit found for one task.
public struct ConformanceReport: Sendable, CustomStringConvertible {
    public var task: String
    public var samplesChecked = 0
    public private(set) var failures: [String] = []
    var maxFailures: Int
    private var dropped = 0

    public init(task: String, maxFailures: Int = 20) {
        self.task = task
        self.maxFailures = maxFailures
    }

    public var passed: Bool { failures.isEmpty }

    mutating func fail(_ message: String) {
        if failures.count < maxFailures { failures.append(message) } else { dropped += 1 }
    }

    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    /// Runs `body`; a thrown error is a failure (`what` says what was being done).
    mutating func attempt<T>(_ what: String, _ body: () throws -> T) -> T? {
        do { return try body() } catch {
            fail("\(what): \(error)")
            return nil
        }
    }

    mutating func merge(_ other: ConformanceReport) {
        samplesChecked += other.samplesChecked
        for failure in other.failures { fail(failure) }
        dropped += other.dropped
    }

    public var description: String {
        if passed { return "ok: \(task) (\(samplesChecked) samples: oracle 1.0, null <= 0.05, exact lengths, deterministic)" }
        var lines = ["FAILED: \(task): \(failures.count + dropped) problem\(failures.count + dropped == 1 ? "" : "s")"]
        lines += failures.map { "  - " + $0 }
        if dropped > 0 { lines.append("  … and \(dropped) more") }
        return lines.joined(separator: "\n")
    }
}

extension ConformanceKit {
    /// Checks the named tasks, or the suites' tasks when a name is a suite; no names: every task added from a folder
    /// (`--tasks-dir`), or every task when none was added. An unknown name is an error suggesting the nearest.
    public func check(_ registry: Registry, names: [String]) throws -> [ConformanceReport] {
        var selected: [String] = []
        for name in names {
            if let suite = registry.suites[name] { selected += suite.tasks } else { selected.append(try registry.task(named: name).descriptor.name) }
        }
        if names.isEmpty {
            let added = registry.taskNames.filter { (registry.sourceLabels[$0] ?? "built-in") != "built-in" }
            selected = added.isEmpty ? registry.taskNames : added
        }
        var seen = Set<String>()
        return try selected.filter { seen.insert($0).inserted }.map { check(try registry.task(named: $0)) }
    }
}
