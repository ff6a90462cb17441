import FathomCore
import FathomText

/// CommonsenseQA-like items over a generated scene, with five options (A–E) and one answer fixed by construction:
/// - `tool`: a room holds five objects and a person wants to do something only one of them is for (curated so
///   that no other object of the table serves the goal);
/// - `where`: objects are put in places and moved, once or twice; where is one of them now;
/// - `next`: a person's morning, four activities in order; what came right after one of them.
enum SceneChoiceItems {
    /// (goal, the object for it with its article, the option text).
    static let tools: [(goal: String, object: String, option: String)] = [
        ("cut a piece of string", "a pair of scissors", "scissors"), ("boil water for tea", "a kettle", "kettle"),
        ("reach the top shelf", "a ladder", "ladder"), ("sweep the dusty floor", "a broom", "broom"),
        ("drive a nail into the wall", "a hammer", "hammer"), ("mend a torn sleeve", "a needle and thread", "needle and thread"),
        ("open the locked chest", "a key", "key"), ("water the dry plants", "a watering can", "watering can"),
        ("write a short letter", "a pen", "pen"), ("measure the length of the table", "a tape measure", "tape measure"),
        ("light the dark hallway", "a lantern", "lantern"), ("fix the broken vase", "a pot of glue", "glue"),
        ("tighten a loose screw", "a screwdriver", "screwdriver"), ("wake up early tomorrow", "an alarm clock", "alarm clock"),
        ("dig a hole for a young tree", "a shovel", "shovel"), ("weigh the flour for a cake", "a kitchen scale", "kitchen scale"),
        ("see the ships far out at sea", "a telescope", "telescope"), ("keep warm through a cold night", "a thick blanket", "blanket"),
    ]
    static let rooms = ["kitchen", "workshop", "garden shed", "study", "attic", "hallway", "barn", "cellar"]
    static let things = ["key", "book", "cup", "hat", "ball", "letter", "scarf", "wallet", "spoon", "photograph", "comb", "map"]
    /// Places, and the preposition each takes.
    static let places = [
        "kitchen drawer", "garden shed", "hallway shelf", "attic trunk", "cellar cupboard", "bedroom wardrobe", "porch bench",
        "bathroom cabinet", "piano stool", "laundry basket",
    ]
    static func at(_ place: String) -> String { (["hallway shelf", "porch bench", "piano stool"].contains(place) ? "on the " : "in the ") + place }
    /// (what was done, the option text).
    static let activities: [(done: String, option: String)] = [
        ("fed the cat", "feeding the cat"), ("watered the plants", "watering the plants"), ("wrote a letter", "writing a letter"),
        ("baked bread", "baking bread"), ("swept the porch", "sweeping the porch"), ("read the newspaper", "reading the newspaper"),
        ("mended a shirt", "mending a shirt"), ("washed the dishes", "washing the dishes"), ("walked the dog", "walking the dog"),
        ("painted the fence", "painting the fence"), ("tuned the piano", "tuning the piano"), ("made the bed", "making the bed"),
    ]

    static func make(_ rng: inout SeededRandom) -> PackedItem {
        let person = rng.pick(Lexicon.names)
        var other = rng.pick(Lexicon.names)
        while other == person { other = rng.pick(Lexicon.names) }
        switch rng.below(3) {
        case 0: return tool(person, &rng)
        case 1: return location(person, other, &rng)
        default: return sequence(person, &rng)
        }
    }

    /// Shuffles `options` and returns them with the letter of `answer`.
    static func labelled(_ options: [String], answer: String, _ rng: inout SeededRandom) -> ([String], String) {
        var shuffled = options
        rng.shuffle(&shuffled)
        return (shuffled, PackedItem.letter(shuffled.firstIndex(of: answer)!))
    }

    static func tool(_ person: String, _ rng: inout SeededRandom) -> PackedItem {
        let picks = rng.sampleIndices(tools.count, 5).map { tools[$0] }
        let wanted = picks[0]
        var shown = picks
        rng.shuffle(&shown)
        let list = shown.dropLast().map(\.object).joined(separator: ", ") + " and " + shown.last!.object
        let room = rng.pick(rooms)
        let scene = "\(person) is in the \(room). On the table there are \(list). \(person) wants to \(wanted.goal)."
        let (options, gold) = labelled(picks.map(\.option), answer: wanted.option, &rng)
        return PackedItem(
            question: scene + "\nWhich of these things should \(person) use?\n" + PackedItem.optionLine(options),
            solution: "To \(wanted.goal), \(person) needs \(wanted.object); none of the other things is made for that.",
            gold: gold, options: options, kind: "tool")
    }

    static func location(_ person: String, _ other: String, _ rng: inout SeededRandom) -> PackedItem {
        let objects = rng.sampleIndices(things.count, 2).map { things[$0] }
        let spots = rng.sampleIndices(places.count, 5).map { places[$0] }
        let (asked, decoy) = (objects[0], objects[1])
        var lines = ["\(person) put the \(asked) \(at(spots[0])).", "\(other) put the \(decoy) \(at(spots[1]))."]
        var final = spots[2]
        var solution = "\(other) moved the \(asked) from the \(spots[0]) to the \(spots[2])"
        lines.append("Later, \(other) moved the \(asked) from the \(spots[0]) to the \(spots[2]).")
        if rng.below(2) == 0 {
            lines.append("In the evening, \(person) took the \(asked) from the \(spots[2]) to the \(spots[3]).")
            solution += ", then \(person) took it from the \(spots[2]) to the \(spots[3])"
            final = spots[3]
        } else {
            lines.append("\(person) looked for the \(decoy) \(at(spots[3])) but did not find it there.")
        }
        lines.append("Nobody touched the \(asked) after that.")
        let (options, gold) = labelled(spots, answer: final, &rng)
        return PackedItem(
            question: lines.joined(separator: " ") + "\nWhere is the \(asked) now?\n" + PackedItem.optionLine(options),
            solution: solution + ", and nobody moved it again. It is \(at(final)).", gold: gold, options: options, kind: "where")
    }

    static func sequence(_ person: String, _ rng: inout SeededRandom) -> PackedItem {
        let picks = rng.sampleIndices(activities.count, 5).map { activities[$0] }
        let done = Array(picks.prefix(4))
        let ask = rng.below(3)
        let scene = "In the morning \(person) \(done[0].done). After that, \(person) \(done[1].done). Then \(person) \(done[2].done). "
            + "Finally, \(person) \(done[3].done)."
        let (options, gold) = labelled(picks.map(\.option), answer: done[ask + 1].option, &rng)
        return PackedItem(
            question: scene + "\nWhat did \(person) do right after \(done[ask].option)?\n" + PackedItem.optionLine(options),
            solution: "\(person) \(done[ask].done) and next \(done[ask + 1].done).", gold: gold, options: options, kind: "next")
    }
}
