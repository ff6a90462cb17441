import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// RULER's common words extraction (CWE): a numbered list "1. w 2. w …" in which `common` words appear
/// `common_repeats` times and every other word `uncommon_repeats` times; the model names the common ones.
///
/// The list is the whole context and is sized to the length window by the number of uncommon words. Below 4K
/// tokens RULER's small-length counts apply (6 and 1, demo of 20 words at 3 and 1); otherwise the demo has 40 words
/// at 10 and 3. The demo has its own words (none of the sample's) and both are drawn, shuffled and ordered from the
/// sample's seed, so no two samples share a permutation. Words come from `Lexicon` and `extraWords` (about 1,500 real
/// words); when a list needs more distinct words than that, pronounceable made-up words (`madeUpWord`) fill in, and
/// which words are common is drawn uniformly from all the words used, so real and made-up words are equally likely
/// to be common.
public struct CommonWords: TaskPlugin {
    public static let kind = "common_words"
    public static let summary = "Name the words that occur most often in a long numbered word list."
    public static let metrics = ["string_match_all"]
    public static let defaultMaxTokens = 120
    public static let defaultTags = TaskTags(family: "synthetic-aggregation", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var common = 10
        public var commonRepeats = 30
        public var uncommonRepeats = 3
        public var demo = true
        public init() {}
        enum CodingKeys: String, CodingKey { case common, commonRepeats = "common_repeats", uncommonRepeats = "uncommon_repeats", demo }
        public static let documentation: [String: ParameterDoc] = [
            "common": ParameterDoc("number of common words (the answer)", minimum: 1),
            "common_repeats": ParameterDoc("occurrences of each common word (from 4K)", minimum: 2),
            "uncommon_repeats": ParameterDoc("occurrences of every other word (from 4K)", minimum: 1),
            "demo": ParameterDoc("prepend a one-shot demo with its own words"),
        ]
    }

    /// Below this length RULER uses 6/1 repeats and a 20-word demo at 3/1.
    static let smallLength = 4096

