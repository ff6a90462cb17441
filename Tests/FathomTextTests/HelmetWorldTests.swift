import FathomCore
import FathomText
import Foundation
import Testing

/// The richer fictional world behind the HELMET tasks: morphology, vocabulary size, the fact index, hard negatives,
/// and the shared corpora's promises (what they never say).
@Suite struct HelmetWorldTests {
    @Test func morphologyFollowsEnglishRules() {
        let plurals = ["box": "boxes", "city": "cities", "leaf": "leaves", "ferryman": "ferrymen", "day": "days", "lanternkeeper": "lanternkeepers"]
        for (noun, plural) in plurals { #expect(Morphology.plural(noun) == plural) }
        let pasts = ["plan": "planned", "carry": "carried", "visit": "visited", "bake": "baked", "stop": "stopped", "open": "opened"]
        for (verb, past) in pasts { #expect(Morphology.regularPast(verb) == past) }
        #expect(["make", "see", "plan", "tie"].map(Morphology.gerund) == ["making", "seeing", "planning", "tying"])
        #expect(["build", "plan", "carry", "bake"].map(Morphology.agent) == ["builder", "planner", "carrier", "baker"])
        #expect(["gentle", "busy", "quiet", "civic"].map(Morphology.adverb) == ["gently", "busily", "quietly", "civically"])
        #expect(["calm", "wide", "busy", "flat", "careful"].map(Morphology.comparative) == ["calmer", "wider", "busier", "flatter", nil])
        #expect(Morphology.thirdPerson("watch") == "watches" && Morphology.ness("steady") == "steadiness")
    }

    /// Lowercase word types of a text.
    func types(_ text: String) -> (words: Int, types: Set<String>) {
        let words = text.split { !$0.isLetter }.map { $0.lowercased() }
        return (words.count, Set(words))
    }

    @Test func proseHasAThousandsWordVocabulary() {
        #expect(WordStock.allTypes.count > 8000)
        // 8K words of passages from the shared encyclopedia, of the novel, of the case records.
        let encyclopedia = FictionalWorld.Encyclopedia.shared
        var passages = ""
        var i = 0
        while types(passages).words < 8000 {
            passages += encyclopedia.passage(i).text() + "\n"
            i += 1
        }
        let stats = types(passages)
        #expect(stats.types.count >= 2000, "passages: \(stats.types.count) types in \(stats.words) words")
        print("vocabulary: passages \(stats.types.count) types in \(stats.words) words")
        for corpus in [Chronicle.corpus, CaseFile.corpus] {
            let text = corpus.units(from: 0, count: 800, tokenizer: ApproxTokenizer()).texts.joined()
            let s = types(text)
            #expect(s.words >= 8000 && s.types.count >= 2000, "\(corpus.fingerprint): \(s.types.count) types in \(s.words) words")
        }
    }

    @Test func atlasValuesDoNotDependOnTheOrderTheyAreAskedFor() {
        var a = FictionalWorld.Atlas(seed: 9)
        var b = FictionalWorld.Atlas(seed: 9)
        let people = a.core[.person]!
        let attributes = FictionalWorld.attributes(of: .person)
        let forward = people.flatMap { p in attributes.map { a.value(of: p, $0) } }
        let backward = people.reversed().flatMap { p in attributes.reversed().map { b.value(of: p, $0) } }
        #expect(forward == backward.reversed())
        // The base world's relations carry over: the atlas's birthplaces are the core world's.
        #expect(people.allSatisfy { a.value(of: $0, FictionalWorld.attributesByID["person.born_in"]!).entity?.kind == .city })
    }

    @Test func theFactIndexIsWhatThePassagesSay() {
        let encyclopedia = FictionalWorld.Encyclopedia.shared
        for i in 0..<96 {
            let passage = encyclopedia.passage(i)
            #expect(!passage.stated().isEmpty)
            for (sentence, facts) in zip(passage.sentences, passage.facts) {
                if facts.isEmpty {
                    // Filler names only its subject and writes no digit.
                    #expect(!sentence.contains(where: { $0.isNumber }), "\(sentence)")
                } else {
                    for fact in facts {
                        #expect(sentence.contains(fact.subject.name) && sentence.contains(fact.value.text), "\(sentence) / \(fact)")
                    }
                }
            }
        }
        // The same passage every time, from any process order.
        #expect(encyclopedia.passage(40) == FictionalWorld.Encyclopedia(seed: encyclopedia.seed).passage(40))
    }

    @Test func passageStreamsKeepOutExcludedFactsAndPlayTheirRoles() {
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let subject = atlas.core[.person]![3]
        let attribute = FictionalWorld.attributesByID["person.born_in"]!
        var rng = SeededRandom(seed: 5)
        let answer = atlas.freshValue(attribute.value, avoid: atlas.coreNamesLowercased, &rng)
        atlas.set(subject, attribute, answer)
        let slot = FictionalWorld.AtlasSlot(subject: subject.name, attribute: attribute.id)
        var stream = FictionalWorld.PassageStream(
            atlas: atlas, seed: 11, focus: [(subject, attribute)], excluded: [slot], forbidden: [answer.text], hardShare: 40, sentences: 5...7)
        var roles: [FictionalWorld.PassageRole: Int] = [:]
        for _ in 0..<300 {
            let (passage, role, _) = stream.next(tokenizer: nil)
            roles[role, default: 0] += 1
            #expect(!passage.stated().contains { $0.slot == slot })
            #expect(!passage.text().contains(answer.text))
            switch role {
            case .sameEntity: #expect(passage.subject == subject)
            case .sameAttribute: #expect(passage.subject != subject && passage.stated().contains { $0.attribute == attribute })
            case .decoyValue: #expect(passage.stated().contains { $0.attribute.value == attribute.value })
            case .random: break
            }
        }
        #expect(roles.count == 4 && roles[.random]! > 150)
    }

    @Test func sharedCorporaNeverStateAPlantedKindOfEvent() {
        let story = Chronicle.corpus.units(from: 0, count: 1024, tokenizer: ApproxTokenizer()).texts.joined()
        #expect(!story.contains(where: { $0.isNumber }))
        for word in [" gave ", " visited ", " moved ", " married ", " travelled "] { #expect(!story.contains(word), "\(word)") }
        let records = CaseFile.corpus.units(from: 0, count: 1024, tokenizer: ApproxTokenizer()).texts
        #expect(!records.joined().contains(where: { $0.isNumber }))
        for word in ["dismissed", "granted", "upheld", "rejected"] { #expect(!records.joined().contains(word)) }
        for unit in records {
            let first = unit.split(separator: " ").first.map(String.init) ?? ""
            #expect(CaseFile.capitalisedWords.contains(first.trimmingCharacters(in: .whitespacesAndNewlines)), "\(unit)")
        }
    }

    @Test func latentClassifierTextsCarryOnlyTheirLabelsRoot() {
        let classifier = LatentClassifier(labels: 50, seed: 3)
        #expect(Set(classifier.roots).count == 50 && LatentClassifier.maxLabels >= 150)
        var rng = SeededRandom(seed: 4)
        let heads = ["house", "yard", "side", "stone", "work", "keeper", "maker", "smith", "wright", "master", "light", "field", "gate", "ward", "land", "way", "wood", "water", "mark", "fold", "hall", "room", "craft"]
        for label in 0..<50 {
            let text = classifier.text(label: label, &rng).lowercased()
            #expect(text.contains(classifier.roots[label]))
            // No word of the text is a compound of another label's root.
            let words = Set(text.split { !$0.isLetter }.map(String.init))
            for (other, root) in classifier.roots.enumerated() where other != label {
                for head in heads {
                    let compound = root + head
                    #expect(!words.contains(compound) && !words.contains(Morphology.plural(compound)), "\(text) carries \(compound)")
                }
            }
        }
    }
}
