import FathomCore

extension FictionalWorld {
    /// Event names: "Velar Regatta", "Tormodale Lantern Festival".
    static let eventTypes = [
        "Regatta", "Fair", "Lantern Festival", "Harvest Fair", "Exhibition", "Congress", "Tournament", "Games", "Races",
        "Carnival", "Symposium", "Music Festival", "Horse Fair", "Rowing Cup", "Chess Congress", "Flower Show",
        "Book Fair", "Winter Market", "Kite Festival", "Choir Contest",
    ]

    /// Product names: a brand and what it is, "Velorex stove".
    static let productTypes = [
        "stove", "kettle", "lamp", "bicycle", "clock", "camera", "loom", "sewing machine", "typewriter", "compass",
        "telescope", "barometer", "gramophone", "pocket watch", "lantern", "pump", "plough", "microscope", "piano",
        "wireless set",
    ]

    static let brandEndings = ["ex", "a", "on", "ix", "o", "ette", "ax", "ia", "elle", "or"]

    /// A coined brand: "Velorex", "Tamita".
    static func brand(_ rng: inout SeededRandom) -> String {
        rng.pick(onsets) + rng.pick(["", "a", "o", "i", "e"]) + rng.pick(["r", "l", "n", "m", "t", "v"]) + rng.pick(brandEndings)
    }

    /// What the values of an attribute are.
    public enum ValueType: Sendable, Hashable {
        /// A named entity of the world.
        case entity(Kind)
        /// A year of the world's history, 1620–1939.
        case year
        /// A whole number in a range, written with thousands separators ("48,213").
        case number(ClosedRange<Int>)
        /// An occupation ("clockmaker").
        case occupation
        /// A material ("brass").
        case material
        /// A coined river name ("Tamen").
        case river

        /// Values of this type are unique strings (names, numbers, years), so a question about them has a
        /// checkable short answer.
        public var isUniqueString: Bool {
            switch self {
            case .entity, .year, .number, .river: true
            case .occupation, .material: false
            }
        }

        /// A short label: "person", "year", "number", …
        public var label: String {
            switch self {
            case .entity(let kind): kind.rawValue
            case .year: "year"
            case .number: "number"
            case .occupation: "occupation"
            case .material: "material"
            case .river: "river"
            }
        }
    }

    /// A typed attribute of one kind of entity: `born_in(person) = city`, `population(city) = number`. Each has
    /// several phrasings of the fact, a question, and a keyword query (for re-ranking).
    public struct Attribute: Sendable, Hashable, CustomStringConvertible {
        /// "person.born_in".
        public let id: String
        public let subject: Kind
        public let value: ValueType
        /// Fact sentences: `{S}` is the subject's phrase, `{V}` the value's.
        public let templates: [String]
        /// The question, `{S}` for the subject's phrase.
        public let question: String
        /// A search-style query, lowercase.
        public let query: String
        /// The attribute as a noun phrase ("birthplace", "population"), for summaries and descriptions.
        public let noun: String

        public var description: String { id }

        /// Attributes are identified by their id.
        public static func == (a: Attribute, b: Attribute) -> Bool { a.id == b.id }
        public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }

