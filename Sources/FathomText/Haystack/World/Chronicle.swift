import FathomCore

/// A long novel of the fictional world, shared by every sample that needs a story: a fixed cast and fixed places,
/// and an endless corpus of narrative sentences about them (paragraphs of 3–8 sentences), chunked and with token
/// counts cached per tokenizer like the essay haystack.
///
/// The narrative never states a planted kind of event: nobody gives anything to anyone, moves, travels to or visits
/// a place, marries, and no sentence has a digit or puts a character in a named place. A sample plants its own
/// events (`Chronicle.Event`) at depths of its choosing, so what a question asks is written only where it is
/// planted, and counting questions ("how many times") are exact.
public enum Chronicle {
    static let seed: UInt64 = 0x4641_5448_4f4d_0c41

    /// The cast: people of the fictional world.
    public static let cast: [FictionalWorld.Entity] = {
        var world = FictionalWorld(seed: deriveSeed(seed, "cast"), people: 24, cities: 12, provinces: 2, organisations: 2, inventions: 0)
        return world.core[.person] ?? []
    }()

    /// The places of the story.
    public static let places: [FictionalWorld.Entity] = {
        let world = FictionalWorld(seed: deriveSeed(seed, "cast"), people: 24, cities: 12, provinces: 2, organisations: 2, inventions: 0)
        return world.core[.city] ?? []
    }()

    /// First name of a cast member.
    public static func firstName(_ person: FictionalWorld.Entity) -> String { String(person.name.split(separator: " ").first ?? "") }

    /// Narrative patterns: `{0}` and `{1}` are characters (full or first names), `{2}` a place. Characters and
    /// places never share a sentence.
    static let characterPatterns: [ProseTemplate] = [
        "{0} {v} the {n} {adv} and said nothing about {idea}.",
        "Later that evening {0} talked with {1} about {idea} and {ns}.",
        "{0} remembered {an} {n} from childhood and smiled.",
        "\u{201C}{idea} is {a},\u{201D} {0} told {1}, {ving} {an} {n}.",
        "{0} and {1} {v} {ns} until the {n} grew {a}.",
        "For a while {0} thought only of {idea}.",
        "{1} laughed at the {n} that {0} had {v}.",
        "{0} kept {an} {n} in a drawer and never spoke of it.",
        "It was {a} work, and {0} did it {adv}.",
        "{0} wrote to {1} about the {ns} and the {a} {n}.",
        "Nobody had seen {0} so {a} since the business with the {n}.",
        "{1} asked {0} whether {idea} mattered, and {0} shrugged.",
        "{0} spent the morning {ving} {ns} and the afternoon {ving} {ns}.",
        "There was {an} {n} on the table, and {0} looked at it for a long time.",
        "{0} had always been {a}, though {1} said {cmp} things about {idea}.",
        "Without a word, {0} {v} {an} {n} and went back to the {n}.",
        "{0} dreamed of {ns} and {a} {ns} that night.",
        "\u{201C}You are {a},\u{201D} said {1}, and {0} did not answer.",
        "{0} folded the {n} {adv}, listening to the {ns} outside.",
        "Halfway through supper {1} mentioned the {a} {n}, and {0} went quiet.",
        "{0} could not forget the {cmp} {n} or the smell of {ns}.",
        "Some mornings {0} sat by the {n} {ving} {ns} until noon.",
        "{1} brought {ns} and {ns}, and {0} pretended to be pleased.",
        "{0} was {a} and {a}, but kind to every {occ}.",
        "Between the {n} and the {n}, {0} found {an} {a} {n}.",
        "{0} argued with {1} about {idea} until the {ns} burned low.",
    ].map(ProseTemplate.init)

    static let placePatterns: [ProseTemplate] = [
        "The {n} of {2} was {a} that {season}, and the {ns} were {a}.",
        "Rain fell on the {ns} of {2} for {num} days.",
        "Nobody in {2} could explain the {a} {n}.",
        "In {2} the {ns} {v} {adv} every {season}.",
        "The people of {2} talked of little but {ns} and {idea}.",
        "A {a} wind came off the {n} and rattled the {ns} of {2}.",
        "Market stalls in {2} sold {ns}, {ns} and {a} {ns}.",
        "The old {occ}s of {2} still {vb} {ns} by hand.",
        "Fog lay over {2} like {an} {a} {n}.",
    ].map(ProseTemplate.init)

