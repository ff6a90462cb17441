import FathomCore
import FathomMetrics
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct JSONKeyValueTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let instruction = "\n\nExtract the value corresponding to the specified key in the JSON object below.\n\n"

    func sample(length: Int = 8192, index: Int = 0, seed: UInt64 = 42, tokenizer: any Tokenizer = ApproxTokenizer()) throws -> Sample {
        let task = try registry.task(named: "helmet.json_kv")
        return try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
    }

    /// The JSON object, the demo (key, value) pairs and the queried key, read back from the prompt.
    func parse(_ s: Sample) throws -> (object: [String: String], pairs: Int, demos: [(String, String)], key: String) {
        let user = s.messages[0].content
        let split = try #require(user.range(of: Self.instruction))
        let json = user[..<split.lowerBound]
        #expect(json.hasPrefix("JSON data:\n{"))
        let body = json.dropFirst("JSON data:\n".count)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        let pairs = body.components(separatedBy: ",\n ").count
        var demos: [(String, String)] = []
        let blocks = user[split.upperBound...].components(separatedBy: "\n\n")
        for block in blocks.dropLast() {
            let lines = block.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].hasPrefix("Key: \"") && lines[1].hasPrefix("Corresponding value: "))
            demos.append((String(lines[0].dropFirst(6).dropLast()), String(lines[1].dropFirst("Corresponding value: ".count))))
        }
        let last = try #require(blocks.last)
        #expect(last.hasPrefix("Key: \"") && last.hasSuffix("\""))
        return (object, pairs, demos, String(last.dropFirst(6).dropLast()))
    }

    @Test func promptFollowsHelmetTemplate() throws {
        let s = try sample()
        let (object, pairs, demos, key) = try parse(s)
        #expect(s.answerPrefix == "\nCorresponding value:")
        #expect(s.promptText.hasSuffix("Key: \"\(key)\"\nCorresponding value:"))
        #expect(demos.count == 2 && object.count == pairs)
        for (k, v) in demos { #expect(k.count == 36 && v.count == 36 && object[k] == nil) }
        #expect(object[key] == s.reference.answers[0])
        #expect(s.generation.maxTokens == 100)
    }

    @Test func pairCountsFollowTheLengthWindow() throws {
        var previous = 0
        for length in [2048, 8192, 32_768] {
            let s = try sample(length: length)
            let (object, pairs, _, _) = try parse(s)
            #expect(object.count == pairs && s.metadata.knobs["pairs"] == .int(pairs))
            #expect(pairs > previous)
            previous = pairs
            #expect(ContextBuilder.obeysLengthRule(promptTokens: s.metadata.promptTokens, maxTokens: 100, length: length))
        }
        // HELMET's count is the starting point at its lengths.
        #expect(try sample(length: 32_768).metadata.knobs["helmet_pairs"] == .int(440))
        // Lengths HELMET never used still land in the window.
        for length in [3000, 5000, 12_345] {
            let s = try sample(length: length)
            #expect(ContextBuilder.obeysLengthRule(promptTokens: s.metadata.promptTokens, maxTokens: 100, length: length))
        }
    }

    @Test func queriedPairDepthIsRecorded() throws {
        var depths: [Double] = []
        for index in 0..<6 {
            let s = try sample(length: 16_384, index: index)
            let needle = try #require(s.metadata.needles.first)
            let (_, _, _, key) = try parse(s)
            #expect(needle.key == key)
            let requested = try #require(needle.requestedDepth)
            #expect(abs(needle.depth - requested) < 3, "depth \(needle.depth) vs requested \(requested)")
            // The offset is where the pair starts in the rendered prompt.
            let pairStart = try #require(s.promptText.range(of: "\"\(key)\": "))
            #expect(needle.tokenOffset == ApproxTokenizer().count(String(s.promptText[..<pairStart.lowerBound])))
            depths.append(needle.depth)
        }
        #expect(Set(depths).count == depths.count)
    }

    @Test func deterministicDemosDifferAndScoring() throws {
        #expect(try sample(index: 4) == sample(index: 4))
        let a = try parse(try sample(index: 0)), b = try parse(try sample(index: 1))
        #expect(a.demos.map { $0.0 } != b.demos.map { $0.0 })
        let task = try registry.task(named: "helmet.json_kv")
        let s = try sample()
        let value = s.reference.answers[0]
        #expect(try task.score(text: task.oracleAnswer(sample: s), sample: s).metrics == ["subem": 1, "exact_match": 1, "f1": 1])
        // HELMET keeps the better of the raw and the parsed output: EM counts after "Corresponding value:".
        let verbose = try task.score(text: "Corresponding value: \(value)\nThat is the value.", sample: s)
        #expect(verbose.value == 1 && verbose.metrics["exact_match"] == 1)
        #expect(try task.score(text: "The value is \(value.uppercased()).", sample: s).metrics["subem"] == 1)
        // Another pair's value (not `values.first`: a Dictionary's order varies by process, and could pick the asked one).
        let other = try #require(a.object.filter { $0.key != a.key }.min { $0.key < $1.key }?.value)
        #expect(try task.score(text: "The value is \(other).", sample: s).value == 0)
    }

    @Test func catalogHasHelmetMetrics() {
        let score = MetricCatalog.score(["subem", "exact_match", "f1"], prediction: "The answer: Paris, France", references: ["paris"])
        #expect(score.metrics["subem"] == 1 && score.metrics["exact_match"] == 0)
        #expect(abs(score.metrics["f1"]! - 0.5) < 1e-9)
    }
}
