import FathomCore

/// The legal records of fictional civil cases, after Multi-LexSum: an endless corpus of procedural sentences
/// shared by every sample (chunked, counts cached per tokenizer) that names nobody, writes no digit and states no
/// outcome, and per-case sentences that a sample plants: the key facts of its case (parties, court, judge, dates,
/// amounts, outcome…) and decoy values (other dates, fees, clerks, witnesses, letters).
public enum CaseFile {
    static let seed: UInt64 = 0x4641_5448_4f4d_0ca5

    /// Procedural patterns; each starts with a fixed capitalised word, so the corpus's capitalised words are
    /// known (`capitalisedWords`).
    static let patterns: [ProseTemplate] = [
        "Counsel for the plaintiff filed {an} {a} motion concerning the {ns}.",
        "Counsel for the defendant objected that the {ns} were {a} and {a}.",
        "The court reviewed {num} exhibits, including {an} {n} and several {ns}.",
        "Witnesses described the {n} as {a} and {a}.",
        "The parties exchanged {a} letters about the {ns} and the {n}.",
        "The record notes that the {n} was kept in {an} {a} {n}.",
        "Both sides agreed that the {ns} had been {v} {adv}.",
        "The clerk entered {num} further documents concerning the {ns}.",
        "A deposition described how the {ns} were {v} near the {n}.",
        "The court noted that {idea} was not in dispute.",
        "Further briefing addressed whether the {n} had been {v} with due {idea}.",
        "The defendant argued that the {ns} were {cmp} than the contract required.",
        "The plaintiff maintained that the {n} had been {a} from the start.",
        "An expert in {ns} testified about the {a} {n}.",
        "The hearing was adjourned while the parties examined the {ns}.",
        "Several {occ}s were asked about the {n} and the {ns}.",
        "Correspondence between the parties mentioned {an} {a} {n}.",
        "The transcript runs to {num} volumes on the {ns} alone.",
        "Under the contract, the {ns} were to be {v} {adv}.",
        "Discovery produced {num} boxes of papers about the {ns}.",
        "The inventory listed {ns}, {ns}, {ns} and {an} {a} {n}.",
        "Counsel for the defendant described the {ns} as {a}, {a} and {cmp} than expected.",
        "The bailiff reported that the {n} had been {v} and the {ns} {v}.",
        "Several {occ}s testified that the {ns} were {a} on arrival.",
        "Both parties relied on {an} {a} survey of the {ns} and the {n}.",
        "Witnesses recalled {a} {ns} stacked beside {an} {n}.",
        "The court asked whether the {n} had been {v} before the {ns} were {v}.",
        "Further exhibits included {an} {n}, {num} {ns} and a {a} ledger.",
    ].map(ProseTemplate.init)

    /// The first words of the corpus's sentences.
    public static let capitalisedWords: Set<String> = ["Counsel", "The", "Witnesses", "Both", "A", "Further", "An", "Several", "Correspondence", "Under", "Discovery"]

    /// The records: sentences as units with their separators, 256 per chunk, paragraphs of 3–7 sentences.
    public static let corpus: Corpus = {
        let perChunk = 256
        return Corpus(fingerprint: "casefile-v1", needleSeparator: " ", chunkSize: perChunk) { k in
            var rng = SeededRandom(seed: deriveSeed(seed, "chunk \(k)"))
            var units: [String] = []
            units.reserveCapacity(perChunk)
            while units.count < perChunk {
                let length = rng.int(in: 3...7)
                for i in 0..<length where units.count < perChunk { units.append((i == 0 ? "\n\n" : " ") + rng.pick(patterns).render(&rng)) }
            }
            return units
        }
    }()

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// A date of the case's era: "14 March 1874", with its other spellings ("March 14, 1874").
    public static func date(_ rng: inout SeededRandom, year: Int) -> (text: String, variants: [String]) {
        let day = rng.int(in: 1...28)
        let month = rng.pick(months)
        let suffix = (11...13).contains(day) ? "th" : [1: "st", 2: "nd", 3: "rd"][day % 10] ?? "th"
        return ("\(day) \(month) \(year)", ["\(month) \(day), \(year)", "\(day)\(suffix) \(month) \(year)", "\(month) \(day)\(suffix), \(year)"])
    }