    /// Every attribute, by subject kind.
    public static let attributes: [Attribute] = [
        // People.
        Attribute(
            id: "person.born_in", subject: .person, value: .entity(.city),
            templates: ["{S} was born in {V}.", "{S} was born in the city of {V}.", "Records show that {S} was born in {V}.",
                        "{V} is the birthplace of {S}."],
            question: "In which city was {S} born?", query: "where was {S} born", noun: "birthplace"),
        Attribute(
            id: "person.birth_year", subject: .person, value: .year,
            templates: ["{S} was born in the year {V}.", "The year of {S}'s birth was {V}.", "{S} came into the world in {V}."],
            question: "In which year was {S} born?", query: "{S} year of birth", noun: "year of birth"),
        Attribute(
            id: "person.occupation", subject: .person, value: .occupation,
            templates: ["{S} worked as a {V}.", "By trade, {S} was a {V}.", "{S} earned a living as a {V}."],
            question: "What was the occupation of {S}?", query: "{S} occupation", noun: "occupation"),
        Attribute(
            id: "person.employer", subject: .person, value: .entity(.organisation),
            templates: ["{S} works for {V}.", "{S} is employed by {V}.", "For many years {S} has worked for {V}."],
            question: "Which organisation does {S} work for?", query: "{S} employer", noun: "employer"),
        Attribute(
            id: "person.mentor", subject: .person, value: .entity(.person),
            templates: ["{S} was trained by {V}.", "{V} was the mentor of {S}.", "{S} learned the trade from {V}."],
            question: "Who was the mentor of {S}?", query: "who trained {S}", noun: "mentor"),
        // Cities.
        Attribute(
            id: "city.province", subject: .city, value: .entity(.province),
            templates: ["{S} lies in the province of {V}.", "{S} is a city in the province of {V}.", "The province of {V} includes {S}."],
            question: "In which province is {S}?", query: "{S} province", noun: "province"),
        Attribute(
            id: "city.mayor", subject: .city, value: .entity(.person),
            templates: ["The mayor of {S} is {V}.", "{V} serves as the mayor of {S}.", "{S} is governed by its mayor, {V}."],
            question: "Who is the mayor of {S}?", query: "mayor of {S}", noun: "mayor"),
        Attribute(
            id: "city.founded", subject: .city, value: .year,
            templates: ["{S} was founded in {V}.", "The first houses of {S} were built in {V}.", "{S} dates its founding to {V}."],
            question: "In which year was {S} founded?", query: "when was {S} founded", noun: "founding year"),
        Attribute(
            id: "city.population", subject: .city, value: .number(1200...480_000),
            templates: ["{S} has a population of {V}.", "{V} people live in {S}.", "The last count gave {S} {V} inhabitants."],
            question: "What is the population of {S}?", query: "population of {S}", noun: "population"),
        Attribute(
            id: "city.river", subject: .city, value: .river,
            templates: ["{S} stands on the River {V}.", "The River {V} flows through {S}.", "{S} grew up along the banks of the River {V}."],
            question: "On which river does {S} stand?", query: "river through {S}", noun: "river"),
        // Organisations.
        Attribute(
            id: "organisation.founder", subject: .organisation, value: .entity(.person),
            templates: ["{S} was founded by {V}.", "{V} founded {S}.", "The founder of {S} was {V}."],
            question: "Who founded {S}?", query: "founder of {S}", noun: "founder"),
        Attribute(
            id: "organisation.headquarters", subject: .organisation, value: .entity(.city),
            templates: ["{S} has its headquarters in {V}.", "{S} is headquartered in {V}.", "The headquarters of {S} are in {V}."],
            question: "In which city does {S} have its headquarters?", query: "{S} headquarters", noun: "headquarters"),
        Attribute(
            id: "organisation.founded", subject: .organisation, value: .year,
            templates: ["{S} was established in {V}.", "{S} was set up in the year {V}.", "The charter of {S} was signed in {V}."],
            question: "In which year was {S} established?", query: "when was {S} established", noun: "year of establishment"),
        Attribute(
            id: "organisation.employees", subject: .organisation, value: .number(12...9000),
            templates: ["{S} employs {V} people.", "{S} has {V} employees.", "The staff of {S} numbers {V}."],
            question: "How many people does {S} employ?", query: "{S} number of employees", noun: "number of employees"),
        Attribute(
            id: "organisation.chair", subject: .organisation, value: .entity(.person),
            templates: ["{S} is chaired by {V}.", "{V} chairs the board of {S}.", "The chair of {S} is {V}."],
            question: "Who chairs {S}?", query: "chair of {S}", noun: "chair"),
        // Events.
        Attribute(
            id: "event.venue", subject: .event, value: .entity(.city),
            templates: ["{S} was held in {V}.", "{V} hosted {S}.", "{S} took place in the city of {V}."],
            question: "In which city was {S} held?", query: "where was {S} held", noun: "venue"),
        Attribute(
            id: "event.year", subject: .event, value: .year,
            templates: ["{S} took place in {V}.", "{S} was first held in {V}.", "The first edition of {S} dates from {V}."],
            question: "In which year was {S} first held?", query: "{S} first year", noun: "first year"),
        Attribute(
            id: "event.organiser", subject: .event, value: .entity(.organisation),
            templates: ["{S} was organised by {V}.", "{V} organised {S}.", "The organiser of {S} was {V}."],
            question: "Which organisation organised {S}?", query: "organiser of {S}", noun: "organiser"),
        Attribute(
            id: "event.winner", subject: .event, value: .entity(.person),
            templates: ["The main prize at {S} went to {V}.", "{V} won the main prize at {S}.", "The winner of {S} was {V}."],
            question: "Who won the main prize at {S}?", query: "winner of {S}", noun: "winner"),
        Attribute(
            id: "event.attendance", subject: .event, value: .number(300...60_000),
            templates: ["{S} drew a crowd of {V}.", "{V} visitors came to {S}.", "The attendance at {S} was {V}."],
            question: "How many visitors came to {S}?", query: "{S} attendance", noun: "attendance"),
        // Products.
        Attribute(
            id: "product.maker", subject: .product, value: .entity(.organisation),
            templates: ["{S} is made by {V}.", "{V} manufactures {S}.", "{S} comes from the workshops of {V}."],
            question: "Which organisation makes {S}?", query: "maker of {S}", noun: "maker"),
        Attribute(
            id: "product.designer", subject: .product, value: .entity(.person),
            templates: ["{S} was designed by {V}.", "{V} designed {S}.", "The designer of {S} was {V}."],
            question: "Who designed {S}?", query: "designer of {S}", noun: "designer"),
        Attribute(
            id: "product.launched", subject: .product, value: .year,
            templates: ["{S} went on sale in {V}.", "{S} was launched in {V}.", "{S} first appeared in the shops in {V}."],
            question: "In which year did {S} go on sale?", query: "{S} launch year", noun: "launch year"),
        Attribute(
            id: "product.price", subject: .product, value: .number(3...2400),
            templates: ["{S} sells for {V} crowns.", "The price of {S} is {V} crowns.", "Buyers pay {V} crowns for {S}."],
            question: "How many crowns does {S} cost?", query: "price of {S}", noun: "price"),
        Attribute(
            id: "product.material", subject: .product, value: .material,
            templates: ["{S} is made of {V}.", "The body of {S} is {V}.", "Makers of {S} use {V} for its case."],
            question: "What is {S} made of?", query: "{S} material", noun: "material"),
    ]

