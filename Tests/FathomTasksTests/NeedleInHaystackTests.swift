import FathomCore
@testable import FathomTasks
import FathomTestSupport
import FathomText
import Testing

@Suite struct NeedleInHaystackTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    func sample(_ name: String, length: Int = 4096, index: Int = 0) throws -> Sample {
        let task = try registry.task(named: name)
        return try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
    }

    /// RULER's template, with its singular rewrite when one value is asked for.
    @Test func singularPromptMatchesRulerTemplate() throws {
        let s = try sample("ruler.niah_single_2")
        let user = s.messages[0].content
        let needle = try #require(s.metadata.needles.first)
        #expect(user.hasPrefix("A special magic number is hidden within the following text. Make sure to memorize it. I will quiz you about the number afterwards.\n"))
        #expect(user.hasSuffix("\nWhat is the special magic number for \(needle.key) mentioned in the provided text?"))
        #expect(s.answerPrefix == " The special magic number for \(needle.key) mentioned in the provided text is")
        #expect(user.contains("One of the special magic numbers for \(needle.key) is: \(s.reference.answers[0])."))
        #expect(s.reference.answers[0].count == 7 && Int(s.reference.answers[0]) != nil)
    }

    @Test func pluralPromptForMultiQuery() throws {
        let s = try sample("ruler.niah_multiquery")
        let keys = s.metadata.needles.map { $0.key }
        #expect(Set(keys).count == 4 && s.reference.answers.count == 4)
        let user = s.messages[0].content
        #expect(user.hasPrefix("Some special magic numbers are hidden within the following text. Make sure to memorize it. I will quiz you about the numbers afterwards.\n"))
        #expect(user.contains("\nWhat are all the special magic numbers for "))
        #expect(s.answerPrefix.hasSuffix(" mentioned in the provided text are"))
        // "a, b, c, and d"
        #expect(s.answerPrefix.components(separatedBy: ", ").count == 4 && s.answerPrefix.contains(", and "))
    }

    @Test func multikeyHasDistractorKeysThatAreNotAsked() throws {
        let s = try sample("ruler.niah_multikey_1")
        #expect(s.metadata.needles.count == 4 && s.reference.answers.count == 1)
        let asked = s.metadata.needles.filter { s.answerPrefix.contains($0.key) }
        #expect(asked.count == 1)
    }

    @Test func needleHaystackIsMadeOfDistractorsWithOtherKeys() throws {
        let s = try sample("ruler.niah_multikey_3")
        let user = s.messages[0].content
        let key = s.metadata.needles[0].key
        let lines = user.split(separator: "\n").filter { $0.hasPrefix("One of the special magic uuids for ") }
        #expect(lines.count > 20)
        #expect(lines.filter { $0.contains(key) }.count == 1)  // only the real needle carries the key
        #expect(key.count == 36 && s.reference.answers[0].count == 36)
    }

    @Test func multivalueAsksForAllValues() throws {
        let s = try sample("ruler.niah_multivalue")
        #expect(s.reference.answers.count == 4 && Set(s.reference.answers).count == 4)
        #expect(s.metadata.needles.count == 4 && Set(s.metadata.needles.map { $0.key }).count == 1)
    }

    @Test func classicGridWalksDepths() throws {
        let depths = try (0..<35).map { try sample("niah.classic", length: 8192, index: $0).metadata.needles[0] }
        #expect(depths[0].requestedDepth == 0 && depths[34].requestedDepth == 100)
        for placement in depths { #expect(abs(placement.depth - placement.requestedDepth!) < 1) }
        let wrapped = try sample("niah.classic", length: 8192, index: 35).metadata.needles[0]
        #expect(wrapped.requestedDepth == 0)
    }

    @Test func rulerEssayDepthsComeFromTheFortyPointGrid() throws {
        let grid = Set((0..<40).map { (Double($0) * 100 / 39).rounded() })
        for index in 0..<10 {
            let s = try sample("ruler.niah_multikey_1", index: index)
            for needle in s.metadata.needles { #expect(grid.contains(needle.requestedDepth!)) }
            #expect(Set(s.metadata.needles.map { $0.requestedDepth! }).count == 4)  // drawn without replacement
        }
    }

    @Test func invalidParameterCombinationsAreRejected() throws {
        let manifest = try TaskManifest.parse("name: bad\nplugin: niah\nversion: 1\nparams: {keys: 1, queries: 2}\n", file: "bad.yaml")
        do {
            _ = try registry.instantiate(manifest)
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "params.queries" && error.file == "bad.yaml")
        }
        let folder = try TaskManifest.parse("name: bad\nplugin: niah\nversion: 1\nparams: {haystack: folder}\n", file: "bad.yaml")
        #expect(throws: FathomError.self) { _ = try registry.instantiate(folder) }
    }
}