    /// What a case's key fact is, how the records state it, how a summary states it, and what the prompt calls it.
    public struct FactKind: Sendable {
        public let name: String
        public let record: [String]
        public let summary: String
    }

    /// The kinds of key fact, in the order a summary tells them.
    public static let factKinds: [FactKind] = [
        FactKind(name: "the plaintiff", record: ["The plaintiff, {V}, brought the action.", "The action was brought by {V} as plaintiff."], summary: "{V} brought the action as plaintiff."),
        FactKind(name: "the defendant", record: ["The defendant was {V}.", "The action named {V} as defendant."], summary: "The defendant was {V}."),
        FactKind(name: "the court", record: ["The case was heard before the district court of {V}.", "Jurisdiction lay with the district court of {V}."], summary: "The case was heard in the district court of {V}."),
        FactKind(name: "the judge", record: ["Judge {V} presided over the case.", "The case was assigned to Judge {V}."], summary: "Judge {V} presided."),
        FactKind(name: "the filing date", record: ["The complaint was filed on {V}.", "On {V} the complaint was entered in the register."], summary: "The complaint was filed on {V}."),
        FactKind(name: "the damages claimed", record: ["The plaintiff sought damages of {V} crowns.", "The complaint claimed {V} crowns in damages."], summary: "The plaintiff claimed {V} crowns in damages."),
        FactKind(name: "the goods in dispute", record: ["The dispute concerned a shipment of {V}.", "At the heart of the case was a consignment of {V}."], summary: "The dispute concerned a shipment of {V}."),
        FactKind(name: "the plaintiff's counsel", record: ["{V} acted as counsel for the plaintiff.", "The plaintiff was represented by {V}."], summary: "{V} represented the plaintiff."),
        FactKind(name: "the number of witnesses", record: ["In all, {V} witnesses gave evidence at trial.", "The trial heard {V} witnesses."], summary: "{V} witnesses gave evidence."),
        FactKind(name: "the outcome", record: ["In the end the court {V} the claim.", "The claim was finally {V} by the court."], summary: "The court {V} the claim."),
        FactKind(name: "the ruling date", record: ["The court gave its ruling on {V}.", "Judgment was entered on {V}."], summary: "Judgment was entered on {V}."),
        FactKind(name: "the costs ordered", record: ["Costs of {V} crowns were ordered at the close of the case.", "The court ordered costs of {V} crowns."], summary: "Costs of {V} crowns were ordered."),
    ]

    /// Outcomes and their other forms.
    public static let outcomes: [(value: String, variants: [String])] = [
        ("dismissed", ["dismissal"]), ("granted", ["in favour of the plaintiff", "in favor of the plaintiff"]), ("upheld", []), ("rejected", ["rejection"]),
    ]

    /// Decoy sentences: values of every key kind that are not the case's (a postponed hearing's date, a fee, a
    /// clerk, a witness, a letter from another organisation, another city's court records).
    public static func decoy(kind: Int, person: String, organisation: String, city: String, date: String, amount: String, count: Int) -> String {
        switch kind % 8 {
        case 0: return "A hearing set for \(date) was postponed at the request of both parties."
        case 1: return "A filing fee of \(amount) crowns was paid to the clerk."
        case 2: return "The clerk, \(person), recorded the exhibits."
        case 3: return "\(person), a witness for the defence, described the warehouse."
        case 4: return "A letter from \(organisation) was read into the record."
        case 5: return "Records from the district court of \(city) were consulted but found irrelevant."
        case 6: return "An earlier dispute over \(amount) crowns had been settled out of court in \(count) weeks."
        default: return "The court adjourned on \(date) until further notice."
        }
    }
}