    /// Attributes by id.
    public static let attributesByID: [String: Attribute] = Dictionary(uniqueKeysWithValues: attributes.map { ($0.id, $0) })

    /// The attributes of one kind, in table order.
    public static func attributes(of kind: Kind) -> [Attribute] { attributes.filter { $0.subject == kind } }

    /// The kinds the richer world writes passages about.
    public static let atlasKinds: [Kind] = [.person, .city, .organisation, .event, .product]

    /// Two-hop chains: subject —first→ bridge —second→ answer; `{S}` in the question is the subject's phrase.
    public static let chains: [(first: String, second: String, question: String)] = [
        ("person.employer", "organisation.headquarters", "In which city does the organisation that {S} works for have its headquarters?"),
        ("person.employer", "organisation.founder", "Who founded the organisation that {S} works for?"),
        ("person.born_in", "city.province", "In which province is the city where {S} was born?"),
        ("person.born_in", "city.mayor", "Who is the mayor of the city where {S} was born?"),
        ("person.mentor", "person.born_in", "In which city was the mentor of {S} born?"),
        ("organisation.founder", "person.born_in", "In which city was the founder of {S} born?"),
        ("organisation.headquarters", "city.province", "In which province does {S} have its headquarters?"),
        ("event.organiser", "organisation.headquarters", "In which city does the organisation that organised {S} have its headquarters?"),
        ("event.winner", "person.employer", "Which organisation employs the winner of the main prize at {S}?"),
        ("event.venue", "city.mayor", "Who is the mayor of the city where {S} was held?"),
        ("product.maker", "organisation.founder", "Who founded the organisation that makes {S}?"),
        ("product.designer", "person.born_in", "In which city was the designer of {S} born?"),
        ("product.maker", "organisation.founded", "In which year was the maker of {S} established?"),
        ("city.mayor", "person.employer", "Which organisation does the mayor of {S} work for?"),
    ]
}
