import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Testing

@Suite struct JSONKeyValueConfusersTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    @Test func nearMissKeysSitInTheObjectAndNeverCarryTheAnswer() throws {
        let task = try registry.task(named: "helmet.json_kv_confusing")
        for index in 0..<4 {
            let s = try task.makeSample(
                task.descriptor.request(length: 8192, index: index, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
            let user = s.messages[0].content
            let asked = try #require(s.metadata.needles.first?.key)
            let answer = s.reference.answers[0]
            #expect(user.components(separatedBy: answer).count == 2)  // the value appears once
            // Keys of the object that differ from the asked key in exactly one character.
            let keys = user.components(separatedBy: "\"").filter { $0.count == 36 && $0.split(separator: "-").count == 5 }
            let nearMisses = Set(keys.filter { key in key != asked && zip(key, asked).filter { $0 != $1 }.count == 1 })
            #expect(nearMisses.count == 4, "sample \(index): \(nearMisses.count) near-miss keys")
            #expect(try task.score(text: task.oracleAnswer(sample: s), sample: s).value == 1)
        }
    }
}
