import FathomCore

/// Essay-like English prose for the built-in haystack: varied sentence shapes over `WordStock`'s several thousand
/// word types, paragraphs of 3–7 sentences, about 2,200 distinct words in 7,300 (essay-v1 had 545). Deterministic for a seed; no
/// copyrighted text.
///
/// The words needle keys and values are made of (`Lexicon.adjectives` and `Lexicon.nouns`, "adjective-noun" keys)
/// never occur in it, so a key's words are found in the haystack only where a needle states them.
public struct EssayGenerator: Sendable {
    public init() {}

    /// Sentences of one paragraph.
    public func paragraph(_ rng: inout SeededRandom) -> [String] {
        let count = rng.int(in: 3...7)
        return (0..<count).map { _ in sentence(&rng) }
    }

    /// One sentence, ending with punctuation.
    public func sentence(_ rng: inout SeededRandom) -> String {
        let v = EssayWords.self
        let name = rng.pick(Lexicon.names)
        let place = rng.pick(Lexicon.places)
        let verb = v.verb(&rng)
        let idea = v.idea(&rng)
        switch rng.below(24) {
        case 0: return "\(name) \(verb.past) \(phrase(&rng)) near \(place)."
        case 1: return "\(phrase(&rng, capital: true, singular: true)) was \(v.adjective(&rng)), and nobody in \(place) could say why."
        case 2: return "In \(place), people \(v.adverb(&rng)) \(verb.base) \(phrase(&rng)) before the \(v.noun(&rng)) opens."
        case 3: return "\(capitalized(idea)) is what turns \(phrase(&rng)) into \(phrase(&rng))."
        case 4: return "When \(name) \(verb.past) \(phrase(&rng)), \(rng.pick(Lexicon.names)) \(v.verb(&rng).past) \(phrase(&rng))."
        case 5: return "Most of \(idea) comes from learning to \(verb.base) \(phrase(&rng)) \(v.adverb(&rng))."
        case 6: return "Why would anyone \(verb.base) \(phrase(&rng)) at the edge of \(place)?"
        case 7: return "The \(v.noun(&rng)) of \(place) is \(v.adjective(&rng)), but its \(v.plural(&rng)) are \(v.comparative(&rng)) than they look."
        case 8: return "If you \(verb.base) \(phrase(&rng)) long enough, \(idea) follows."
        case 9: return "\(name) once said that \(idea) matters more than \(v.idea(&rng))."
        case 10: return "There is \(phrase(&rng, singular: true)) behind \(phrase(&rng)), and \(name) \(verb.past) it \(v.adverb(&rng))."
        case 11: return "It took \(rng.int(in: 2...19)) \(rng.pick(["days", "weeks", "seasons", "years"])) to \(verb.base) \(phrase(&rng)) in \(place)."
        case 12: return "\(capitalized(v.adverb(&rng))), \(name) \(verb.past) \(phrase(&rng)) and wrote about \(idea)."
        case 13: return "Nobody \(verb.past) \(phrase(&rng, singular: true)); it simply became \(v.adjective(&rng))."
        case 14: return "The lesson of \(place) is that \(idea) rewards those who \(verb.base) \(phrase(&rng))."
        case 15: return "\(phrase(&rng, capital: true)) and \(phrase(&rng)) are \(v.adverb(&rng)) \(v.adjective(&rng)) in \(rng.pick(["the dry months", "the wet months", "the rains", "the long nights"]))."
        case 16: return "Anyone \(verb.gerund) \(phrase(&rng)) soon learns that \(v.plural(&rng)) and \(v.plural(&rng)) are not the same."
        case 17: return "\(name) kept \(phrase(&rng)), \(phrase(&rng)) and \(phrase(&rng)) in a room above the \(v.noun(&rng))."
        case 18: return "\(capitalized(v.occupation(&rng)))s in \(place) \(verb.base) \(v.plural(&rng)) with more \(idea) than \(v.idea(&rng))."
        case 19: return "Some say the \(v.noun(&rng)) that \(name) \(verb.past) was \(v.comparative(&rng)) than any \(v.noun(&rng)) in \(place)."
        case 20: return "\(capitalized(verb.gerund)) \(v.plural(&rng)) is \(v.adjective(&rng)) work, and \(idea) is its only \(v.noun(&rng))."
        case 21: return "Between the \(v.noun(&rng)) and the \(v.noun(&rng)) lay \(v.plural(&rng)) made of \(v.material(&rng))."
        case 22: return "\(name) \(verb.third) \(v.plural(&rng)) every \(rng.pick(["day", "week", "month", "year"])), \(v.adverb(&rng)) and without \(v.idea(&rng))."
        default: return "A \(v.occupation(&rng)) from \(place) \(verb.past) \(phrase(&rng)) and called it \(idea)."
        }
    }

