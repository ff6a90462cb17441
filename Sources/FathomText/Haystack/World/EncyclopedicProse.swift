import FathomCore

/// Filler sentences for encyclopedic passages about an entity of the richer world: they name only their subject
/// (no other entity, no year, no digit) and state none of the world's attributes, so the fact index of a passage
/// is exactly its fact sentences. Patterns per kind plus general ones, filled from `WordStock`.
public enum EncyclopedicProse {
    static let general: [ProseTemplate] = [
        "{S} is often mentioned in accounts of {an} {n} and its {ns}.",
        "Little is written about the {ns} of {S} before the {a} {season} of that decade.",
        "Old accounts of {S} describe {an} {n} beside {an} {n}.",
        "{S} is remembered for {a} {ns} and for a certain {idea}.",
        "According to one {a} {n}, {S} once {v} the {ns} {adv}.",
        "Few {ns} connected with {S} have survived, though {an} {n} is still shown to visitors.",
        "Writers who knew {S} spoke of {idea} and of {a} {ns}.",
        "A {a} drawing of {S} hangs beside {an} {n} in a private collection.",
        "The story of {S} is told {adv} in {a} {ns} and in {num} {a} letters.",
        "Some still argue about whether {S} {v} the {n} or merely {v} it.",
        "Historians disagree about {S}, though most mention {an} {n} and a {cmp} {n}.",
        "Surviving inventories link {S} with {num} {ns}, {an} {n} and a bundle of {ns}.",
        "Travellers' diaries speak of {S} alongside {ns}, {ns} and {a} {idea}.",
        "A pamphlet printed in {season} praised {S} for {idea} and for its {ns}.",
        "Several {occ}s wrote about {S}, usually {adv} and at length.",
        "Nothing in the archives suggests that {S} ever {v} {an} {n}.",
        "The name of {S} appears on {an} {a} {n} beside {num} {a} {ns}.",
        "Gossip about {S} mostly concerned {ns} and a certain {a} {n}.",
    ].map(ProseTemplate.init)

