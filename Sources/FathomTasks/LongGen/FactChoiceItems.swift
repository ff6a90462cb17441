import FathomCore
import FathomText

/// MMLU-like items whose facts come with the question: each item coins its own people, organisations, cities and
/// provinces in a seeded `FictionalWorld` (names unique across the items of a sample, and never a worked example's),
/// ties them by functional facts, states the facts a question needs among a few others, and asks a one- or
/// two-hop question with four options of the answer's kind, the others being the item's entities of that kind.
struct FactChoiceItems {
    typealias Entity = FictionalWorld.Entity
    typealias Fact = FictionalWorld.Fact
    typealias Relation = FictionalWorld.Relation

    /// Questions: the chain of relations from the subject to the answer, and the wording around the subject.
    static let questions: [([Relation], String, String)] = [
        ([.worksFor], "Which organisation does ", " work for?"),
        ([.bornIn], "In which city was ", " born?"),
        ([.headquarteredIn], "In which city does ", " have its headquarters?"),
        ([.locatedIn], "In which province is ", "?"),
        ([.foundedBy], "Who founded ", "?"),
        ([.mayor], "Who is the mayor of ", "?"),
        ([.worksFor, .headquarteredIn], "In which city does the organisation that ", " works for have its headquarters?"),
        ([.worksFor, .foundedBy], "Who founded the organisation that ", " works for?"),
        ([.bornIn, .locatedIn], "In which province is the city where ", " was born?"),
        ([.bornIn, .mayor], "Who is the mayor of the city where ", " was born?"),
        ([.headquarteredIn, .locatedIn], "In which province does ", " have its headquarters?"),
        ([.foundedBy, .bornIn], "In which city was the founder of ", " born?"),
    ]

    static let relations: [Relation] = [.worksFor, .bornIn, .headquarteredIn, .locatedIn, .foundedBy, .mayor]

    /// The world's phrasings of each relation, as functions of the subject's and object's phrases (no text search).
    static let phrasings: [Relation: [@Sendable (String, String) -> String]] = [
        .bornIn: [{ "\($0) was born in \($1)." }, { "\($0) was born in the city of \($1)." }, { "Records show that \($0) was born in \($1)." }],
        .worksFor: [{ "\($0) works for \($1)." }, { "\($0) is employed by \($1)." }, { "For many years \($0) has worked for \($1)." }],
        .headquarteredIn: [
            { "\($0) has its headquarters in \($1)." }, { "\($0) is headquartered in \($1)." }, { "The headquarters of \($0) are in \($1)." },
        ],
        .foundedBy: [{ "\($0) was founded by \($1)." }, { "\($1) founded \($0)." }, { "The founder of \($0) was \($1)." }],
        .locatedIn: [{ "\($0) lies in the province of \($1)." }, { "\($0) is a city in the province of \($1)." }],
        .mayor: [{ "The mayor of \($0) is \($1)." }, { "\($1) serves as the mayor of \($0)." }],
    ]

    /// The fact as one sentence, in a seeded choice of the world's phrasings.
    static func sentence(_ fact: Fact, _ rng: inout SeededRandom) -> String {
        let text = rng.pick(phrasings[fact.relation]!)(fact.subject.phrase, fact.object.phrase)
        return text.hasPrefix("the ") ? "T" + text.dropFirst() : text
    }

    var world: FictionalWorld
    let reserved: Set<String>
    /// Lowercased names the items made so far use.
    private(set) var usedNames: Set<String> = []

    init(seed: UInt64, reserved: Set<String>) {
        world = FictionalWorld(seed: seed, people: 1, cities: 1, provinces: 1, organisations: 1, inventions: 0)
        self.reserved = reserved
    }

    /// A new entity whose name no earlier entity of this stream, and no reserved name, has.
    mutating func fresh(_ kind: FictionalWorld.Kind, _ rng: inout SeededRandom) -> Entity {
        var entity = world.coin(kind, &rng)
        while reserved.contains(entity.name.lowercased()) { entity = world.coin(kind, &rng) }
        usedNames.insert(entity.name.lowercased())
        return entity
    }

    mutating func make(_ rng: inout SeededRandom) -> PackedItem {
        var entities: [FictionalWorld.Kind: [Entity]] = [:]
        for kind in [FictionalWorld.Kind.person, .organisation, .city, .province] {
            entities[kind] = (0..<3).map { _ in fresh(kind, &rng) }
        }
        // Every subject of the item gets every relation its kind has, pointing at a distinct object (a permutation).
        var graph: [FictionalWorld.Slot: Entity] = [:]
        var facts: [Fact] = []
        for relation in Self.relations {
            let subjects = entities[relation.subjectKind]!
            var objects = entities[relation.objectKind]!
            rng.shuffle(&objects)
            for (subject, object) in zip(subjects, objects) {
                graph[FictionalWorld.Slot(subject, relation)] = object
                facts.append(Fact(subject: subject, relation: relation, object: object))
            }
        }
        let (chain, lead, trail) = rng.pick(Self.questions)
        let subject = rng.pick(entities[chain[0].subjectKind]!)
        var needed: [Fact] = []
        var node = subject
        for relation in chain {
            let object = graph[FictionalWorld.Slot(node, relation)]!
            needed.append(Fact(subject: node, relation: relation, object: object))
            node = object
        }
        let answer = node
        // Distractor facts: the last hop's relation for other subjects (they name the other options), then others.
        let last = chain[chain.count - 1]
        var sameRelation = facts.filter { $0.relation == last && !needed.contains($0) }
        var others = facts.filter { $0.relation != last && !needed.contains($0) }
        rng.shuffle(&sameRelation)
        rng.shuffle(&others)
        var stated = needed + sameRelation.prefix(2) + others.prefix(rng.int(in: 1...3))
        rng.shuffle(&stated)
        var options = entities[answer.kind]!.map(\.name) + [fresh(answer.kind, &rng).name]
        rng.shuffle(&options)
        let gold = options.firstIndex(of: answer.name)!
        let sentences = stated.map { Self.sentence($0, &rng) }
        let question = lead + subject.phrase + trail
        let solution = needed.map { Self.sentence($0, &rng) }.joined(separator: " ")
        return PackedItem(
            question: sentences.joined(separator: " ") + "\n" + question + "\n" + PackedItem.optionLine(options), solution: solution,
            gold: PackedItem.letter(gold), options: options, kind: chain.map(\.rawValue).joined(separator: ">"))
    }
}
