import FathomCore

/// Essay-like English prose from a small grammar over `Lexicon`: varied sentence shapes, paragraphs of 3–7
/// sentences. Deterministic for a seed; no copyrighted text.
public struct EssayGenerator: Sendable {
    public init() {}

    /// Sentences of one paragraph.
    public func paragraph(_ rng: inout SeededRandom) -> [String] {
        let count = rng.int(in: 3...7)
        return (0..<count).map { _ in sentence(&rng) }
    }

    private func nounPhrase(_ rng: inout SeededRandom, capital: Bool = false) -> String {
        let noun = rng.pick(Lexicon.nouns)
        let phrase: String
        switch rng.below(4) {
        case 0: phrase = "the \(noun)"
        case 1: phrase = "the \(rng.pick(Lexicon.adjectives)) \(noun)"
        case 2: phrase = "a \(rng.pick(Lexicon.adjectives)) \(noun)"
        default: phrase = "every \(noun)"
        }
        return capital ? capitalized(phrase) : phrase
    }

    private func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// One sentence, ending with punctuation.
    public func sentence(_ rng: inout SeededRandom) -> String {
        let name = rng.pick(Lexicon.names)
        let place = rng.pick(Lexicon.places)
        let verb = rng.pick(Lexicon.verbs)
        let idea = rng.pick(Lexicon.ideas)
        let adverb = rng.pick(Lexicon.adverbs)
        let adjective = rng.pick(Lexicon.adjectives)
        switch rng.below(16) {
        case 0: return "\(name) \(verb.1) \(nounPhrase(&rng)) near \(place)."
        case 1: return "\(nounPhrase(&rng, capital: true)) was \(adjective), and nobody in \(place) could say why."
        case 2: return "In \(place), people \(adverb) \(verb.0) \(nounPhrase(&rng)) before the \(rng.pick(Lexicon.nouns)) opens."
        case 3: return "\(capitalized(idea)) is what turns \(nounPhrase(&rng)) into \(nounPhrase(&rng))."
        case 4: return "When \(name) \(verb.1) \(nounPhrase(&rng)), \(rng.pick(Lexicon.names)) \(rng.pick(Lexicon.verbs).1) \(nounPhrase(&rng))."
        case 5: return "Most of \(idea) comes from learning to \(verb.0) \(nounPhrase(&rng)) \(adverb)."
        case 6: return "Why would anyone \(verb.0) \(nounPhrase(&rng)) at the edge of \(place)?"
        case 7: return "The \(rng.pick(Lexicon.nouns)) of \(place) is \(adjective), but the \(rng.pick(Lexicon.nouns)) is \(rng.pick(Lexicon.adjectives))."
        case 8: return "If you \(verb.0) \(nounPhrase(&rng)) long enough, \(idea) follows."
        case 9: return "\(name) once said that \(idea) matters more than \(rng.pick(Lexicon.ideas))."
        case 10: return "There is a \(adjective) \(rng.pick(Lexicon.nouns)) behind \(nounPhrase(&rng)), and \(name) \(verb.1) it \(adverb)."
        case 11: return "It took \(rng.int(in: 2...19)) \(rng.pick(["days", "weeks", "seasons", "years"])) to \(verb.0) \(nounPhrase(&rng)) in \(place)."
        case 12: return "\(capitalized(adverb)), \(name) \(verb.1) \(nounPhrase(&rng)) and wrote about \(idea)."
        case 13: return "Nobody \(verb.1) \(nounPhrase(&rng)); it simply became \(adjective)."
        case 14: return "The lesson of \(place) is that \(idea) rewards those who \(verb.0) \(nounPhrase(&rng))."
        default: return "\(nounPhrase(&rng, capital: true)) and \(nounPhrase(&rng)) are \(adverb) \(adjective) in \(rng.pick(["spring", "summer", "autumn", "winter"]))."
        }
    }
}