    static let byKind: [FictionalWorld.Kind: [ProseTemplate]] = [
        .person: [
            "{S} was known for a lasting interest in {idea} and {ns}.",
            "Colleagues described {S} as {a} and {a}, if sometimes {a}.",
            "For {num} {time} {S} kept {an} {n} on a shelf beside {an} {n}.",
            "In later life {S} wrote short essays on {idea} and on {ns}.",
            "Letters written by {S} often mention {an} {n} and {a} {ns}.",
            "Friends remembered {S} as {a} but never {a}.",
            "{S} spent {num} {time} {ving} {ns} near {an} {n}.",
            "Neighbours said that {S} {v} {ns} {adv} every {season}.",
            "A portrait of {S} shows {an} {n} and {num} {a} {ns}.",
            "{S} once {v} {an} {n} for {an} {occ}, which surprised everyone.",
            "{S} believed that {idea} mattered more than {idea}.",
            "As a child, {S} liked to {vb} {ns} and to {vb} the {n}.",
            "Neighbours recall {S} {ving} {ns} beneath {an} {a} {n}.",
            "{S} owned {num} {ns}, {an} {n} and a shelf of {a} almanacs.",
        ].map(ProseTemplate.init),
        .city: [
            "{S} is known for its {a} {ns} and {a} {n}.",
            "The old {n} of {S} overlooks {an} {n} and {num} {a} {ns}.",
            "Every {season}, the people of {S} {vb} {ns} along the {n}.",
            "Much of {S} was rebuilt after {an} {n} one {a} {season}.",
            "Visitors to {S} are usually shown the {a} {n} near the {n}.",
            "The streets of {S} are {a}, {a} and full of {ns}.",
            "Local songs from {S} are mostly about {idea} and {ns}.",
            "{S} has {num} {a} {ns} and {an} {n} famous for its {n}.",
            "Traders in {S} sell {ns}, {ns} and {a} {ns}.",
            "On market days the square of {S} fills with {ns} and {occ}s.",
            "The weather in {S} is {a} in {season} and {cmp} in {season}.",
            "Guidebooks praise the {ns} of {S} and warn about its {a} {ns}.",
            "Children in {S} learn to {vb} {ns} before they learn to {vb}.",
        ].map(ProseTemplate.init),
        .organisation: [
            "{S} keeps its records in {an} {a} {n}.",
            "Members of {S} meet every {season} to discuss {idea} and {ns}.",
            "{S} publishes {an} {a} bulletin on {ns}.",
            "The emblem of {S} shows {an} {n} above {an} {n}.",
            "Apprentices at {S} learn to {vb} {ns} before anything else.",
            "Critics of {S} call its approach to {idea} {a}.",
            "The rules of {S} are {a} and rarely changed.",
            "Each {season}, {S} awards a prize for {idea}.",
            "{S} trains {occ}s and {occ}s in {a} workshops.",
            "The offices of {S} are full of {ns} and {a} {ns}.",
            "{S} is proud of its {a} {n} and its {n}.",
            "Visitors to {S} remark on its {a} {ns} and {a} corridors.",
            "Ledgers kept by {S} record {ns}, {ns} and {a} {ns}.",
        ].map(ProseTemplate.init),
        .event: [
            "{S} opens with {an} {a} procession of {ns}.",
            "Crowds at {S} {v} the {ns} {adv}.",
            "Each edition of {S} features {a} {ns} and {an} {n} contest.",
            "{S} is known for its {a} {n} and {a} music.",
            "Reports of {S} mention {an} {n} that {v} the {ns}.",
            "At {S}, {occ}s and {occ}s compete for {an} {a} {n}.",
            "The programme of {S} lists {num} contests and {an} {n} show.",
            "Visitors to {S} bring {ns} and leave with {ns}.",
            "{S} ends with {an} {a} dance around {an} {n}.",
            "Stalls at {S} sell {ns}, {ns} and {a} {ns}.",
            "Posters for {S} show {an} {occ} holding {an} {n}.",
        ].map(ProseTemplate.init),
        .product: [
            "{S} has {an} {a} {n} and {a} {ns}.",
            "Owners of {S} praise its {a} {n}.",
            "Early models of {S} were {a} and {a}.",
            "{S} needs {an} {n} to work properly.",
            "Repairers say that {S} is easy to {vb} and hard to {vb}.",
            "Advertisements for {S} showed {an} {occ} with {an} {n}.",
            "{S} comes in {col} and in {col}, with {a} {ns}.",
            "A well-kept {n} will make {S} last for {num} {time}.",
            "Collectors look for early versions of {S} with {a} {ns}.",
            "Catalogues describe {S} as {a}, {a} and {cmp} than its rivals.",
            "Spare {ns} for {S} were once sold beside {ns}.",
        ].map(ProseTemplate.init),
    ]

    /// A filler sentence about `subject`.
    public static func sentence(about subject: FictionalWorld.Entity, _ rng: inout SeededRandom) -> String {
        let own = byKind[subject.kind] ?? []
        let template = rng.below(3) == 0 || own.isEmpty ? rng.pick(general) : rng.pick(own)
        return template.render(subject: subject.phrase, &rng)
    }

    /// Shorter ways to refer to `subject` again: a person's given name or surname, "the town", the type of an
    /// organisation, event or product ("the Glassworks", "the Regatta", "the stove"). No other entity is named.
    static func references(_ subject: FictionalWorld.Entity) -> [String] {
        let words = subject.name.split(separator: " ").map(String.init)
        switch subject.kind {
        case .person: return words.count > 1 ? [words[0], words[words.count - 1]] : [subject.name]
        case .city: return ["the town", "the city"]
        case .organisation, .event, .product, .invention: return words.count > 1 ? ["the " + words.dropFirst().joined(separator: " ")] : [subject.phrase]
        case .province, .year: return [subject.phrase]
        }
    }

    /// `count` filler sentences about `subject` from distinct patterns (patterns repeat only past the ~30 there are);
    /// about half name the subject in full, the others with a shorter reference.
    public static func sentences(about subject: FictionalWorld.Entity, count: Int, _ rng: inout SeededRandom) -> [String] {
        let patterns = (byKind[subject.kind] ?? []) + general
        let short = references(subject)
        var out: [String] = []
        out.reserveCapacity(count)
        while out.count < count {
            let take = min(count - out.count, patterns.count)
            for i in rng.sampleIndices(patterns.count, take) {
                out.append(patterns[i].render(subject: rng.below(2) == 0 ? subject.phrase : rng.pick(short), &rng))
            }
        }
        return out
    }
}
