/// Fathom's own embedded word lists: the vocabulary of the essay-like prose generator and of word keys/values.
///
/// Written for this project (common English words); no list is copied from another corpus.
public enum Lexicon {
    public static let nouns: [String] = """
        account answer apple archive arrow autumn badge basket beacon bench bicycle blanket bottle boundary bridge \
        bucket budget cabinet camera candle canvas canyon carpet castle cellar channel chapter circle cliff clock \
        cloud compass corner cottage council country courage crystal current cushion custom dawn desert diary \
        distance doorway dragon drawer engine estate evening fabric factory feather fence field figure forest \
        fortune fountain garden garment gate glacier harbor harvest helmet highway hollow horizon island journey \
        kettle kingdom ladder lantern ledger letter library lighthouse machine market meadow melody mirror \
        morning mountain museum needle notebook ocean orchard orbit package palace panel parade passage pattern \
        pebble pencil pillow planet pocket portrait puzzle quarry rabbit railway reason record ribbon river \
        rocket saddle sailor satchel scholar season shadow shelter signal silver sketch sparrow spindle spring \
        square stable staircase statue stone storm stream street summer sunset table teacher temple theater \
        thread thunder ticket timber tower trail treasure tunnel valley velvet village violin voyage wagon \
        walnut window winter workshop harvester mill pigeon compass anchor barrel blossom furnace meadowlark \
        saucer tapestry trellis turbine wharf whistle
        """.split(separator: " ").map(String.init)

    public static let adjectives: [String] = """
        ancient bright brisk calm careful cheerful clever cold curious daring deep distant dusty eager early \
        elegant empty faint famous fierce fragile gentle gifted golden graceful grand hidden honest humble idle \
        jolly keen kind lively lonely loyal lucky massive merry mighty modest narrow noble odd patient plain \
        polite proud quiet rapid rare restless rich rough rustic scarlet secret serene sharp shy silent simple \
        sleepy slender smooth solemn sturdy subtle sudden swift tender tidy tiny vast velvet vivid wandering \
        warm weary wild wise witty young amber azure brave crimson dapper dizzy frosty gleaming hasty hollow \
        icy lavish mellow misty nimble opal pale placid quaint radiant sable silky stormy tawny thrifty \
        verdant wistful zealous
        """.split(separator: " ").map(String.init)

    /// (present, past) verb forms.
    public static let verbs: [(String, String)] = """
        build:built carry:carried change:changed climb:climbed collect:collected copy:copied cross:crossed \
        describe:described design:designed discover:discovered draw:drew explain:explained explore:explored \
        follow:followed gather:gathered guide:guided imagine:imagined improve:improved keep:kept learn:learned \
        lift:lifted measure:measured mend:mended notice:noticed open:opened paint:painted plan:planned \
        polish:polished question:questioned read:read remember:remembered repair:repaired study:studied \
        teach:taught test:tested trace:traced visit:visited watch:watched weigh:weighed write:wrote \
        bring:brought find:found leave:left hold:held shape:shaped sort:sorted share:shared \
        count:counted sketch:sketched record:recorded
        """.split(separator: " ").map { pair in
        let parts = pair.split(separator: ":")
        return (String(parts[0]), String(parts[1]))
    }

    public static let adverbs: [String] = """
        quietly slowly carefully quickly patiently boldly gently rarely often seldom eagerly calmly \
        steadily openly plainly warmly briskly gladly honestly kindly loosely neatly proudly simply \
        softly sternly swiftly wisely
        """.split(separator: " ").map(String.init)

    /// Fictional given names.
    public static let names: [String] = """
        Alden Briony Caspian Delphine Emrys Fenna Galen Hollis Isolde Jaron Kestrel Liora Mirren Nolan Orla \
        Perrin Quilla Rowan Selby Tamsin Ulric Vesna Wren Yarrow Zelda Anselm Bettany Corwin Dunya Elowen \
        Faro Greer Hadria Ivo Junia Kelm Lazlo Maelis Neve Odo Pella Quentin Rhosyn Sabra Teodor
        """.split(separator: " ").map(String.init)

    /// Fictional place names.
    public static let places: [String] = """
        Ashgrove Brackenford Caldermoor Dunhallow Eastmere Fallowmere Glenrath Harrowgate Ironvale Juniper \
        Kelderby Larkspur Marrowind Northcombe Oakhaven Pennymoor Quarrywell Rookhurst Saltmarsh Thistlewick \
        Umberfield Valewick Westholm Yarrowby Zennor
        """.split(separator: " ").map(String.init)

    /// Abstract nouns for reflective sentences.
    public static let ideas: [String] = """
        attention balance craft curiosity discipline doubt effort freedom habit honesty hope judgment \
        knowledge labor memory patience practice progress purpose risk skill taste time trust wonder \
        ambition clarity method rhythm
        """.split(separator: " ").map(String.init)
}