@Suite struct ConfusingFactsTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    func sample(_ name: String, index: Int) throws -> Sample {
        let task = try registry.task(named: name)
        return try task.makeSample(
            task.descriptor.request(length: 8192, index: index, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
    }

    @Test func confusersAreNearMissesThatNeverCarryTheAnswer() throws {
        for index in 0..<10 {
            let s = try sample("niah.confusing_facts", index: index)
            let key = s.metadata.needles.first { s.answerPrefix.contains($0.key) }!.key
            let answer = s.reference.answers[0]
            let user = s.messages[0].content
            let magicLines = user.components(separatedBy: "One of the special magic ").dropFirst().map { $0.prefix { $0 != "." } }
            #expect(magicLines.count == 5)  // the needle and 4 confusers
            #expect(magicLines.filter { $0.contains(answer) }.count == 1)
            #expect(magicLines.filter { $0.hasPrefix("numbers for \(key) is:") }.count == 1)
            // Two share the key with another subject; two have a one-word-different key and the asked subject.
            #expect(magicLines.filter { !$0.hasPrefix("numbers") && $0.contains(" for \(key) is:") }.count == 2)
            let adjective = key.split(separator: "-")[0]
            #expect(magicLines.filter { $0.hasPrefix("numbers for \(adjective)-") && !$0.contains(" for \(key) is:") }.count == 2)
            #expect(s.metadata.knobs["confusers"] == .int(4))
        }
    }

    @Test func similarKeysAreOneEditAway() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<100 {
            let number = NeedleValueKind.numbers.make(&rng)
            let near = NeedleInHaystack.similarKey(number, kind: .numbers, &rng)
            #expect(near != number && near.count == 7 && zip(near, number).filter { $0 != $1 }.count == 1 && near.first != "0")
            let uuid = NeedleValueKind.uuids.make(&rng)
            let nearUUID = NeedleInHaystack.similarKey(uuid, kind: .uuids, &rng)
            #expect(nearUUID != uuid && zip(nearUUID, uuid).filter { $0 != $1 }.count == 1)
        }
    }

    /// Adding confusers to a task must not change samples of tasks without them.
    @Test func samplesWithoutConfusersAreUnchanged() throws {
        let plain = try sample("ruler.niah_single_2", index: 3)
        #expect(plain.metadata.knobs["confusers"] == nil)
        #expect(plain.messages[0].content.components(separatedBy: "One of the special magic ").count == 2)
    }
}

@Suite struct SharedContextTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    func sample(_ name: String, index: Int = 0) throws -> Sample {
        let task = try registry.task(named: name)
        return try task.makeSample(
            task.descriptor.request(length: 8192, index: index, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
    }

    @Test func followUpsAskTheOtherKeysWithTheirOwnAnswers() throws {
        for index in 0..<5 {
            let s = try sample("niah.shared_context", index: index)
            #expect(s.turns.count == 3 && s.turnMode == .conversation)
            let asked = s.metadata.needles.filter { s.answerPrefix.contains(" \($0.key) ") }.map { $0.key }
            #expect(asked.count == 1)
            let keysAsked = s.turns.map { f in s.metadata.needles.first { f.question.contains(" \($0.key) ") }!.key }
            #expect(Set(keysAsked + asked).count == 4)  // every inserted key asked exactly once
            let user = s.messages[0].content
            for (followUp, key) in zip(s.turns, keysAsked) {
                #expect(followUp.reference.answers.count == 1)
                #expect(user.contains("One of the special magic numbers for \(key) is: \(followUp.reference.answers[0])."))
                #expect(followUp.question == "What is the special magic number for \(key) mentioned in the provided text?")
            }
        }
    }

    @Test func separateRequestsShareTheContextPrefix() throws {
        let s = try sample("niah.shared_context_separate")
        let first = s.messages[0].content
        let questionStart = try #require(first.range(of: "\nWhat is the special magic number for", options: .backwards)).lowerBound
        let shared = first[..<questionStart]
        for k in s.turns.indices {
            let request = try s.turnRequest(k, previous: ["a"])
            #expect(request.messages.count == 1 && request.messages[0].content.hasPrefix(shared))
            #expect(request.messages[0].content.hasSuffix(s.turns[k].question))
            #expect(request.reference == s.turns[k].reference && request.answerPrefix == s.turns[k].answerPrefix)
        }
    }

    @Test func conversationRequestsCarryTheHistory() throws {
        let s = try sample("niah.shared_context")
        let second = try s.turnRequest(1, previous: ["A0", "A1"])
        #expect(second.messages.map { $0.role } == [.user, .assistant, .user, .assistant, .user])
        #expect(second.messages[0].content == s.messages[0].content + s.answerPrefix)
        #expect(second.messages[1].content == "A0" && second.messages[3].content == "A1")
        #expect(second.messages[2].content == s.turns[0].question + s.turns[0].answerPrefix)
        #expect(second.messages[4].content == s.turns[1].question && second.answerPrefix == s.turns[1].answerPrefix)
        #expect(second.turns.isEmpty)
    }

    @Test func followUpsNeedEnoughKeys() throws {
        let manifest = try TaskManifest.parse("name: bad\nplugin: niah\nversion: 1\nparams: {keys: 2, follow_ups: 2}\n", file: "bad.yaml")
        #expect(throws: FathomError.self) { _ = try registry.instantiate(manifest) }
    }
}

/// The structured reference of NIAH: each asked key with its values, used to report which keys a partial answer found.
@Suite struct NeedleStructuredReferenceTests {
    @Test func multiQueryScoresSayWhichKeysWereFound() throws {
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        let task = try registry.task(named: "ruler.niah_multiquery")
        let sample = try task.makeSample(
            task.descriptor.request(length: 4096, index: 0, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
        let asked = try sample.reference.decode(NeedleInHaystack.AskedNeedles.self).asked
        #expect(asked.count == 4 && asked.flatMap(\.values) == sample.reference.answers)
        let partial = try task.score(text: asked[0].values.joined(separator: " ") + " " + asked[2].values.joined(separator: " "), sample: sample)
        #expect(partial.value == 0.5)
        #expect(partial.details?["keys_found"] == .array([.string(asked[0].key), .string(asked[2].key)]))
        #expect(partial.details?["keys_missing"] == .array([.string(asked[1].key), .string(asked[3].key)]))
    }
}
