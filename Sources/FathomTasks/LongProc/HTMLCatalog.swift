import FathomCore

/// The entities an HTML-to-TSV page lists: a topic (products, books, events…) with typed fields, and seeded values
/// in the formats real pages use (currencies, several date formats, units, ratings, lists, multi-line addresses,
/// names with `&`, quotes and accents, blanks).
struct HTMLCatalog {
    enum Kind: String, Codable, Sendable {
        /// Plain text.
        case text
        /// A list of items: shown as a list on the page, comma-joined in the TSV.
        case list
        /// Lines shown with `<br>`, joined by a space in the TSV.
        case lines
        /// A number with a unit or currency; `value` orders and filters it.
        case number
    }

    struct Field: Sendable {
        var header: String
        var label: String
        var kind: Kind
        /// May be blank on the page (N/A in the TSV).
        var optional: Bool
        /// Can be used in a filter (equality on text, at least a value on numbers).
        var filterable: Bool
        var make: @Sendable (inout SeededRandom, Style) -> Cell
    }

    /// A field's value: its text parts (one for text and numbers, several for lists and lines) and, for numbers,
    /// the amount filters compare.
    struct Cell: Codable, Sendable, Hashable {
        var parts: [String]
        var amount: Double?

        /// What the TSV holds.
        func tsv(_ kind: Kind) -> String {
            if parts.isEmpty { return "N/A" }
            return parts.joined(separator: kind == .list ? ", " : " ")
        }
    }

    /// Per-page formats (one date format, one currency…), as on a real site.
    struct Style: Sendable {
        var currency: (symbol: String, before: Bool)
        var dateFormat: Int
        var ratingFormat: Int
    }

    struct Topic: Sendable {
        var name: String
        var item: String
        var fields: [Field]
    }

