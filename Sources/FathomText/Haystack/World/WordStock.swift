import FathomCore

/// The large vocabulary of the world's prose: root lists (`Lexicon`'s and more, written for this project) grown by
/// `Morphology` into plurals, verb forms, agent nouns, closed compounds ("lanternkeeper", "orchardgate"),
/// adverbs, comparatives and abstract nouns, several thousand word types in all.
///
/// Every list is built deterministically, once per process. Prose draws from them with a seeded `SeededRandom`
/// (`pick`, `noun`, …), half the time from the common roots and half from the whole stock, so a long text keeps
/// meeting new words the way real text does: an 8K-word document has thousands of distinct word types.
public enum WordStock {
    /// Concrete nouns beyond `Lexicon.nouns`.
    static let moreNouns: [String] = words("""
        acorn alley almanac anvil apron arch attic axle bakery balcony ballad bandage banner barge barley barn \
        beam bell bellows belt blade boat bolt bonnet boot bough bowl box bracelet branch brick brook broom \
        button cable cage cake canal cane cap cart cask cathedral chain chair chalk chapel chest chimney church \
        cider clay cloak cloth coal coat collar comb copper cord cork cradle crane crate creek crown cup curtain \
        dam desk dial dish ditch dock door dove drum dune eagle easel elm fern ferry fiddle flag flask fleet \
        flute forge fork fox frame furrow gable gallery garland gauge glove goat granary grove gull hammer \
        hamlet handle hat hawk hay hearth hedge heron hill hinge hook horn hound hut inkwell inn iron ivy jar \
        jetty jug kiln knot lace lake lamp lane latch lawn lever lid linen lock loft lute mantle map mast meal \
        mill mitten moat moss mule nail net nest oak oar orchid oven owl paddle pail pan parcel pasture path \
        pear pen pepper pier pine pipe pitcher plank plate plough plum pond porch pot pouch pulley pump quill \
        quilt raft rail rake ram rampart reed ridge ring rope rose rudder rug sack sail salt sand scale scarf \
        school scroll seal shawl shed shell shield ship shore shovel shutter sieve sledge slate sleeve sling \
        spade spire spoon stair stall steeple stool stove strap straw sugar swan sword tack tailor tank tent \
        thimble thorn tile tin tool torch towel trap tray trough trumpet trunk tub tulip twine umbrella urn vane \
        vase vault vessel vine wall wand ward wheel whip wick willow wire wool wreath yard yarn yoke
        """)

    /// Abstract nouns beyond `Lexicon.ideas`.
    static let moreIdeas: [String] = words("""
        advice agreement anger anxiety approval argument belief caution charity comfort concern conduct \
        confidence conscience custom debt decision delight demand desire devotion dignity duty education \
        envy evidence excuse faith fame fear folly fortune friendship glory grace grief guilt harmony health \
        humour idleness influence innocence instinct justice kindness leisure liberty loyalty luck mercy \
        misfortune modesty mystery neglect notice obedience opinion pardon pity pleasure poverty praise pride \
        prudence quarrel reform regret relief reputation respect revenge reward rumour safety scandal science \
        secrecy silence sorrow strength suspicion sympathy temper thrift triumph trouble truth vanity victory \
        virtue warning wealth welfare wisdom
        """)