    static let plainPatterns: [ProseTemplate] = [
        "The {n} was {a}, and the {ns} were {a}.",
        "Days passed, and the {ns} grew {cmp}.",
        "Somewhere a {n} {v} {adv}.",
        "It was the {season} of {ns} and {a} {ns}.",
        "Nothing about the {n} seemed {a} any more.",
    ].map(ProseTemplate.init)

    /// One narrative sentence.
    static func sentence(_ rng: inout SeededRandom) -> String {
        let roll = rng.below(10)
        if roll < 7 {
            let a = rng.pick(cast)
            var b = rng.pick(cast)
            while b == a { b = rng.pick(cast) }
            let nameA = rng.below(3) == 0 ? a.name : firstName(a)
            let nameB = rng.below(3) == 0 ? b.name : firstName(b)
            return rng.pick(characterPatterns).render(arguments: [nameA, nameB], &rng)
        }
        if roll < 9 { return rng.pick(placePatterns).render(arguments: ["", "", rng.pick(places).name], &rng) }
        return rng.pick(plainPatterns).render(&rng)
    }

    /// The novel: sentences as units with their separators ("\n\n" opens a paragraph), 256 per chunk.
    public static let corpus: Corpus = {
        let perChunk = 256
        return Corpus(fingerprint: "chronicle-v1", needleSeparator: " ", chunkSize: perChunk) { k in
            var rng = SeededRandom(seed: deriveSeed(seed, "chunk \(k)"))
            var units: [String] = []
            units.reserveCapacity(perChunk)
            while units.count < perChunk {
                let length = rng.int(in: 3...8)
                for i in 0..<length where units.count < perChunk { units.append((i == 0 ? "\n\n" : " ") + sentence(&rng)) }
            }
            return units
        }
    }()

    /// An object of the story: "the pewter lantern".
    public static func object(_ rng: inout SeededRandom) -> String { "the " + rng.pick(WordStock.materials) + " " + rng.pick(portables) }

    /// Things one can give.
    public static let portables = WordStock.words("""
        lantern compass kettle box ring knife clock cup bowl bell whistle flute fiddle comb brooch locket pipe spoon jug \
        inkwell thimble candlestick mirror chest basket cane hat shawl scarf belt lamp quill seal medal key pen \
        telescope barometer spindle lute drum
        """)

    static let seasons = ["spring", "summer", "autumn", "winter"]

    /// A planted gift: "In the spring of 1843, Orla Marwick gave the pewter lantern to Corwin Dale in Velarmouth."
    public static func gift(giver: String, object: String, recipient: String, place: String, year: Int, _ rng: inout SeededRandom) -> String {
        let season = rng.pick(seasons)
        switch rng.below(3) {
        case 0: return "In the \(season) of \(year), \(giver) gave \(object) to \(recipient) in \(place)."
        case 1: return "It was in \(place), in the \(season) of \(year), that \(giver) gave \(object) to \(recipient)."
        default: return "\(giver) gave \(object) to \(recipient) in \(place) in \(year)."
        }
    }

    /// A planted move: "In 1843, Orla Marwick moved from Velarmouth to Tormouth."
    public static func move(person: String, from: String, to: String, year: Int, _ rng: inout SeededRandom) -> String {
        switch rng.below(3) {
        case 0: return "In \(year), \(person) moved from \(from) to \(to)."
        case 1: return "\(person) left \(from) for good in \(year) and moved to \(to)."
        default: return "The year \(year) was when \(person) moved from \(from) to \(to)."
        }
    }

    /// A planted visit: "Orla Marwick visited Tormouth."
    public static func visit(person: String, place: String, _ rng: inout SeededRandom) -> String {
        switch rng.below(4) {
        case 0: return "\(person) visited \(place)."
        case 1: return "Once again \(person) travelled to \(place) for a visit."
        case 2: return "That \(rng.pick(seasons)), \(person) paid a visit to \(place)."
        default: return "\(person) went to visit \(place) and came home a week later."
        }
    }

    /// A planted dated event and its short name: a wedding, a fire, a flood, an opening.
    public static func datedEvent(kind: Int, people: [String], place: String, year: Int) -> (sentence: String, name: String) {
        switch kind % 4 {
        case 0: return ("In \(year), \(people[0]) married \(people[1]) in \(place).", "the wedding of \(people[0]) and \(people[1])")
        case 1: return ("A great fire swept through \(place) in \(year).", "the fire in \(place)")
        case 2: return ("The river flooded \(place) in the spring of \(year).", "the flood in \(place)")
        default: return ("In \(year), \(people[0]) opened a shop in \(place).", "the opening of \(people[0])'s shop")
        }
    }
}
