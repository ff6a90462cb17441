import FathomCore

extension FictionalWorld {
    /// The value of an attribute: its text as an answer ("Orvell Foundry", "1742", "48,213") and, for entity
    /// values, the entity.
    public struct Value: Sendable, Hashable {
        public let text: String
        public let entity: Entity?
        public init(text: String, entity: Entity? = nil) {
            self.text = text
            self.entity = entity
        }
        public init(_ entity: Entity) {
            text = entity.name
            self.entity = entity
        }
        /// The value in running text: "the Orvell Foundry".
        public var phrase: String { entity?.phrase ?? text }
    }

    /// One fact of the richer world: `attribute(subject) = value`.
    public struct AtlasFact: Sendable, Hashable, CustomStringConvertible {
        public let subject: Entity
        public let attribute: Attribute
        public let value: Value
        public init(subject: Entity, attribute: Attribute, value: Value) {
            self.subject = subject
            self.attribute = attribute
            self.value = value
        }
        /// Which fact, whatever its value.
        public var slot: AtlasSlot { AtlasSlot(subject: subject.name, attribute: attribute.id) }
        public var description: String { "\(attribute.id)(\(subject.name)) = \(value.text)" }
    }

    /// A (subject, attribute) pair, by name and id.
    public struct AtlasSlot: Sendable, Hashable, Codable {
        public let subject: String
        public let attribute: String
        public init(subject: String, attribute: String) {
            self.subject = subject
            self.attribute = attribute
        }
    }

    /// The richer world: people, cities, organisations, events and products with typed attributes (`attributes`),
    /// built on a `FictionalWorld` that coins every name and supplies the facts its own relations already have
    /// (birthplace, employer, founder, headquarters, province, mayor, founding year).
    ///
    /// A small *core* of entities per kind is made at `init`; values are made lazily and per (subject, attribute)
    /// from the atlas seed, so they do not depend on the order in which they are asked for. Entity values point
    /// at core entities. New (peripheral) entities are coined on demand, in the caller's order. A sample may
    /// overwrite a fact (`set`) to plant its question's answer.
    public struct Atlas: Sendable {
        public private(set) var world: FictionalWorld
        /// Core entities by kind.
        public private(set) var core: [Kind: [Entity]]
        private var values: [AtlasSlot: Value] = [:]
        private let seed: UInt64

        /// The base world's relations behind some attributes.
        static let baseRelations: [String: Relation] = [
            "person.born_in": .bornIn, "person.employer": .worksFor, "organisation.founded": .foundedIn,
            "organisation.headquarters": .headquarteredIn, "organisation.founder": .foundedBy, "city.province": .locatedIn,
            "city.mayor": .mayor,
        ]

        public init(seed: UInt64, people: Int = 36, cities: Int = 12, provinces: Int = 5, organisations: Int = 14, events: Int = 10, products: Int = 10) {
            self.seed = seed
            var world = FictionalWorld(
                seed: deriveSeed(seed, "atlas base"), people: people, cities: cities, provinces: provinces, organisations: organisations,
                inventions: 0)
            var rng = SeededRandom(seed: deriveSeed(seed, "atlas core"))
            var core: [Kind: [Entity]] = [:]
            for kind in [Kind.person, .city, .province, .organisation] { core[kind] = world.core[kind] ?? [] }
            core[.event] = (0..<events).map { _ in world.coin(.event, &rng) }
            core[.product] = (0..<products).map { _ in world.coin(.product, &rng) }
            self.world = world
            self.core = core
        }

        /// A new entity of `kind` whose name no other entity has (not added to the core).
        public mutating func coin(_ kind: Kind, _ rng: inout SeededRandom) -> Entity { world.coin(kind, &rng) }

        /// Whether `name` is taken (case-insensitively).
        public func isTaken(_ name: String) -> Bool { world.isTaken(name) }

        /// The value of `attribute` for `subject`, made on first use.
        public mutating func value(of subject: Entity, _ attribute: Attribute) -> Value {
            let slot = AtlasSlot(subject: subject.name, attribute: attribute.id)
            if let known = values[slot] { return known }
            let made = makeValue(subject, attribute)
            values[slot] = made
            return made
        }

        /// The fact `attribute(subject)`.
        public mutating func fact(_ subject: Entity, _ attribute: Attribute) -> AtlasFact {
            AtlasFact(subject: subject, attribute: attribute, value: value(of: subject, attribute))
        }

        /// Sets (or replaces) a value.
        public mutating func set(_ subject: Entity, _ attribute: Attribute, _ value: Value) {
            precondition(subject.kind == attribute.subject, "\(attribute.id) is not an attribute of a \(subject.kind)")
            values[AtlasSlot(subject: subject.name, attribute: attribute.id)] = value
        }

