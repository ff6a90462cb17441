@testable import FathomTasks
import FathomCore
import FathomSandbox
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// LongProc's scorers: partial credit at its boundaries, the countdown rules without eval, the TSV metric's
/// alignment, the ToM final answer, truncation counted apart, and hostile answers on every scorer.
@Suite struct LongProcScoringTests {
    static let registry: Registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let names = ["longproc.html_to_tsv", "longproc.pseudo_to_code", "longproc.path_traversal", "longproc.tom_tracking",
                        "longproc.countdown", "longproc.travel_planning"]

    static func sample(_ name: String, length: Int = 4096, index: Int = 0) throws -> (any TaskPlugin, Sample) {
        let task = try registry.task(named: name)
        let sample = try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: 9, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
        return (task, sample)
    }

    static let allowed = ScoringContext(allowExec: true)

    // MARK: Partial credit

    func lines(_ s: [String]) -> [[UInt8]] { s.map { Array($0.utf8) } }

    @Test func partialCreditBoundaries() {
        let reference = lines(["a", "b", "c", "d"])
        func match(_ output: [String]) -> TraceMatch { TraceMatch.compare(output: lines(output), reference: reference) }
        #expect(match(["a", "b", "c", "d"]).partial == 1 && match(["a", "b", "c", "d"]).identical)
        #expect(match(["x", "b", "c", "d"]).partial == 0 && match(["x"]).firstDivergence == 0)
        #expect(match(["a", "b"]).partial == 0.5 && match(["a", "b"]).firstDivergence == 2, "truncated after two lines")
        #expect(match(["a", "b", "x", "d"]).partial == 0.5)
        let extra = match(["a", "b", "c", "d", "e"])
        #expect(!extra.identical && extra.partial == 0.75 && extra.firstDivergence == 4, "junk after a right trace is not rewarded")
        #expect(match([]).partial == 0)
        // Only one line past the reference is ever read: a trace that loops forever costs nothing more.
        var looping = (0..<1_000_000).lazy.map { _ in Array("a".utf8) }.makeIterator()
        let forever = AnySequence { AnyIterator { looping.next() } }
        #expect(TraceMatch.compare(output: forever, reference: reference).partial == 0.25)
    }

    @Test func routesAreScoredLineByLineWithTruncationApart() throws {
        let (task, sample) = try Self.sample("longproc.path_traversal")
        let route = try sample.reference.decode(PathTraversal.Route.self)
        let n = route.hops.count
        let half = "<Route>\n" + route.hops.prefix(n / 2).joined(separator: "\n")
        let cut = try task.score(ModelResponse(text: half, finishReason: "length"), sample: sample, context: ScoringContext())
        #expect(cut.value == 0 && cut.metrics["partial_accuracy"] == Double(n / 2) / Double(n))
        #expect(cut.metrics["truncated"] == 1 && cut.details?["truncated"] == .bool(true))
        #expect(cut.details?["first_divergence_line"] == .int(n / 2))
        let junk = try task.score(text: task.oracleAnswer(sample: sample).replacingOccurrences(of: "</Route>", with: "From A, take a bus to B.\n</Route>"), sample: sample)
        #expect(junk.value == 0 && junk.metrics["partial_accuracy"] == Double(n - 1) / Double(n))
        let wrongFirst = try task.score(text: "<Route>\nFrom Nowhere, take a bus to Elsewhere.\n</Route>", sample: sample)
        #expect(wrongFirst.metrics["partial_accuracy"] == 0 && wrongFirst.metrics["truncated"] == 0)
        // The last complete block counts, so an echoed format line before the answer does not.
        let echoed = try task.score(text: "<Route>\nFrom <CITY>, take a <TRANSIT> to <CITY>.\n</Route>\n" + task.oracleAnswer(sample: sample), sample: sample)
        #expect(echoed.value == 1)
    }

    // MARK: Countdown

    @Test func countdownSolutionsAreCheckedByRulesNotEval() {
        let numbers = [40, 19, 23, 7]
        func valid(_ s: String, target: Int = 29) -> Bool { CountdownArithmetic.check(Substring(s), numbers: numbers, target: target) == nil }
        #expect(valid("40 - 23 = 17\n19 - 17 = 2\n2 * 7 = 14", target: 14))
        #expect(valid("40 x 19 = 760\n760 - 23 = 737\n737 / 7 = 737", target: 737) == false, "wrong arithmetic")
        #expect(valid("23 + 7 = 30\n40 - 30 = 10\n19 + 10 = 29"))
        #expect(valid("23 + 7 = 30\n40 - 30 = 10\n19 × 10 = 190", target: 190), "x and × mean times")
        #expect(!valid("7 - 23 = -16\n40 + 19 = 59\n59 - 16 = 43", target: 43), "negative numbers are not written")
        #expect(!valid("23 - 23 = 0\n40 + 19 = 59\n59 + 0 = 59", target: 59), "23 used twice")
        #expect(!valid("19 - 19 = 0\n40 + 23 = 63\n63 - 7 = 56", target: 56))
        #expect(!valid("40 / 7 = 5\n19 + 23 = 42\n42 - 5 = 37", target: 37), "5.7 is not 5")
        #expect(!valid("__import__('os').system('ls') = 1\n1 + 1 = 2\n2 + 2 = 4", target: 4))
        #expect(!valid("1e999 - 1 = 1e999\n19 + 23 = 42\n42 - 7 = 35", target: 35))
        #expect(!valid("9999999999 * 2 = 19999999998\n19 + 23 = 42\n42 - 7 = 35", target: 35), "numbers longer than nine digits")
        #expect(!valid("23 + 7 = 30\n40 - 30 = 10"), "two equations")
        #expect(!valid("23 + 7 = 30\n40 - 30 = 10\n19 + 10 = 29\n29 + 0 = 29"), "four equations")
        #expect(CountdownArithmetic.parse("((((1 + 1)))) = 2") == nil)
    }

