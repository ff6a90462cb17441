import FathomCore
import Foundation
import Testing

/// The plugin contract's vocabulary: typed parameters, structured references, axes, scores and turns.
@Suite struct ContractTests {
    @Test func parameterSchemaComesFromTheType() {
        let specs = EchoPlugin.Parameters.specs
        #expect(specs.map(\.name) == ["word", "times", "weight"])
        #expect(specs[0].type == .string && specs[0].allowed == ["hello", "bye"] && specs[0].defaultValue == .string("hello"))
        #expect(specs[1].type == .int && specs[1].minimum == 1 && specs[1].defaultValue == .int(1) && specs[1].doc == "repetitions")
        #expect(specs[2].type == .double && specs[2].defaultValue == .double(0.5))
        #expect(EchoPlugin.parameterSpecs.map(\.name) == specs.map(\.name))
    }

    @Test func listParametersAreDescribed() {
        struct Lists: TaskParameters {
            var names = ["a", "b"]
            var sizes = [1, 2]
            static let documentation: [String: ParameterDoc] = ["names": ParameterDoc("names"), "sizes": ParameterDoc("sizes")]
        }
        #expect(Lists.specs.map(\.type) == [.stringList, .intList])
        #expect(Lists.specs[1].defaultValue == .list([.int(1), .int(2)]))
    }

    @Test func resolvedParametersDecodeIntoTheType() throws {
        let resolved = try ParameterSet.resolve(["word": .string("bye"), "weight": .int(2)], specs: EchoPlugin.Parameters.specs).get()
        let decoded = try EchoPlugin.Parameters.decode(resolved)
        #expect(decoded.word == .bye && decoded.times == 1 && decoded.weight == 2.0)
    }

    @Test func validationNamesTheKey() {
        let specs = EchoPlugin.Parameters.specs
        for (given, key) in [(["word": ParameterValue.string("hi")], "params.word"), (["times": .int(0)], "params.times"),
                             (["tims": .int(2)], "params.tims"), (["weight": .string("x")], "params.weight")] {
            guard case .failure(let error) = ParameterSet.resolve(given, specs: specs) else {
                Issue.record("\(given) should fail")
                continue
            }
            #expect(error.key == key)
        }
    }

    struct Table: Codable, Equatable {
        var header: [String]
        var rows: [[String]]
    }

    @Test func structuredReferencesRoundTrip() throws {
        let table = Table(header: ["name", "year"], rows: [["Ada", "1815"], ["Alan", "1912"]])
        let reference = try Reference(answers: ["Ada"], table)
        #expect(try reference.decode(Table.self) == table)
        let data = try JSONEncoder().encode(reference)
        let back = try JSONDecoder().decode(Reference.self, from: data)
        #expect(back == reference)
        #expect(try back.decode(Table.self) == table)
        #expect(throws: FathomError.self) { try Reference(answers: ["x"]).decode(Table.self) }
        #expect(throws: FathomError.self) { try reference.decode([Int].self) }
        // Without a structured value the encoding is unchanged from before.
        #expect(String(decoding: try JSONEncoder().encode(Reference(answers: ["a"])), as: UTF8.self) == #"{"answers":["a"]}"#)
    }

    @Test func jsonValuesKeepIntegersAndSortKeys() throws {
        let value = try JSONValue(encoding: ["b": 1.5, "a": 2.0])
        #expect(value.description == #"{"a":2,"b":1.5}"#)
        let nested = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"x":[1,2.5,"s",null,true,{"y":{}}]}"#.utf8))
        #expect(nested["x"]?.arrayValue?[0] == .int(1) && nested["x"]?.arrayValue?[1] == .double(2.5))
        #expect(nested.description == #"{"x":[1,2.5,"s",null,true,{"y":{}}]}"#)
    }

    @Test func axisBucketsAreTheOneBinning() {
        let depth = AxisSpec.depth()
        #expect(depth.bucket(.number(0)) == .number(0))
        #expect(depth.bucket(.number(9.99)) == .number(0))
        #expect(depth.bucket(.number(95)) == .number(90))
        #expect(depth.bucket(.number(100)) == .number(90))
        #expect(AxisSpec.depth(exact: true).bucket(.number(2.9411764705882355)) == .number(2.9411764705882355))
        #expect(AxisSpec("query", doc: "").bucket(.label("join")) == .label("join"))
        #expect(AxisValue.number(8192).description == "8192" && AxisValue.number(12.5).description == "12.5")
        #expect([AxisValue.label("b"), .number(3), .label("a"), .number(-1)].sorted() == [.number(-1), .number(3), .label("a"), .label("b")])
    }

    @Test func scoresCombineByMean() {
        let mean = Score.mean([Score(value: 1, metrics: ["a": 1, "b": 0]), Score(value: 0, metrics: ["a": 0])])
        #expect(mean.value == 0.5 && mean.metrics["a"] == 0.5 && mean.metrics["b"] == 0)
    }

    @Test func laterTurnsCarryTheirOwnReferenceAndBudget() throws {
        let metadata = SampleMetadata(targetLength: 100, promptTokens: 50, contextTokens: 40, tokenizer: "t")
        let sample = Sample(
            id: "s", task: "t", index: 0, length: 100, messages: [Message(.user, "context\nQ1")], answerPrefix: " A:",
            promptText: "context\nQ1 A:", reference: Reference(answers: ["1"]), generation: GenerationSettings(maxTokens: 10),
            metadata: metadata,
            turns: [Turn(question: "Q2", messages: [Message(.user, "context\nQ2")], answerPrefix: " B:", reference: Reference(answers: ["2"]), maxTokens: 3)])
        let conversation = try sample.turnRequest(0, previous: ["1"])
        #expect(conversation.messages.map(\.content) == ["context\nQ1 A:", "1", "Q2"])
        #expect(conversation.reference.answers == ["2"] && conversation.generation.maxTokens == 3 && conversation.turns.isEmpty)
        var separate = sample
        separate.turnMode = .separate
        #expect(try separate.turnRequest(0, previous: ["1"]).promptText == "context\nQ2 B:")
    }

    @Test func responsesKnowWhenTheyWereCutOff() {
        #expect(ModelResponse(text: "x", finishReason: "length").isTruncated)
        #expect(!ModelResponse(text: "x").isTruncated)
    }
}