    /// A noun phrase: "the unsteady furnacekeeper", "an idle cask", "every bellow", "those carved gables", "tin cups"
    /// (plural ones only when `singular` is false).
    private func phrase(_ rng: inout SeededRandom, capital: Bool = false, singular: Bool = false) -> String {
        let v = EssayWords.self
        let text: String
        switch rng.below(singular ? 4 : 6) {
        case 0: text = "the \(v.noun(&rng))"
        case 1: text = "the \(v.adjective(&rng)) \(v.noun(&rng))"
        case 2: text = article(v.adjective(&rng)) + " " + v.noun(&rng)
        case 3: text = "every \(v.noun(&rng))"
        case 4: text = "those \(v.adjective(&rng)) \(v.plural(&rng))"
        default: text = "\(v.material(&rng)) \(v.plural(&rng))"
        }
        return capital ? capitalized(text) : text
    }

    private func article(_ word: String) -> String {
        (word.first.map { "aeiou".contains($0) } ?? false) ? "an " + word : "a " + word
    }

    private func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}

/// `WordStock` without the words needle keys and values are made of.
enum EssayWords {
    /// The words of "adjective-noun" needle keys: never in the essay.
    static let keyWords: Set<String> = Set(Lexicon.adjectives + Lexicon.nouns)

    private static func allowed(_ words: [String]) -> [String] { words.filter { !keyWords.contains($0) } }

    static let nouns: [String] = allowed(WordStock.nouns)
    static let plurals: [String] = allowed(nouns.map(Morphology.plural))
    static let adjectives: [String] = allowed(WordStock.adjectiveRoots + WordStock.derivedAdjectives)
    static let comparatives: [String] = allowed(WordStock.comparatives)
    static let adverbs: [String] = allowed(WordStock.adverbs)
    static let ideas: [String] = allowed(WordStock.abstractNouns)
    static let occupations: [String] = allowed(WordStock.occupations)
    static let materials: [String] = allowed(WordStock.materials)
    static let verbs: [(base: String, third: String, past: String, gerund: String)] = WordStock.verbRoots.compactMap { root in
        let forms = (root.base, Morphology.thirdPerson(root.base), root.past, Morphology.gerund(root.base))
        return [forms.0, forms.1, forms.2, forms.3].contains(where: keyWords.contains) ? nil : forms
    }

    static func noun(_ rng: inout SeededRandom) -> String { rng.pick(nouns) }
    static func plural(_ rng: inout SeededRandom) -> String { rng.pick(plurals) }
    static func adjective(_ rng: inout SeededRandom) -> String { rng.pick(adjectives) }
    static func comparative(_ rng: inout SeededRandom) -> String { rng.pick(comparatives) }
    static func adverb(_ rng: inout SeededRandom) -> String { rng.pick(adverbs) }
    static func idea(_ rng: inout SeededRandom) -> String { rng.pick(ideas) }
    static func occupation(_ rng: inout SeededRandom) -> String { rng.pick(occupations) }
    static func material(_ rng: inout SeededRandom) -> String { rng.pick(materials) }
    static func verb(_ rng: inout SeededRandom) -> (base: String, third: String, past: String, gerund: String) { rng.pick(verbs) }
}