    /// Verbs beyond `Lexicon.verbs` (present:past where the past is irregular).
    static let moreVerbs: [String] = words("""
        accept admire admit adopt advise allow announce answer appear arrange arrive ask attach attend avoid \
        bake balance bathe beg behave believe belong bend:bent bind:bound blow:blew boil borrow bounce brush \
        burn bury calculate call catch:caught celebrate check cheer chop clean clear close coach comfort \
        complain complete consider cook correct cough cover crack crawl cure cycle dance decide decorate \
        deliver depend deserve destroy develop dig:dug disappear divide doubt drag dream drop dust earn \
        employ encourage enjoy enter escape examine excuse exercise expect fasten fetch fill finish fit fix \
        fold forgive:forgave frame frighten fry gaze glue grab grease greet grind:ground grip grow:grew hammer \
        hand hang:hung harm hate heat help hide:hid hook hope hum hunt hurry identify ignore improve include \
        inform inspect instruct introduce invent invite join joke judge kick kneel:knelt knit knock label land \
        laugh launch lay:laid lead:led lend:lent level lick light:lit list listen load lock look love manage \
        march mark marry match matter melt milk mix move nail name nod note obey obtain offer order own pack \
        paddle pass pause pedal perform permit pick pinch place plant play please plough point pour praise \
        pray preach prefer prepare present preserve press pretend prevent print produce promise protect \
        provide pull punish push race rain raise reach realise receive recognise reduce reflect refuse \
        regret reject relax release rely remain remove rent reply report request rescue retire return reward \
        ring:rang rinse risk roll rub rule rush sail satisfy save saw scatter scold scrape scratch scrub \
        search seal select sell:sold send:sent settle sew shake:shook shelter shiver shop sign sing:sang \
        sink:sank sip skip slip smell smile snow sow spell spill spin:spun spoil spray sprout squeeze stamp \
        stare start stay steer step stir stitch store stretch strike:struck stroke suggest supply support \
        surprise surround suspect swap sweep:swept swim:swam swing:swung switch tame tap taste tempt thank \
        throw:threw tick tie tire touch tour tow train transport trap travel treat tremble trim trot trust \
        try tug turn twist unite unlock unpack urge use vanish wait wake:woke walk wander want warn wash \
        water wave wear:wore weave:wove welcome whisper whistle win:won wind:wound wink wish wobble wonder \
        work worry wrap wreck yawn yell
        """)

    /// Adjectives beyond `Lexicon.adjectives`.
    static let moreAdjectives: [String] = words("""
        able absent active actual awkward bare bitter blank bleak blind bold brief broad broken busy certain \
        cheap chilly civil clean clear close cloudy coarse common complete constant cool crisp crooked cruel \
        damp dark dear decent dense direct dirty dreary dry dull eager easy empty equal even exact fair false \
        fancy fat few fine firm flat fond formal foreign frank free fresh full funny general glad grave great \
        green grey grim gross handsome happy hard harsh healthy heavy high hot huge hungry ill just large late \
        lazy lean light little live long loose loud low mad mean mild minor moist near neat new nice normal \
        obvious old open orderly pleasant plump polished poor popular pretty private prompt pure quick ready \
        real regular remote ripe round royal rude sad safe salty scarce severe shallow short sick slight slow \
        small soft solid sore sound sour spare special splendid square stale steady steep stiff still \
        strange strict strong sudden sure sweet tall tame tense thick thin tight tough true ugly usual \
        vacant valid vague warm weak wet white whole wide willing wooden worthy wrong yellow
        """)

    /// Heads of closed compounds: "harbour" + "side", "lantern" + "keeper".
    public static let compoundHeads: [String] = words("""
        house yard side stone work keeper maker smith wright master light field gate ward land way wood water \
        mark fold hall room craft
        """)