    public let descriptor: TaskDescriptor
    let common: Int
    let commonRepeats: Int
    let uncommonRepeats: Int
    let demo: Bool

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        common = p.common
        commonRepeats = p.commonRepeats
        uncommonRepeats = p.uncommonRepeats
        demo = p.demo
        guard commonRepeats > uncommonRepeats else {
            throw FathomError(.invalidValue, "common_repeats must exceed uncommon_repeats", key: "params.common_repeats")
        }
    }

    static func instruction() -> String {
        "Below is a numbered list of words. In these words, some appear more often than others. Memorize the ones that appear most often."
    }

    static func question(common: Int) -> String { "Question: What are the \(common) most common words in the above list?" }

    static func answerPrefix(common: Int) -> String { " Answer: The top \(common) words that appear most often in the list are:" }

    /// "1. a 2. b …"
    static func numbered(_ words: [String]) -> String {
        var out = ""
        out.reserveCapacity(words.count * 12)
        for (i, word) in words.enumerated() {
            if i > 0 { out += " " }
            out += String(i + 1)
            out += ". "
            out += word
        }
        return out
    }

    /// More everyday English words for the lists, written for this project (not copied from any word list).
    static let extraWords: [String] = """
        acorn actor advice agent airport album alley almond alphabet altar amount angle ankle apron arch arena \
        armchair artist atlas attic auction avenue axle bakery balcony ballad bamboo banana bandage banner barn \
        baron basin battery bay bead beam bean beard beetle bell belt berry biscuit blade blender blizzard \
        bonnet border bouquet bowl bracelet branch brass bread brick brook broom brush bubble bulb bundle \
        butter button cabin cactus cake calendar camel canal candy cannon cape captain caravan cargo carrot \
        cart cascade catalog cathedral cedar ceiling cement chair chalk chamber champion chariot cherry \
        chess chest chimney chin chisel chorus cinema citizen clam clay clerk climate cloak closet clover \
        coach coast cobweb cocoa coin collar colony comet comma cone cookie copper coral cord cork corridor \
        costume cotton couch cousin cradle crane crate crayon creek crown crumb cube cup curtain cycle \
        dairy daisy dancer deck deer delta dentist depot diamond dial dinner dish dock dollar dolphin dome \
        donkey dough dove dragonfly drum duck dune dust eagle earring easel echo eel elbow elephant elm \
        emerald envelope eraser errand fable falcon fan farm faucet fern ferry festival fiddle film finch \
        fireplace fjord flag flame flute foam fog folder fork fossil fox frame freezer frog frost fudge \
        funnel galaxy gallery garage garlic gazelle gem giant ginger giraffe glove goat gondola goose gorilla \
        gown grape grass gravel griddle grocer guitar gulf gutter hammer hammock hamster handle harp hat \
        hawk hazel hedge heron hinge hippo hive honey hook hornet hose hotel hound husk hut iceberg igloo \
        ink insect iris iron ivory ivy jacket jaguar jam jar jelly jewel jigsaw jockey juice jungle kayak \
        kernel key kitchen kite kitten knapsack knot koala label lace lagoon lake lamb lamp lawn leaf lemon \
        lens leopard lettuce lever lily lime linen lion lizard llama lobster locket lodge loom lotus lumber \
        magnet mango mantle map maple marble mask mast mattress medal melon menu merchant meteor mitten \
        moat mole monk monkey moose mop moss moth motor mound mouse muffin mule mural mushroom mustard nail \
        napkin nest net nickel noodle nut oak oar oasis olive onion opera orange otter oven owl ox oyster \
        paddle pail painter pajamas pan panda pantry paper parcel parrot pasta pastry peach peanut pear \
        pearl pebbles pelican pen pepper piano pickle pie pier pine pipe pirate pitcher pizza plank plate \
        platform plum plumber pond pony porch potato pottery pouch powder prairie prism pudding pump \
        pumpkin puppet quail quill quilt radish raft rain raisin ranch raven recipe reed reef reindeer \
        rhino rice ridge ring robe robin rope rose rudder rug ruler sack saffron salad salmon sand sandal \
        sapphire sardine sauce sausage scarf scissors scooter screw sculptor seal seed shawl shed sheep \
        shell shield ship shoe shovel shrimp shrub sieve silk sink skate skillet skirt skull sled sleeve \
        slipper sloth snail snake soap sock sofa soup spade spider spinach sponge spoon squid squirrel \
        stamp stapler starfish steeple stew stool stove straw strawberry sugar suitcase sundial swan \
        sweater swing sword syrup tablet tadpole tail tangerine tank tea teapot telescope tent thimble \
        thistle throne tiger tile toad toast tomato tongs torch tortoise towel toy tractor tray tree \
        tripod trophy trout truck trumpet tulip tuna turkey turtle tutor twig umbrella unicorn urn vase \
        vest vine vinegar volcano vulture waffle waiter wallet walrus wand wasp watermelon wax weasel whale \
        wheat wheel whisk willow wolf wool worm wreath yacht yak yarn yogurt zebra zipper \
        able active afraid agile alert alive angry anxious awake bald bare basic bitter blank bland blind \
        bold bored bossy bouncy breezy brief bumpy busy chilly chubby clean clear cloudy clumsy coarse cozy \
        crisp crooked cruel cuddly damp dark dear dense dim dirty dreary dry dull dusky easy edgy empty \
        equal exact fancy fast fine firm flat fluffy foggy fond foolish formal fresh friendly full funny \
        fuzzy giddy glad gloomy glossy good grassy greasy great greedy grim grumpy hairy handy happy hard \
        harsh heavy helpful hilly hot huge hungry icy ideal jumpy juicy large late lazy lean light little \
        long loud lovely low mad magic messy mild minor moist muddy mushy nasty neat needy nervous new nice \
        nosy numb old orderly plump polished poor pretty prickly pure quick ragged rainy ready real regal \
        rigid ripe rocky rosy round royal rude rusty sad salty sandy scary shaggy shiny short sick silly \
        sleek slim slow small snowy soft soggy sour spare spicy spotty square stale steady steep sticky \
        stiff stuffy sunny super sweet tall tame tart tense thick thin thirsty tight tired tough tricky \
        true ugly uneven upset useful vague valid vivid wary wavy weak wet whole wide windy wiry wobbly \
        wooden woolly worried wrong yellow young yummy zany \
        accept add admire agree allow amuse announce annoy appear applaud arrange arrive ask attach attend \
        bake balance bang bathe battle beg behave belong bless blink boil bolt bounce bow breathe brush bump \
        calculate call camp care carve cause chase cheer chew choke chop clap clean clip close coil comb \
        compare complain concern confess connect consider cough crash crawl cry cure cycle dance dare decide \
        deliver depend desert destroy develop dig dress drip drop dry dust earn educate embrace empty \
        encourage enjoy enter escape examine excite exercise expect fade fasten fear fetch file fill fit fix \
        flash float flood flow fold force form frame frighten fry gaze glow glue grab greet grin grip groan \
        guard guess hammer hand handle hang happen harm hate heal heap heat help hook hop hope hover hug hum \
        hunt hurry ignore inform inject instruct intend invent invite irritate itch jog joke judge juggle \
        jump kick kneel knit knock label land laugh launch lick listen load lock long love manage march \
        marry match matter melt milk mine miss mix moan move mourn mug nest nod obey observe obtain occur \
        offer order owe own pack paddle park pass pat pause peck pedal peel peep perform permit phone pick \
        pinch place plant play please plug point poke pour pray preach prefer prepare present press pretend \
        prevent print produce promise protect provide pull punch punish push rain raise reach realise \
        receive reduce reflect refuse reign reject rejoice relax release rely remain remind remove rescue \
        rest return rhyme rinse risk rob rock roll rub ruin rule rush sail satisfy save scare scatter \
        scold scrape scream screw scribble scrub seal search separate serve settle shade shiver shock shop \
        shrug sigh sign sin sip ski skip slap slip slow smash smell smile smoke snatch sneeze sniff snore \
        snow soak soothe sound spare spark sparkle spell spill spoil spot spray sprout squash squeak squeal \
        squeeze stain stamp stare start stay steer step stir stitch stop store strap strengthen stretch \
        strip stroke stuff succeed suck suffer suggest suit supply support suppose surprise surround \
        suspect suspend switch talk tame tap taste tease telephone tempt terrify thank thaw tick tickle tie \
        tip tire touch tour tow train transport trap travel treat tremble trick trip trot trouble trust try \
        tug tumble turn twist type undress unfasten unite unlock unpack untidy use vanish vex wail wait \
        walk wander want warm warn wash waste wave wink wipe wish wobble wonder work worry wrap wreck \
        wrestle yawn yell zip zoom
        """.split(separator: " ").map(String.init)

    /// The real words: every single-word, lowercase entry of `Lexicon` and `extraWords`, deduplicated and sorted.
    static let realWords: [String] = {
        let all = Lexicon.nouns + Lexicon.adjectives + Lexicon.verbs.flatMap { [$0.0, $0.1] } + Lexicon.adverbs + Lexicon.ideas
            + extraWords
        return Set(all.filter { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7a } }).sorted()
    }()

    static let realSet = Set(realWords)

    static let onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cr", "dr", "fr", "gr", "pr", "tr", "bl", "cl", "fl", "gl", "pl", "sl", "st", "sp", "sh", "ch", "th"]
    static let vowels = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "oo", "ie"]
    static let codas = ["", "", "", "", "n", "r", "l", "s", "m", "t", "nd", "st", "rk", "ck"]

    /// A pronounceable made-up word of two (or, one time in four, three) syllables, e.g. "brelmon".
    static func madeUpWord(_ rng: inout SeededRandom) -> String {
        var word = ""
        for _ in 0..<(rng.below(4) == 0 ? 3 : 2) {
            word += rng.pick(onsets) + rng.pick(vowels) + rng.pick(codas)
        }
        return word
    }

    /// Words in a sample's order: the real words shuffled, then made-up words as needed (distinct throughout).
    struct WordPool {
        private(set) var words: [String]
        private var seen: Set<String>
        private var rng: SeededRandom
        init(seed: UInt64) {
            rng = SeededRandom(seed: seed)
            words = CommonWords.realWords
            rng.shuffle(&words)
            seen = Set(words)
        }
        mutating func ensure(_ count: Int) {
            while words.count < count {
                let word = CommonWords.madeUpWord(&rng)
                if seen.insert(word).inserted { words.append(word) }
            }
        }
    }

    /// A list with each of `common` words `commonRepeats` times and each of `uncommon` words `uncommonRepeats`
    /// times, shuffled from `seed`.
    static func list(common: [String], uncommon: ArraySlice<String>, commonRepeats: Int, uncommonRepeats: Int, seed: UInt64) -> [String] {
        var items: [String] = []
        items.reserveCapacity(common.count * commonRepeats + uncommon.count * uncommonRepeats)
        for word in common { for _ in 0..<commonRepeats { items.append(word) } }
        for word in uncommon { for _ in 0..<uncommonRepeats { items.append(word) } }
        var rng = SeededRandom(seed: seed)
        rng.shuffle(&items)
        return items
    }

    /// Splits `words` into `count` common words drawn uniformly and the rest (in their original order).
    ///
    /// A word that occurs inside another word of the list (e.g. "paint" in "painted") is never made common: the
    /// substring metric would credit an answer naming the longer, uncommon word.
    static func roles(_ words: ArraySlice<String>, count: Int, seed: UInt64) -> (common: [String], rest: [String]) {
        var rng = SeededRandom(seed: seed)
        let list = Array(words)
        var order = Array(list.indices)
        rng.shuffle(&order)
        var picked: [Int] = []
        for i in order where picked.count < count {
            let word = Array(list[i].utf8)
            if !list.indices.contains(where: { $0 != i && contains(Array(list[$0].utf8), word) }) { picked.append(i) }
        }
        precondition(picked.count == count, "too few words for \(count) common ones")
        let chosen = Set(picked)
        return (picked.map { list[$0] }, list.indices.filter { !chosen.contains($0) }.map { list[$0] })
    }

    /// Whether `needle` occurs in `hay` (bytes).
    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= hay.count else { return false }
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        let small = request.length < Self.smallLength
        let (cf, uf) = small ? (6, 1) : (commonRepeats, uncommonRepeats)
        let demoCount = demo ? (small ? 20 : 40) : 0
        let (demoCF, demoUF) = small ? (3, 1) : (10, 3)
        let maxTokens = request.generation.maxTokens
        var pool = WordPool(seed: deriveSeed(seed, "words"))
        pool.ensure(demoCount + common + 1)

        let instruction = Self.instruction()
        let question = Self.question(common: common)
        let prefix = Self.answerPrefix(common: common)
        var demoText = ""
        if demo {
            let demoCommon = min(common, demoCount - 1)
            let demoRoles = Self.roles(pool.words[0..<demoCount], count: demoCommon, seed: deriveSeed(seed, "demo roles"))
            let shown = Self.list(
                common: demoRoles.common, uncommon: demoRoles.rest[...], commonRepeats: demoCF, uncommonRepeats: demoUF,
                seed: deriveSeed(seed, "demo order"))
            demoText = instruction + "\n" + Self.numbered(shown) + "\n" + question + prefix + " " + Self.numbered(demoRoles.common) + "\n"
        }
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: prefix, frame: { context in [Message(.user, demoText + instruction + "\n" + context + "\n" + question)] }))
        // k = number of uncommon words. Growing k must only add uncommon words (one step is 3 items, well inside the
        // window), so the common words are fixed before sizing. They are drawn uniformly from the words the list
        // will use, estimated by a first sizing pass whose common words are simply the first ones.
        let orderSeed = deriveSeed(seed, "list order")
        let mainStart = demoCount
        func words(_ count: Int) -> ArraySlice<String> {
            pool.ensure(mainStart + count)
            return pool.words[mainStart..<(mainStart + count)]
        }
        let perItem = max(1, request.tokenizer.count(" 999. " + (pool.words.last ?? "word")))
        let guess = max(1, ((request.length - maxTokens - request.tokenizer.count(demoText)) / perItem - common * cf) / uf)
        let estimate = try builder.build(minimum: 1, guess: guess) { k in
            let w = words(common + k)
            return Self.numbered(Self.list(common: Array(w.prefix(common)), uncommon: w.dropFirst(common), commonRepeats: cf, uncommonRepeats: uf, seed: orderSeed))
        }
        let span = common + estimate.size + max(8, estimate.size / 20)
        let roles = Self.roles(words(span), count: common, seed: deriveSeed(seed, "roles"))
        // Beyond the estimated words, further words are taken in pool order, skipping any that contain a common word.
        var extra: [String] = []
        var nextWord = span
        func uncommon(_ k: Int) -> ArraySlice<String> {
            if k <= roles.rest.count { return roles.rest[0..<k] }
            while roles.rest.count + extra.count < k {
                let word = words(nextWord + 1).last!
                nextWord += 1
                if !roles.common.contains(where: { word.contains($0) }) { extra.append(word) }
            }
            return (roles.rest + extra)[0..<k]
        }
        let sized = try builder.build(minimum: 1, guess: estimate.size) { k in
            Self.numbered(Self.list(common: roles.common, uncommon: uncommon(k), commonRepeats: cf, uncommonRepeats: uf, seed: orderSeed))
        }
        let answer = roles.common
        let madeUp = (roles.common + uncommon(sized.size)).filter { !Self.realSet.contains($0) }.count
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
            messages: sized.prompt.messages, answerPrefix: prefix, promptText: sized.prompt.promptText,
            reference: Reference(answers: answer), generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                tokenizer: request.tokenizer.fingerprint,
                knobs: [
                    "distinct_words": .int(common + sized.size), "list_items": .int(common * cf + sized.size * uf),
                    "common_repeats": .int(cf), "uncommon_repeats": .int(uf), "made_up_words": .int(madeUp),
                    "sizing_encodings": .int(estimate.prompt.verifications + sized.prompt.verifications),
                ]))
    }

    /// The common words numbered, in the demo's answer format.
    public func oracleAnswer(sample: Sample) -> String {
        " " + Self.numbered(sample.reference.answers)
    }
}
