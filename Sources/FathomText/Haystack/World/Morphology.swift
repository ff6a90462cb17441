/// Regular English inflection and derivation, enough to grow small root lists into a large vocabulary: plurals,
/// verb forms, agent nouns, adverbs, comparatives and abstract nouns. Irregular forms are given with the roots
/// (`WordStock`); everything here is rule-based and deterministic.
public enum Morphology {
    static let vowels: Set<Character> = ["a", "e", "i", "o", "u"]

    static func isVowel(_ c: Character) -> Bool { vowels.contains(c) }

    /// Nouns whose plural is irregular.
    static let irregularPlurals: [String: String] = [
        "child": "children", "man": "men", "woman": "women", "foot": "feet", "tooth": "teeth", "mouse": "mice",
        "goose": "geese", "ox": "oxen", "leaf": "leaves", "knife": "knives", "wife": "wives", "wolf": "wolves",
        "shelf": "shelves", "loaf": "loaves", "half": "halves", "calf": "calves", "thief": "thieves", "sheep": "sheep",
        "deer": "deer", "fish": "fish", "person": "people", "series": "series", "scarf": "scarves", "hoof": "hooves",
    ]

    /// The irregular nouns that compounds may end with (four letters or more), with their lengths, in a fixed order.
    static let irregularHeads: [(head: String, form: String, count: Int)] = irregularPlurals.filter { $0.key.count >= 4 }
        .sorted { $0.key < $1.key }.map { ($0.key, $0.value, $0.key.count) }

    /// The plural of a noun (compounds inflect their last part: "lanternkeeper" → "lanternkeepers").
    public static func plural(_ noun: String) -> String {
        if let irregular = irregularPlurals[noun] { return irregular }
        let count = noun.count
        if noun.hasSuffix("man"), count > 4 { return String(noun.dropLast(3)) + "men" }
        for (head, form, headCount) in irregularHeads where count > headCount + 2 && noun.hasSuffix(head) {
            return String(noun.dropLast(headCount)) + form
        }
        if noun.hasSuffix("s") || noun.hasSuffix("x") || noun.hasSuffix("z") || noun.hasSuffix("ch") || noun.hasSuffix("sh") {
            return noun + "es"
        }
        if noun.hasSuffix("y"), noun.count > 1, !isVowel(noun[noun.index(noun.endIndex, offsetBy: -2)]) {
            return String(noun.dropLast()) + "ies"
        }
        return noun + "s"
    }

    /// Whether a verb doubles its final consonant before -ed/-ing/-er: one vowel group ending consonant–vowel–
    /// consonant ("plan" → "planned"), never after w, x or y.
    static func doublesFinal(_ verb: String) -> Bool {
        let chars = Array(verb)
        guard chars.count >= 3, let last = chars.last, !isVowel(last), !"wxy".contains(last) else { return false }
        guard isVowel(chars[chars.count - 2]), !isVowel(chars[chars.count - 3]) else { return false }
        var groups = 0
        var inVowel = false
        for c in chars {
            let v = isVowel(c)
            if v && !inVowel { groups += 1 }
            inVowel = v
        }
        return groups == 1
    }

    /// The stem before a vowel suffix: drops a silent final e, doubles a final consonant when the rule says so.
    static func stemBeforeVowelSuffix(_ verb: String) -> String {
        if verb.hasSuffix("ee") || verb.hasSuffix("ye") || verb.hasSuffix("oe") { return verb }
        if verb.hasSuffix("e") { return String(verb.dropLast()) }
        if doublesFinal(verb) { return verb + String(verb.last!) }
        return verb
    }

    /// The third person singular present: "carry" → "carries", "watch" → "watches".
    public static func thirdPerson(_ verb: String) -> String {
        if verb == "have" { return "has" }
        if verb == "be" { return "is" }
        return plural(verb)
    }

    /// The regular past: "carry" → "carried", "plan" → "planned", "mend" → "mended".
    public static func regularPast(_ verb: String) -> String {
        if verb.hasSuffix("e") { return verb + "d" }
        if verb.hasSuffix("y"), verb.count > 1, !isVowel(verb[verb.index(verb.endIndex, offsetBy: -2)]) {
            return String(verb.dropLast()) + "ied"
        }
        return stemBeforeVowelSuffix(verb) + "ed"
    }

    /// The -ing form: "make" → "making", "plan" → "planning", "see" → "seeing".
    public static func gerund(_ verb: String) -> String {
        if verb.hasSuffix("ie") { return String(verb.dropLast(2)) + "ying" }
        return stemBeforeVowelSuffix(verb) + "ing"
    }

    /// The agent noun: "build" → "builder", "carry" → "carrier", "plan" → "planner".
    public static func agent(_ verb: String) -> String {
        if verb.hasSuffix("e") { return verb + "r" }
        if verb.hasSuffix("y"), verb.count > 1, !isVowel(verb[verb.index(verb.endIndex, offsetBy: -2)]) {
            return String(verb.dropLast()) + "ier"
        }
        return stemBeforeVowelSuffix(verb) + "er"
    }

    /// The adverb of an adjective: "quiet" → "quietly", "busy" → "busily", "gentle" → "gently", "civic" → "civically".
    public static func adverb(_ adjective: String) -> String {
        if adjective.hasSuffix("ly") { return adjective }
        if adjective.hasSuffix("le"), adjective.count > 3 { return String(adjective.dropLast()) + "y" }
        if adjective.hasSuffix("y"), adjective.count > 2 { return String(adjective.dropLast()) + "ily" }
        if adjective.hasSuffix("ic") { return adjective + "ally" }
        if adjective.hasSuffix("ll") { return adjective + "y" }
        return adjective + "ly"
    }

    /// The abstract noun in -ness: "quiet" → "quietness", "steady" → "steadiness".
    public static func ness(_ adjective: String) -> String {
        if adjective.hasSuffix("y"), adjective.count > 2, !isVowel(adjective[adjective.index(adjective.endIndex, offsetBy: -2)]) {
            return String(adjective.dropLast()) + "iness"
        }
        return adjective + "ness"
    }

    /// The comparative of a short adjective: "calm" → "calmer", "wide" → "wider", "busy" → "busier", "flat" →
    /// "flatter"; nil for adjectives that take "more".
    public static func comparative(_ adjective: String) -> String? {
        let syllables = vowelGroups(adjective)
        if syllables == 1 {
            if adjective.hasSuffix("e") { return adjective + "r" }
            return stemBeforeVowelSuffix(adjective) + "er"
        }
        if syllables == 2, adjective.hasSuffix("y"), !isVowel(adjective[adjective.index(adjective.endIndex, offsetBy: -2)]) {
            return String(adjective.dropLast()) + "ier"
        }
        return nil
    }

    static func vowelGroups(_ word: String) -> Int {
        var groups = 0
        var inVowel = false
        for c in word {
            let v = isVowel(c) || c == "y"
            if v && !inVowel { groups += 1 }
            inVowel = v
        }
        if word.hasSuffix("e"), !word.hasSuffix("le"), groups > 1 { groups -= 1 }
        return max(1, groups)
    }
}