    /// 64-bit FNV-1a of the UTF-8 bytes: a fixed, platform-independent hash for deterministic selections.
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func words(_ text: String) -> [String] { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) }

    static func unique(_ list: [String]) -> [String] {
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }

    /// Concrete noun roots (common words).
    public static let nounRoots: [String] = unique(Lexicon.nouns + moreNouns)
    /// Abstract nouns: ideas, and -ness forms of the adjectives.
    public static let abstractNouns: [String] = unique(Lexicon.ideas + moreIdeas + adjectiveRoots.map(Morphology.ness))
    /// Verbs prose never uses, so that no filler sentence reads like a planted event (a gift, a move, a visit, a
    /// wedding, a ruling).
    static let reservedVerbs: Set<String> = [
        "visit", "travel", "move", "marry", "give", "hand", "return", "arrive", "leave", "settle", "grant", "dismiss", "award", "found",
        "reject", "uphold",
    ]

    /// (base, past) verb pairs.
    public static let verbRoots: [(base: String, past: String)] = {
        var seen: Set<String> = reservedVerbs
        var out: [(String, String)] = []
        for (base, past) in Lexicon.verbs where seen.insert(base).inserted { out.append((base, past)) }
        for entry in moreVerbs {
            let parts = entry.split(separator: ":").map(String.init)
            let base = parts[0]
            if seen.insert(base).inserted { out.append((base, parts.count > 1 ? parts[1] : Morphology.regularPast(base))) }
        }
        return out
    }()
    /// Adjective roots.
    public static let adjectiveRoots: [String] = unique(Lexicon.adjectives + moreAdjectives)

    /// Agent nouns of the verbs ("builder", "painter"): also the world's occupations.
    public static let agentNouns: [String] = unique(verbRoots.map { Morphology.agent($0.base) })

    /// Closed compounds: each noun root with the heads a fixed hash selects (about one in three), e.g.
    /// "lanternkeeper", "orchardgate".
    public static let compounds: [String] = {
        var out: [String] = []
        for root in nounRoots where root.count <= 8 && !root.contains(" ") {
            for head in compoundHeads where head != root && !root.hasSuffix(head) {
                if fnv1a(root + "+" + head) % 3 == 0 { out.append(root + head) }
            }
        }
        return unique(out)
    }()

    /// Every singular noun: roots, agent nouns and compounds.
    public static let nouns: [String] = unique(nounRoots + agentNouns + compounds)
    /// Plurals, index for index with `nouns`.
    public static let pluralNouns: [String] = nouns.map(Morphology.plural)
    /// Adverbs of the adjectives and `Lexicon.adverbs`.
    public static let adverbs: [String] = unique(Lexicon.adverbs + adjectiveRoots.map(Morphology.adverb))
    /// Comparatives of the short adjectives.
    public static let comparatives: [String] = adjectiveRoots.compactMap(Morphology.comparative)

    /// Occupations: agent nouns and the compounds in -keeper, -maker, -smith, -wright, -master.
    public static let occupations: [String] = unique(
        agentNouns.filter { $0.count >= 6 }
            + compounds.filter { ["keeper", "maker", "smith", "wright", "master"].contains(where: $0.hasSuffix) })

    /// Materials things are made of.
    public static let materials: [String] = words("""
        brass bronze copper pewter tin iron steel silver oak walnut birch ash pine cedar glass porcelain \
        earthenware slate marble granite leather linen wool felt canvas cork bone horn ivory wicker rattan \
        enamel lacquer paper
        """)

    /// Colours.
    public static let colours: [String] = words("""
        amber azure crimson scarlet ochre umber olive indigo violet teal saffron ivory charcoal slate russet \
        copper emerald cobalt maroon lilac
        """)

    // MARK: Seeded draws

    /// Plurals of the noun roots, index for index.
    static let rootPlurals: [String] = nounRoots.map(Morphology.plural)
    /// Verb forms, index for index with `verbRoots`: (base, third person, past, gerund).
    static let verbForms: [(base: String, third: String, past: String, gerund: String)] = verbRoots.map {
        ($0.base, Morphology.thirdPerson($0.base), $0.past, Morphology.gerund($0.base))
    }

    /// Adjectives beyond the roots: participles of the regular verbs ("carved", "polished") and "un-" forms of a
    /// fixed third of the roots ("unsteady").
    public static let derivedAdjectives: [String] = unique(
        verbRoots.map(\.past).filter { $0.hasSuffix("ed") }
            + adjectiveRoots.filter { fnv1a("un+" + $0) % 3 == 0 && !$0.hasPrefix("un") }.map { "un" + $0 })

    /// A noun: a quarter of the time a common root, else any noun; plural with probability `pluralShare` in percent.
    public static func noun(_ rng: inout SeededRandom, plural pluralShare: Int = 0) -> String {
        let plural = pluralShare > 0 && rng.below(100) < pluralShare
        if rng.below(4) == 0 {
            let i = rng.below(nounRoots.count)
            return plural ? rootPlurals[i] : nounRoots[i]
        }
        let i = rng.below(nouns.count)
        return plural ? pluralNouns[i] : nouns[i]
    }

    /// An adjective (sometimes a comparative form is asked for separately).
    public static func adjective(_ rng: inout SeededRandom) -> String {
        rng.below(2) == 0 ? rng.pick(derivedAdjectives) : rng.pick(adjectiveRoots)
    }

    /// A verb as (base, third person, past, gerund).
    public static func verb(_ rng: inout SeededRandom) -> (base: String, third: String, past: String, gerund: String) {
        rng.pick(verbForms)
    }

    /// Every word type the stock can produce (for tests and vocabulary statistics).
    public static var allTypes: Set<String> {
        var all = Set(nouns + pluralNouns + abstractNouns + adjectiveRoots + derivedAdjectives + adverbs + comparatives + materials + colours)
        for (base, past) in verbRoots {
            all.formUnion([base, past, Morphology.thirdPerson(base), Morphology.gerund(base)])
        }
        return all
    }
}
