import FathomCore
import Foundation

/// A seeded fictional world: invented people, cities, provinces, organisations and inventions tied together by
/// functional facts (birthplace, employer, founding year, headquarters, founder, inventor, province, mayor), and
/// rendered as short encyclopedic documents (a title and 3–8 sentences, facts mixed with filler).
///
/// Every name is coined here from syllables, so no answer can be known without the documents. The same seed gives
/// the same world; all randomness comes from `SeededRandom`. The world has a small *core* (the entities questions
/// are about, mentioned again and again) and an open *periphery*: `peripheralDocument` coins new subjects on the
/// fly whose facts point at core and at new entities. Names are unique (case-insensitively) within a world.
public struct FictionalWorld: Sendable {
    /// What an entity is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case person, city, province, organisation, invention, year
        /// Kinds of the richer world (`FictionalWorld.Atlas`); never drawn by the core world's own streams.
        case event, product
    }

    /// A named thing of the world.
    public struct Entity: Sendable, Hashable {
        public let kind: Kind
        /// The bare name, as an answer (no article): "Alden Marwick", "Orvell Foundry", "1742".
        public let name: String
        public init(kind: Kind, name: String) {
            self.kind = kind
            self.name = name
        }
        /// Organisations and inventions take "the" in running text.
        public var takesArticle: Bool { kind == .organisation || kind == .invention || kind == .event || kind == .product }
        /// The name in running text: "the Orvell Foundry".
        public var phrase: String { takesArticle ? "the " + name : name }
    }

    /// A functional relation: each subject has at most one object.
    public enum Relation: String, Sendable, Hashable, CaseIterable {
        case bornIn = "born_in"
        case worksFor = "works_for"
        case foundedIn = "founded_in"
        case headquarteredIn = "headquartered_in"
        case foundedBy = "founded_by"
        case inventedBy = "invented_by"
        case locatedIn = "located_in"
        case mayor

        /// The kind of entity the relation is about.
        public var subjectKind: Kind {
            switch self {
            case .bornIn, .worksFor: .person
            case .foundedIn, .headquarteredIn, .foundedBy: .organisation
            case .inventedBy: .invention
            case .locatedIn, .mayor: .city
            }
        }

        /// The kind of entity the relation points at.
        public var objectKind: Kind {
            switch self {
            case .bornIn, .headquarteredIn: .city
            case .worksFor: .organisation
            case .foundedIn: .year
            case .foundedBy, .inventedBy, .mayor: .person
            case .locatedIn: .province
            }
        }

        /// Sentence templates; `{S}` is the subject's phrase, `{O}` the object's.
        var templates: [String] {
            switch self {
            case .bornIn: ["{S} was born in {O}.", "{S} was born in the city of {O}.", "Records show that {S} was born in {O}."]
            case .worksFor: ["{S} works for {O}.", "{S} is employed by {O}.", "For many years {S} has worked for {O}."]
            case .foundedIn: ["{S} was founded in {O}.", "{S} was established in the year {O}."]
            case .headquarteredIn: ["{S} has its headquarters in {O}.", "{S} is headquartered in {O}.", "The headquarters of {S} are in {O}."]
            case .foundedBy: ["{S} was founded by {O}.", "{O} founded {S}.", "The founder of {S} was {O}."]
            case .inventedBy: ["{S} was invented by {O}.", "{O} invented {S}.", "The inventor of {S} was {O}."]
            case .locatedIn: ["{S} lies in the province of {O}.", "{S} is a city in the province of {O}."]
            case .mayor: ["The mayor of {S} is {O}.", "{O} serves as the mayor of {S}."]
            }
        }
    }

    /// One fact: `relation(subject) = object`.
    public struct Fact: Sendable, Hashable {
        public let subject: Entity
        public let relation: Relation
        public let object: Entity
        public init(subject: Entity, relation: Relation, object: Entity) {
            self.subject = subject
            self.relation = relation
            self.object = object
        }
    }

    /// A (subject, relation) pair: which fact, whatever its object.
    public struct Slot: Sendable, Hashable {
        public let subject: Entity
        public let relation: Relation
        public init(_ subject: Entity, _ relation: Relation) {
            self.subject = subject
            self.relation = relation
        }
    }

    /// A short encyclopedic document: a title line and sentences.
    public struct Document: Sendable, Hashable {
        public var title: String
        public var sentences: [String]
        public init(title: String, sentences: [String]) {
            self.title = title
            self.sentences = sentences
        }
        /// The title, a newline, then the first `count` sentences (all by default) separated by spaces.
        public func text(sentences count: Int? = nil) -> String {
            title + "\n" + sentences.prefix(count ?? sentences.count).joined(separator: " ")
        }
    }

    /// Core entities by kind, in creation order.
    public private(set) var core: [Kind: [Entity]] = [:]
    private var facts: [Slot: Entity] = [:]
    private var names: Set<String> = []

    /// Kinds that documents are written about (provinces and years only appear as objects).
    public static let documentKinds: [Kind] = [.person, .city, .organisation, .invention]

    /// A world with the given numbers of core entities; every core subject gets every relation its kind has,
    /// pointing at core objects.
    public init(seed: UInt64, people: Int = 10, cities: Int = 6, provinces: Int = 3, organisations: Int = 6, inventions: Int = 5) {
        precondition(people > 0 && cities > 0 && provinces > 0 && organisations > 0, "a world needs every kind")
        var rng = SeededRandom(seed: seed)
        for (kind, count) in [(Kind.person, people), (.city, cities), (.province, provinces), (.organisation, organisations), (.invention, inventions)] {
            core[kind] = (0..<count).map { _ in coin(kind, &rng) }
        }
        for relation in Relation.allCases {
            for subject in core[relation.subjectKind] ?? [] {
                facts[Slot(subject, relation)] = relation.objectKind == .year ? Self.year(&rng) : rng.pick(core[relation.objectKind]!)
            }
        }
    }

    // MARK: Facts

    /// The object of `relation` for `subject`, if the world has that fact.
    public func object(of subject: Entity, _ relation: Relation) -> Entity? { facts[Slot(subject, relation)] }

    /// Sets (or replaces) a fact.
    public mutating func set(_ subject: Entity, _ relation: Relation, _ object: Entity) {
        precondition(subject.kind == relation.subjectKind && object.kind == relation.objectKind, "\(relation) does not relate \(subject.kind) to \(object.kind)")
        facts[Slot(subject, relation)] = object
    }

    /// Every fact whose subject is `subject`, in `Relation.allCases` order.
    public func facts(about subject: Entity) -> [Fact] {
        Relation.allCases.compactMap { r in facts[Slot(subject, r)].map { Fact(subject: subject, relation: r, object: $0) } }
    }

    /// Whether `name` (case-insensitively) is already taken in this world.
    public func isTaken(_ name: String) -> Bool { names.contains(name.lowercased()) }

    /// Names of every core entity.
    public var coreNames: [String] { Kind.allCases.flatMap { (core[$0] ?? []).map(\.name) } }

    // MARK: Names

    static let onsets = """
        Al Bel Cor Dar El Fen Gal Har Is Jor Kel Lor Mar Nor Or Pel Quen Ros Sel Tam Ul Vel Wyn Yar Zor Bran Cal Dun \
        Ev Hal Ith Mor Tor Ash Brun Cres Drav Ferr Gorm Hew Lanth Mav Ost Rud Sev Thal Ved Wil
        """.split(separator: " ").map(String.init)
    static let links = ["a", "e", "i", "o", "an", "en", "in", "on", "ar", "er", "or", "ul"]
    static let surnameEndings = ["wick", "more", "dale", "ton", "ley", "hurst", "wright", "stead", "well", "croft", "mont", "vane", "row", "ash"]
    static let cityEndings = ["haven", "mouth", "bury", "holm", "port", "gate", "field", "crest", "mere", "thorpe", "water", "fell", "bridge", "stow"]
    static let provinceEndings = ["mark", "land", "shire", "vale", "reach", "moor", "march", "downs"]
    static let organisationTypes = [
        "Institute", "Foundry", "Glassworks", "Shipping Company", "Trading House", "Academy", "Observatory", "Printing House",
        "Ropeworks", "Savings Bank", "Railway Company", "Mapmakers Guild", "Clockworks", "Botanical Society", "Mining Company",
        "Weaving Mill", "Conservatory", "Lens Company",
    ]
    static let devices = [
        "loom", "lamp", "pump", "compass", "sextant", "kiln", "barometer", "engine", "lens", "chronometer", "seed drill",
        "telegraph", "bellows", "winch", "printing press", "water clock", "diving bell", "spinning frame",
    ]
    static let givenNames = Lexicon.names + """
        Aurel Bastian Cosima Dorian Edda Fabian Gisela Hector Ilse Jasper Katrin Leopold Magda Nikolai Ottilie Piers \
        Roswitha Severin Thea Urban Valeska Wendel Xenia Yvo Zora Ambrose Clemence Evander Honora Lucan
        """.split(separator: " ").map(String.init)

    /// A coined root such as "Velar" or "Tormo".
    static func root(_ rng: inout SeededRandom) -> String { rng.pick(onsets) + rng.pick(links) }

    /// A year of the world's history (years are never unique; they are objects only).
    static func year(_ rng: inout SeededRandom) -> Entity { Entity(kind: .year, name: String(rng.int(in: 1620...1939))) }

    /// A new entity of `kind` whose name no other entity of this world has. Not added to the core.
    public mutating func coin(_ kind: Kind, _ rng: inout SeededRandom) -> Entity {
        if kind == .year { return Self.year(&rng) }
        while true {
            let name: String
            switch kind {
            case .person: name = rng.pick(Self.givenNames) + " " + Self.root(&rng) + rng.pick(Self.surnameEndings)
            case .city: name = Self.root(&rng) + rng.pick(Self.cityEndings)
            case .province: name = Self.root(&rng) + rng.pick(Self.provinceEndings)
            case .organisation:
                let base = rng.below(2) == 0 ? Self.root(&rng) + rng.pick(Self.surnameEndings) : Self.root(&rng) + "ia"
                name = base + " " + rng.pick(Self.organisationTypes)
            case .invention: name = Self.root(&rng) + rng.pick(["", "n", "s"]) + " " + rng.pick(Self.devices)
            case .event: name = Self.root(&rng) + rng.pick(["", "", "mere", "dale", "ford"]) + " " + rng.pick(Self.eventTypes)
            case .product: name = Self.brand(&rng) + " " + rng.pick(Self.productTypes)
            case .year: fatalError("unreachable")
            }
            if names.insert(name.lowercased()).inserted { return Entity(kind: kind, name: name) }
        }
    }

    // MARK: Sentences

    /// The fact as one sentence (a seeded choice among phrasings).
    public func sentence(_ fact: Fact, _ rng: inout SeededRandom) -> String {
        let template = rng.pick(fact.relation.templates)
        return Self.capitalizedFirst(template.replacingOccurrences(of: "{S}", with: fact.subject.phrase).replacingOccurrences(of: "{O}", with: fact.object.phrase))
    }

    static func capitalizedFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    static func indefinite(_ word: String) -> String { (word.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + word }

    /// Filler templates by kind: `{S}` is the subject's phrase; the other slots take Lexicon words.
    static func fillerTemplates(_ kind: Kind) -> [String] {
        switch kind {
        case .person:
            [
                "{S} was known for a lasting interest in {idea}.", "Colleagues described {S} as {adj} and {adj2}.",
                "For many years {S} kept {a-adj} {noun} on a shelf at home.", "In later life {S} wrote short essays on {idea} and {idea2}.",
                "Letters written by {S} often mention {a-adj} {noun}.", "{S} rarely spoke in public about {idea}.",
                "Friends remembered {S} as {adj} but never {adj2}.", "{S} once gave a talk on {idea} that was later printed.",
                "A portrait of {S} shows {a-adj} {noun} in the background.", "{S} believed that {idea} mattered more than {idea2}.",
            ]
        case .city:
            [
                "{S} is known for {a-adj} {noun} near its old market.", "Travellers often describe {S} as {adj} in {season}.",
                "The main square of {S} has {a-adj} {noun} at its centre.", "Every {season}, {S} holds a small fair devoted to {idea}.",
                "Much of {S} was rebuilt after {a-adj} storm.", "The streets of {S} are {adj} and {adj2}.",
                "Visitors to {S} are usually shown its {adj} {noun}.", "The people of {S} are said to value {idea} above all.",
                "{a-adj} {noun} stands at the edge of {S}.", "Local songs from {S} are mostly about {idea}.",
            ]
        case .organisation:
            [
                "{S} keeps its archive in {a-adj} {noun}.", "Members of {S} meet every {season} to discuss {idea}.",
                "{S} publishes a modest bulletin on {idea}.", "The emblem of {S} shows {a-adj} {noun}.",
                "{S} is often praised for its {adj} approach to {idea}.", "Apprentices at {S} learn {idea} before anything else.",
                "The rules of {S} are {adj} and rarely changed.", "Each {season}, {S} awards a prize for {idea}.",
                "Critics of {S} call it {adj} and {adj2}.",
            ]
        case .invention:
            [
                "{S} was first shown at {a-adj} fair in {season}.", "Early models of {S} were {adj} and {adj2}.",
                "{S} depends on {a-adj} {noun} to work properly.", "Few early examples of {S} survive today.",
                "Critics called {S} {adj} at first.", "A working copy of {S} is said to be kept in {a-adj} {noun}.",
                "Using {S} well takes {idea} and {idea2}.", "Later versions of {S} were {adj} but less {adj2}.",
                "Some say {S} owes its shape to {a-adj} {noun}.",
            ]
        case .province, .year, .event, .product:
            ["Little else about {S} is recorded in the surviving sources."]
        }
    }

    /// A sentence about `subject` that states no fact: no coined names but the subject's, no digits.
    public func filler(about subject: Entity, _ rng: inout SeededRandom) -> String {
        fill(rng.pick(Self.fillerTemplates(subject.kind)), subject: subject, &rng)
    }

    private func fill(_ template: String, subject: Entity, _ rng: inout SeededRandom) -> String {
        let adjective = rng.pick(Lexicon.adjectives)
        var text = template
        for (key, value) in [
            ("{S}", subject.phrase), ("{a-adj}", Self.indefinite(adjective)), ("{adj}", adjective),
            ("{adj2}", rng.pick(Lexicon.adjectives)), ("{noun}", rng.pick(Lexicon.nouns)), ("{idea2}", rng.pick(Lexicon.ideas)),
            ("{idea}", rng.pick(Lexicon.ideas)), ("{season}", rng.pick(["spring", "summer", "autumn", "winter"])),
        ] {
            text = text.replacingOccurrences(of: key, with: value)
        }
        return Self.capitalizedFirst(text)
    }

    // MARK: Documents

    /// A document titled with `subject`'s name: the given facts (each one sentence) mixed with filler of distinct
    /// templates, `sentences` sentences in all (at least one per fact, at most as many as there are templates), in a
    /// seeded order.
    public func document(about subject: Entity, facts: [Fact], sentences: Int, _ rng: inout SeededRandom) -> Document {
        var lines = facts.map { sentence($0, &rng) }
        let templates = Self.fillerTemplates(subject.kind)
        let fillers = max(0, min(sentences - lines.count, templates.count))
        for t in rng.sampleIndices(templates.count, fillers) { lines.append(fill(templates[t], subject: subject, &rng)) }
        rng.shuffle(&lines)
        return Document(title: subject.name, sentences: lines)
    }

    /// A document about a random core subject: up to three of its facts outside `excluded`, and filler
    /// (3–8 sentences). With `focus` non-empty, the subject is drawn from `focus` instead.
    public func coreDocument(_ rng: inout SeededRandom, excluding excluded: Set<Slot>, focus: [Entity] = []) -> Document {
        let subject: Entity
        if focus.isEmpty {
            let kinds = Self.documentKinds.filter { !(core[$0] ?? []).isEmpty }
            let kind = rng.pick(kinds)
            subject = rng.pick(core[kind]!)
        } else {
            subject = rng.pick(focus)
        }
        var available = facts(about: subject).filter { !excluded.contains(Slot($0.subject, $0.relation)) }
        rng.shuffle(&available)
        let count = available.isEmpty ? 0 : rng.int(in: 1...min(3, available.count))
        return document(about: subject, facts: Array(available.prefix(count)), sentences: rng.int(in: 3...8), &rng)
    }

    /// A document about a newly coined subject whose facts point at core entities or at other new ones (3–8
    /// sentences, at least one fact). The new entities join the world's names but not its core.
    public mutating func peripheralDocument(_ rng: inout SeededRandom) -> Document {
        let subject = coin(rng.pick(Self.documentKinds), &rng)
        var made: [Fact] = []
        for relation in Relation.allCases where relation.subjectKind == subject.kind {
            let kind = relation.objectKind
            let object: Entity
            if kind != .year, let pool = core[kind], !pool.isEmpty, rng.below(5) < 3 {
                object = rng.pick(pool)
            } else {
                object = coin(kind, &rng)
            }
            made.append(Fact(subject: subject, relation: relation, object: object))
        }
        rng.shuffle(&made)
        let count = rng.int(in: 1...made.count)
        return document(about: subject, facts: Array(made.prefix(count)), sentences: rng.int(in: 3...8), &rng)
    }
}