    @Test func countdownAcceptsAnyValidSolutionAndCreditsTheTraceOtherwise() throws {
        let (task, sample) = try Self.sample("longproc.countdown")
        let problem = try sample.reference.decode(CountdownSearch.Problem.self)
        #expect(try task.score(text: task.oracleAnswer(sample: sample), sample: sample).value == 1)
        // The reference trace with a wrong solution: full trace credit but no accuracy… capped below 1.
        let wrong = task.oracleAnswer(sample: sample).replacingOccurrences(of: "<Solution>\n\(problem.solution[0])", with: "<Solution>\n1 + 1 = 2")
        let score = try task.score(text: wrong, sample: sample)
        #expect(score.value == 0 && score.metrics["partial_accuracy"] == 1 && score.details?["solution_valid"] == .bool(false))
        // Only the solution, no search: valid, so accuracy 1 even without the trace (any valid solution counts).
        let bare = "<Solution>\n" + problem.solution.joined(separator: "\n") + "\n</Solution>"
        #expect(try task.score(text: bare, sample: sample).value == 1)
    }

    // MARK: TSV

    @Test func tsvColumnsAlignByHeaderAndRowsAreAMultiset() {
        let header = ["product_name", "price"], rows = [["Lamp 2X", "$12.00"], ["Mug 3S", "N/A"], ["Kettle 9", "€4.50"]]
        func match(_ s: String) -> TSVMatch { TSVMatch.compare(answer: s, header: header, rows: rows) }
        let exact = match("```tsv\nproduct_name\tprice\nLamp 2X\t$12.00\nMug 3S\tN/A\nKettle 9\t€4.50\n```")
        #expect(exact.rowF1 == 1 && exact.exact && exact.cellF1 == 1)
        let swapped = match("```tsv\nPrice\tProduct Name\n$12.00\tLamp 2X\n\tMug 3S\n€4.50\tKettle 9\n```")
        #expect(swapped.rowF1 == 1 && swapped.alignedColumns == 2, "columns found by name, a blank cell is N/A")
        let reordered = match("```tsv\nproduct_name\tprice\nKettle 9\t€4.50\nLamp 2X\t$12.00\nMug 3S\tn/a\n```")
        #expect(reordered.rowF1 == 1 && !reordered.exact)
        let duplicated = match("```tsv\nproduct_name\tprice\nLamp 2X\t$12.00\nLamp 2X\t$12.00\nLamp 2X\t$12.00\n```")
        #expect(duplicated.matchedRows == 1 && duplicated.rowPrecision == 1.0 / 3 && duplicated.rowRecall == 1.0 / 3)
        let noHeader = match("Lamp 2X\t$12.00\nMug 3S\tN/A\nKettle 9\t€4.50")
        #expect(noHeader.rowF1 == 1, "no header and as many columns: by position")
        let oneWrongCell = match("```tsv\nproduct_name\tprice\nLamp 2X\t$12.00\nMug 3S\tN/A\nKettle 9\t€4.51\n```")
        #expect(oneWrongCell.matchedRows == 2 && abs(oneWrongCell.cellF1 - 5.0 / 6) < 1e-9)
        let extra = match("```tsv\nproduct_name\tprice\nLamp 2X\t$12.00\nMug 3S\tN/A\nKettle 9\t€4.50\nToaster\t$1\n```")
        #expect(extra.rowRecall == 1 && extra.rowPrecision == 0.75)
        let cut = match("```tsv\nproduct_name\tprice\nLamp 2X\t$12.00\nMug 3")
        #expect(cut.matchedRows == 1, "an unclosed block (cut at max_tokens) is still read")
    }

    // MARK: ToM