    static let adjectives = "Classic Compact Deluxe Eco Essential Golden Heritage Lunar Modern Nordic Pocket Premium Rustic Silver Smart Solar Urban Velvet Vintage Wild".split(separator: " ").map(String.init)
    static let nouns = "Backpack Blender Candle Chair Desk Lamp Grinder Headphones Kettle Mug Notebook Pillow Planter Scarf Speaker Teapot Toaster Umbrella Wallet Watch".split(separator: " ").map(String.init)
    static let brands = ["Acme & Sons", "Brightwell", "Caf\u{E9} Nova", "Dunmore", "Elkhorn", "Fjord & Pine", "Garnet", "H\u{E9}lios", "Ironleaf", "Juniper", "Kestrel", "L'Atelier", "Meadowlark", "Northwind", "O'Reilly Home"]
    static let words = "river stone garden winter amber silent paper harbor ember echo velvet cedar lantern orchard meadow copper hollow willow".split(separator: " ").map(String.init)
    static let first = ["Ana", "Bruno", "Chlo\u{E9}", "Dmitri", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jamal", "Kasia", "Luis", "Mei", "Nia", "Omar", "Priya", "Ren\u{E9}e", "Sven", "Tomasz", "Yuki"]
    static let last = ["Abara", "Berg", "Castillo", "D'Souza", "Eriksen", "Fontaine", "Gupta", "Hale", "Ito", "Jansen", "Kowalski", "Lindqvist", "Moreau", "N\u{FA}\u{F1}ez", "Okafor", "Park", "Quinn", "Rossi", "Sato", "Walsh"]
    static let cities = ["Aberdeen", "Bilbao", "Cork", "Dresden", "Eindhoven", "Faro", "Graz", "Helsinki", "Izmir", "Ljubljana", "Malm\u{F6}", "Nantes", "Porto", "Riga", "Tartu", "Utrecht"]
    static let streets = ["Elm Street", "Harbor Road", "Mill Lane", "Oak Avenue", "Station Road", "Park Place", "Canal Walk", "King's Row"]
    static let tags = ["bestseller", "new", "eco-friendly", "limited edition", "handmade", "gift idea", "on sale", "waterproof", "vegan", "imported"]
    static let genres = ["mystery", "science fiction", "history", "poetry", "biography", "fantasy", "travel", "cooking", "romance", "philosophy"]
    static let skills = ["Python", "SQL", "C++", "Excel", "Figma", "Kubernetes", "Rust", "statistics", "negotiation", "Spanish"]
    static let cuisines = ["Italian", "Thai", "Mexican", "Japanese", "Indian", "Greek", "Ethiopian", "French", "Korean", "Lebanese"]
    static let dishes = ["Risotto", "Curry", "Tacos", "Ramen", "Dal", "Moussaka", "Stew", "Tart", "Bibimbap", "Falafel"]
    static let ingredients = ["garlic", "lemon", "basil", "rice", "chickpeas", "tofu", "saffron", "ginger", "feta", "mint", "lentils", "chili"]
    static let venues = ["The Old Mill", "Riverside Hall", "Caf\u{E9} Lumi\u{E8}re", "Hall 7 & Annex", "The \"Blue\" Room", "St. Anne's Church", "Harbor Stage"]
    static let events = ["Jazz Night", "Book Fair", "Film Club", "Open Mic", "Wine Tasting", "Chess Open", "Poetry Slam", "Craft Market"]
    static let companies = ["Acme Analytics", "Bluefin Labs", "Cobalt & Co", "Driftwood Data", "Evergreen Health", "Foxglove AI", "Granite Bank", "Harbor Logistics"]
    static let roles = ["Data Analyst", "Backend Engineer", "Product Designer", "Account Manager", "Research Scientist", "Site Reliability Engineer", "Copywriter", "Nurse Practitioner"]

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func date(_ rng: inout SeededRandom, _ style: Style) -> Cell {
        let (y, m, d) = (rng.int(in: 2019...2026), rng.int(in: 1...12), rng.int(in: 1...28))
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        let text: String
        switch style.dateFormat {
        case 0: text = "\(y)-\(two(m))-\(two(d))"
        case 1: text = "\(two(m))/\(two(d))/\(y)"
        case 2: text = "\(months[m - 1]) \(d), \(y)"
        default: text = "\(d) \(months[m - 1].prefix(3)) \(y)"
        }
        return Cell(parts: [text], amount: Double(y * 10000 + m * 100 + d))
    }

    static func grouped(_ x: Int) -> String {
        let digits = String(x)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    static func money(_ rng: inout SeededRandom, _ style: Style, _ range: ClosedRange<Int>, cents: Bool = true) -> Cell {
        let whole = rng.int(in: range)
        let c = cents ? rng.pick([0, 49, 95, 99, 50, 25]) : 0
        var text = grouped(whole) + (cents ? "." + (c < 10 ? "0\(c)" : "\(c)") : "")
        text = style.currency.before ? style.currency.symbol + text : text + " " + style.currency.symbol
        return Cell(parts: [text], amount: Double(whole) + Double(c) / 100)
    }

    static func rating(_ rng: inout SeededRandom, _ style: Style) -> Cell {
        let r = Double(rng.int(in: 10...50)) / 10
        let text = switch style.ratingFormat {
        case 0: "\(r) out of 5"
        case 1: "\(r)/5"
        default: "\(r) stars"
        }
        return Cell(parts: [text], amount: r)
    }

    static func some(_ rng: inout SeededRandom, _ pool: [String], _ range: ClosedRange<Int>) -> [String] {
        rng.sampleIndices(pool.count, min(pool.count, rng.int(in: range))).map { pool[$0] }
    }

    static func person(_ rng: inout SeededRandom) -> String { rng.pick(first) + " " + rng.pick(last) }

    static let topics: [Topic] = [
        Topic(name: "products", item: "product", fields: [
            Field(header: "product_name", label: "Product", kind: .text, optional: false, filterable: false) { r, _ in
                Cell(parts: ["\(r.pick(adjectives)) \(r.pick(nouns)) \(r.int(in: 2...9))\(r.pick(["00", "0", "X", "S"]))"])
            },
            Field(header: "brand", label: "Brand", kind: .text, optional: false, filterable: true) { r, _ in Cell(parts: [r.pick(brands)]) },
            Field(header: "price", label: "Price", kind: .number, optional: false, filterable: true) { r, s in money(&r, s, 3...480) },
            Field(header: "rating", label: "Rating", kind: .number, optional: true, filterable: false) { r, s in rating(&r, s) },
            Field(header: "weight", label: "Weight", kind: .number, optional: true, filterable: false) { r, _ in
                let g = r.int(in: 80...9500)
                return Cell(parts: [g >= 1000 ? "\(Double(g / 10) / 100) kg" : "\(g) g"], amount: Double(g))
            },
            Field(header: "tags", label: "Tags", kind: .list, optional: true, filterable: false) { r, _ in Cell(parts: some(&r, tags, 1...3)) },
            Field(header: "reviews", label: "Reviews", kind: .number, optional: false, filterable: true) { r, _ in
                let n = r.int(in: 0...25000)
                return Cell(parts: ["\(grouped(n)) reviews"], amount: Double(n))
            },
        ]),
        Topic(name: "books", item: "book", fields: [
            Field(header: "title", label: "Title", kind: .text, optional: false, filterable: false) { r, _ in
                Cell(parts: [r.pick(["The ", "A ", "", "Notes on "]) + "\(r.pick(words).capitalizedWord) & \(r.pick(words).capitalizedWord)" + r.pick(["", ": A Novel", " (2nd ed.)", "?"])])
            },
            Field(header: "author", label: "Author", kind: .text, optional: false, filterable: true) { r, _ in Cell(parts: [person(&r)]) },
            Field(header: "published", label: "Published", kind: .number, optional: true, filterable: false) { r, s in date(&r, s) },
            Field(header: "pages", label: "Pages", kind: .number, optional: true, filterable: false) { r, _ in
                let n = r.int(in: 48...1200)
                return Cell(parts: ["\(n) pages"], amount: Double(n))
            },
            Field(header: "price", label: "Price", kind: .number, optional: false, filterable: true) { r, s in money(&r, s, 4...90) },
            Field(header: "genres", label: "Genres", kind: .list, optional: true, filterable: false) { r, _ in Cell(parts: some(&r, genres, 1...3)) },
        ]),
        Topic(name: "events", item: "event", fields: [
            Field(header: "event", label: "Event", kind: .text, optional: false, filterable: false) { r, _ in
                Cell(parts: ["\(r.pick(events)) #\(r.int(in: 1...99))"])
            },
            Field(header: "venue", label: "Venue", kind: .text, optional: false, filterable: true) { r, _ in Cell(parts: [r.pick(venues)]) },
            Field(header: "date", label: "Date", kind: .number, optional: false, filterable: false) { r, s in date(&r, s) },
            Field(header: "city", label: "City", kind: .text, optional: false, filterable: true) { r, _ in Cell(parts: [r.pick(cities)]) },
            Field(header: "ticket_price", label: "Tickets", kind: .number, optional: true, filterable: false) { r, s in money(&r, s, 5...150) },
            Field(header: "organizer", label: "Organizer", kind: .text, optional: true, filterable: false) { r, _ in Cell(parts: [person(&r)]) },
        ]),
        Topic(name: "homes for sale", item: "home", fields: [
            Field(header: "address", label: "Address", kind: .lines, optional: false, filterable: false) { r, _ in
                Cell(parts: ["\(r.int(in: 1...240)) \(r.pick(streets))", "\(r.pick(cities)) \(r.int(in: 1000...9999))"])
            },
            Field(header: "price", label: "Price", kind: .number, optional: false, filterable: true) { r, s in money(&r, s, 90_000...1_900_000, cents: false) },
            Field(header: "bedrooms", label: "Bedrooms", kind: .number, optional: false, filterable: true) { r, _ in
                let n = r.int(in: 1...6)
                return Cell(parts: ["\(n) bd"], amount: Double(n))
            },
            Field(header: "area", label: "Area", kind: .number, optional: true, filterable: false) { r, _ in
                let n = r.int(in: 35...420)
                return Cell(parts: ["\(n) m\u{B2}"], amount: Double(n))
            },
            Field(header: "listed", label: "Listed", kind: .number, optional: true, filterable: false) { r, s in date(&r, s) },
            Field(header: "agent", label: "Agent", kind: .text, optional: true, filterable: false) { r, _ in Cell(parts: [person(&r)]) },
        ]),
        Topic(name: "job openings", item: "job", fields: [
            Field(header: "job_title", label: "Role", kind: .text, optional: false, filterable: false) { r, _ in
                Cell(parts: [r.pick(["", "Senior ", "Junior ", "Lead "]) + r.pick(roles)])
            },
            Field(header: "company", label: "Company", kind: .text, optional: false, filterable: true) { r, _ in Cell(parts: [r.pick(companies)]) },
            Field(header: "location", label: "Location", kind: .text, optional: false, filterable: true) { r, _ in
                Cell(parts: [r.below(4) == 0 ? "Remote" : r.pick(cities)])
            },
            Field(header: "salary", label: "Salary", kind: .number, optional: true, filterable: false) { r, s in
                var cell = money(&r, s, 28...190, cents: false)
                cell.parts[0] += "k/year"
                return cell
            },
            Field(header: "posted", label: "Posted", kind: .number, optional: false, filterable: false) { r, s in date(&r, s) },
            Field(header: "skills", label: "Skills", kind: .list, optional: true, filterable: false) { r, _ in Cell(parts: some(&r, skills, 2...4)) },
        ]),
        Topic(name: "recipes", item: "recipe", fields: [
            Field(header: "recipe", label: "Recipe", kind: .text, optional: false, filterable: false) { r, _ in
                Cell(parts: ["\(r.pick(words).capitalizedWord) \(r.pick(dishes))" + r.pick(["", " (Vegan)", " \u{2013} Quick", " \"Nonna's\""])])
            },
            Field(header: "cuisine", label: "Cuisine", kind: .text, optional: false, filterable: true) { r, _ in Cell(parts: [r.pick(cuisines)]) },
            Field(header: "prep_time", label: "Prep time", kind: .number, optional: false, filterable: false) { r, _ in
                let n = r.int(in: 5...180)
                return Cell(parts: [n >= 60 ? "\(n / 60) h \(n % 60) min" : "\(n) min"], amount: Double(n))
            },
            Field(header: "calories", label: "Calories", kind: .number, optional: true, filterable: false) { r, _ in
                let n = r.int(in: 90...1400)
                return Cell(parts: ["\(n) kcal"], amount: Double(n))
            },
            Field(header: "rating", label: "Rating", kind: .number, optional: true, filterable: false) { r, s in rating(&r, s) },
            Field(header: "ingredients", label: "Ingredients", kind: .list, optional: false, filterable: false) { r, _ in
                Cell(parts: some(&r, ingredients, 2...5))
            },
        ]),
    ]
}

extension String {
    /// The first letter upper-cased (ASCII).
    var capitalizedWord: String { prefix(1).uppercased() + dropFirst() }
}