        private func makeValue(_ subject: Entity, _ attribute: Attribute) -> Value {
            if let relation = Self.baseRelations[attribute.id], let object = world.object(of: subject, relation) {
                return object.kind == .year ? Value(text: object.name) : Value(object)
            }
            var rng = SeededRandom(seed: seed ^ WordStock.fnv1a(subject.name + "|" + attribute.id))
            return Self.draw(attribute.value, excluding: subject, core: core, &rng)
        }

        /// A value of `type` from `rng`: a core entity (never `subject` itself), a year, a number, a word.
        static func draw(_ type: ValueType, excluding subject: Entity?, core: [Kind: [Entity]], _ rng: inout SeededRandom) -> Value {
            switch type {
            case .entity(let kind):
                let pool = (core[kind] ?? []).filter { $0 != subject }
                return Value(rng.pick(pool))
            case .year: return Value(text: String(rng.int(in: 1620...1939)))
            case .number(let range): return Value(text: Self.grouped(rng.int(in: range)))
            case .occupation: return Value(text: rng.pick(WordStock.occupations))
            case .material: return Value(text: rng.pick(WordStock.materials))
            case .river: return Value(text: FictionalWorld.root(&rng) + rng.pick(["en", "a", "ell", "wy", "ith", "ar"]))
            }
        }

        /// A new value of `type` for a planted answer: a freshly coined entity for entity types; otherwise a drawn
        /// value none of `avoid` (lowercased) contains or is contained in.
        public mutating func freshValue(_ type: ValueType, avoid: [String], _ rng: inout SeededRandom) -> Value {
            while true {
                let value: Value
                if case .entity(let kind) = type { value = Value(coin(kind, &rng)) } else { value = Self.draw(type, excluding: nil, core: core, &rng) }
                let lower = value.text.lowercased()
                if !avoid.contains(where: { $0.contains(lower) || lower.contains($0) }) { return value }
            }
        }

        /// `48213` → "48,213".
        public static func grouped(_ n: Int) -> String {
            let digits = String(n)
            var out = ""
            for (i, c) in digits.enumerated() {
                if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return out
        }

        /// Names of every core entity, lowercased.
        public var coreNamesLowercased: [String] { core.values.flatMap { $0.map { $0.name.lowercased() } } }

        // MARK: Sentences and passages

        /// The fact as one sentence (a seeded choice among its phrasings).
        public func sentence(_ fact: AtlasFact, _ rng: inout SeededRandom) -> String {
            let template = rng.pick(fact.attribute.templates)
            var out = ""
            out.reserveCapacity(template.utf8.count + 40)
            var rest = Substring(template)
            while let open = rest.firstIndex(of: "{") {
                out += rest[..<open]
                let key = rest[rest.index(after: open)]
                out += key == "S" ? fact.subject.phrase : fact.value.phrase
                rest = rest[rest.index(open, offsetBy: 3)...]
            }
            out += rest
            return ProseTemplate.capitalisingFirst(out)
        }

        /// A passage titled with `subject`'s name: `facts` (one sentence each) mixed with encyclopedic filler,
        /// `sentences` sentences in all (at least one per fact), in a seeded order.
        public func passage(about subject: Entity, stating facts: [AtlasFact], sentences: Int, _ rng: inout SeededRandom) -> Passage {
            var lines: [(String, [AtlasFact])] = facts.map { (sentence($0, &rng), [$0]) }
            for filler in EncyclopedicProse.sentences(about: subject, count: max(0, sentences - lines.count), &rng) { lines.append((filler, [])) }
            rng.shuffle(&lines)
            return Passage(subject: subject, sentences: lines.map(\.0), facts: lines.map(\.1))
        }
    }

    /// An encyclopedic passage and its fact index: which facts each sentence states.
    public struct Passage: Sendable, Hashable {
        public var subject: Entity
        public var sentences: [String]
        /// The facts of each sentence (empty for filler).
        public var facts: [[AtlasFact]]

        public init(subject: Entity, sentences: [String], facts: [[AtlasFact]]) {
            precondition(sentences.count == facts.count, "one fact list per sentence")
            self.subject = subject
            self.sentences = sentences
            self.facts = facts
        }

        public var title: String { subject.name }

        /// The first `count` sentences (all by default), separated by spaces.
        public func text(sentences count: Int? = nil) -> String { sentences.prefix(count ?? sentences.count).joined(separator: " ") }

        /// The facts stated by the first `count` sentences (all by default).
        public func stated(sentences count: Int? = nil) -> [AtlasFact] { Array(facts.prefix(count ?? facts.count).joined()) }
    }
}