    @Test func tomScoresTheTraceAndTheFinalAnswer() throws {
        let (task, sample) = try Self.sample("longproc.tom_tracking")
        let trace = try sample.reference.decode(ToMTracking.Trace.self)
        let oracle = task.oracleAnswer(sample: sample)
        let right = try task.score(text: oracle, sample: sample)
        #expect(right.value == 1 && right.metrics["final_answer"] == 1 && right.metrics["trace_accuracy"] == 1)
        let wrongAnswer = try task.score(text: oracle.replacingOccurrences(of: "Final Answer: \(trace.finalAnswer)", with: "Final Answer: the moon"), sample: sample)
        #expect(wrongAnswer.value == 0 && wrongAnswer.metrics["trace_accuracy"] == 1 && wrongAnswer.metrics["final_answer"] == 0)
        let answerOnly = try task.score(text: "Final Answer: \(trace.finalAnswer.uppercased())", sample: sample)
        #expect(answerOnly.value == 0 && answerOnly.metrics["final_answer"] == 1 && answerOnly.metrics["partial_accuracy"] == 0)
        // LongProc's normalisation: punctuation, case and the stop words do not count; extra bullets are skipped.
        let loose = oracle.replacingOccurrences(of: "location:", with: "LOCATION ").replacingOccurrences(of: "\n- Step 1", with: "\n- a note\n- Step 1")
        #expect(try task.score(text: loose, sample: sample).value == 1)
    }

    // MARK: Hostile answers

    static func hostile(_ oracle: String) -> [String] {
        let tenMegabytes = String(repeating: "From A, take a bus to B. <Route> ```tsv\t|x| 1e999 ", count: 10 * (1 << 20) / 48)
        let lines = oracle.split(separator: "\n")
        let looping = (0..<(1 << 20) / max(1, oracle.utf8.count / 4)).map { _ in lines.prefix(4).joined(separator: "\n") }.joined(separator: "\n")
        return [
            tenMegabytes,
            "__import__('os').system('touch /tmp/fathom-pwned')",
            "```python\n__import__('os').system('touch /tmp/fathom-pwned')\n```",
            "1e999 + 1e999 = inf\n<Solution>\n1e999 * 1e999 = 1e999\n</Solution>",
            String(repeating: "(", count: 200_000) + String(repeating: "[", count: 200_000) + String(repeating: "<div>", count: 100_000),
            "<Route><Route><Solution></Plan></Solving Procedure>```tsv```python<Plan><Route>",
            "\u{FFFD}\u{0}\u{202E}e\u{301}\u{1F600}\u{FEFF}\u{200B}\t\u{85}\u{2028}" + oracle + "\u{FFFD}",
            looping,
            oracle + "\n" + String(repeating: oracle + "\n", count: 3),
        ]
    }

    @Test(arguments: names)
    func hostileAnswersGetAScoreOrAScoringError(name: String) throws {
        let (task, sample) = try Self.sample(name, length: 2048)
        for (i, text) in Self.hostile(task.oracleAnswer(sample: sample)).enumerated() {
            // Without --allow-exec (the code of pseudo_to_code is then never run).
            do {
                let score = try task.score(ModelResponse(text: text, finishReason: i == 0 ? "length" : "stop"), sample: sample, context: ScoringContext())
                #expect(score.value >= 0 && score.value <= 1 && score.value.isFinite, "\(name) #\(i)")
                #expect(score.metrics.values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "\(name) #\(i)")
                if i == 0 { #expect(score.details?["answer_capped_at_bytes"] == .int(ProcAnswer.maxBytes) && score.metrics["truncated"] == 1) }
                if i == 1 || i == 4 || i == 5 { #expect(score.value == 0, "\(name) #\(i)") }
            } catch is ScoringSkipped {
                #expect(name == "longproc.pseudo_to_code", "only code execution may decline")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fathom-pwned"))
    }

    @Test func hostileCodeRunsOnlyInTheSandboxAndFails() throws {
        let (task, sample) = try Self.sample("longproc.pseudo_to_code", length: 2048)
        let attacks = [
            "```python\nimport os\nos.system('touch /tmp/fathom-pwned')\nprint(open('/etc/passwd').read())\n```",
            "```python\nimport socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)\n```",
            "```python\nx = bytearray(10 * 1024 ** 3)\n```",
            "```python\nimport os\nprint(dict(os.environ))\n```",
        ]
        guard Sandbox.unavailable == nil else {
            // A machine that cannot sandbox declines every sample with code, even with permission, and runs nothing.
            for code in attacks + [task.oracleAnswer(sample: sample)] {
                #expect(throws: ScoringSkipped.self) { try task.score(text: code, sample: sample, context: Self.allowed) }
            }
            #expect(!FileManager.default.fileExists(atPath: "/tmp/fathom-pwned"))
            return
        }
        for code in attacks {
            let score = try task.score(text: code, sample: sample, context: Self.allowed)
            #expect(score.value == 0 && score.metrics["tests_passed"] == 0)
            #expect(score.details?["sandbox"]?.stringValue?.contains("seccomp") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fathom-pwned"))
        // No code, no run: 0 whether or not running is allowed; code without permission: skipped.
        #expect(try task.score(text: "I cannot write this program.", sample: sample).value == 0)
        #expect(throws: ScoringSkipped.self) { try task.score(text: task.oracleAnswer(sample: sample), sample: sample) }
        // A translation with one line wrong fails some hidden tests.
        let oracle = task.oracleAnswer(sample: sample)
        let broken = oracle.replacingOccurrences(of: "print(", with: "print(1 + ")
        let partial = try task.score(text: broken, sample: sample, context: Self.allowed)
        #expect(partial.value == 0)
    }
}
