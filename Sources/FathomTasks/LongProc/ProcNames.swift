import FathomCore

/// Coined names for LongProc's synthetic worlds: cities for routes and trips, people for stories. Names are
/// unique within one `ProcNames` (case-insensitively) and drawn from a seeded stream; hundreds of thousands are
/// available, enough for million-token route graphs.
struct ProcNames {
    private var taken: Set<String> = []
    /// Where `realCity` looks once random picks keep hitting taken names.
    private var realCursor = 0

    init(excluding names: [String] = []) {
        for name in names { taken.insert(name.lowercased()) }
    }

    static let onsets = """
        B Br C Ch Cl D Dr F Fl G Gr H J K Kr L M N P Pr Q R S Sh St T Tr V W Y Z Bl Gl Sk Sl Sp Th Wh Ar El Or Ul Is Av Em
        """.split(separator: " ").map(String.init)
    static let vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "y", "ie", "oa", "au"]
    static let middles = ["r", "l", "n", "m", "v", "d", "s", "th", "rn", "lv", "nd", "st", "rr", "ll", "br", "dr", "ng", "sk", "z", "c"]
    static let cityEndings = """
        ton ford burg ham ville mouth field port haven holm bury dale wick stead minster gate crest mere water \
        bridge brook cliff wood vale marsh fell thorpe by chester ness ley well
        """.split(separator: " ").map(String.init)
    static let cityPrefixes = ["New", "Port", "Upper", "Lower", "East", "West", "North", "South", "Old", "Fort", "Saint", "Lake", "Mount"]
    static let given = """
        Ada Alma Amos Anya Arlo Beth Boris Cara Cyril Dara Dilys Edgar Elsa Enzo Esme Felix Flora Gideon Greta \
        Hana Hugo Ines Ivan Jonah June Kai Kira Leon Lena Luca Lydia Mara Milo Nadia Nico Nora Olaf Opal Otto \
        Pia Quinn Rafe Rhea Rosa Saul Selma Silas Tara Theo Una Uri Vera Vito Wanda Wes Xavi Yara Yusuf Zane Zoe \
        Abel Bea Cole Dina Eli Faye Gus Hal Ida Jude Kit Lola Max Nell Ona Pip Rex Sara Tom Ula Vic Wren
        """.split(separator: " ").map(String.init)

    /// Real city names (short in every tokenizer), for trips.
    static let realCities = """
        Amsterdam,Athens,Barcelona,Berlin,Bern,Bilbao,Bologna,Bordeaux,Bratislava,Bruges,Brussels,Bucharest,Budapest,\
        Cardiff,Cologne,Copenhagen,Cork,Dresden,Dublin,Dubrovnik,Edinburgh,Florence,Frankfurt,Geneva,Genoa,Glasgow,\
        Gothenburg,Graz,Hamburg,Helsinki,Innsbruck,Istanbul,Krakow,Lisbon,Ljubljana,London,Lyon,Madrid,Malaga,\
        Manchester,Marseille,Milan,Munich,Naples,Nice,Oslo,Paris,Porto,Prague,Reykjavik,Riga,Rome,Rotterdam,Salzburg,\
        Seville,Sofia,Split,Stockholm,Tallinn,Turin,Valencia,Venice,Vienna,Vilnius,Warsaw,Zagreb,Zurich,Aarhus,\
        Antwerp,Basel,Belgrade,Bergen,Birmingham,Bremen,Brno,Dortmund,Dusseldorf,Eindhoven,Faro,Gdansk,Ghent,Granada,\
        Hanover,Heidelberg,Leeds,Leipzig,Liverpool,Lucerne,Lugano,Luxembourg,Malmo,Marbella,Montpellier,Nantes,\
        Nuremberg,Odense,Palermo,Pisa,Poznan,Rennes,Sarajevo,Siena,Skopje,Stuttgart,Tampere,Thessaloniki,Tirana,\
        Toulouse,Trieste,Turku,Utrecht,Uppsala,Verona,Wroclaw,York,Zaragoza,Cairo,Casablanca,Marrakech,Tunis,Nairobi,\
        Lagos,Accra,Dakar,Kigali,Addis Ababa,Cape Town,Durban,Johannesburg,Windhoek,Lusaka,Harare,Maputo,Tokyo,Osaka,\
        Kyoto,Seoul,Busan,Beijing,Shanghai,Shenzhen,Taipei,Hanoi,Bangkok,Manila,Jakarta,Singapore,Mumbai,Delhi,\
        Chennai,Kolkata,Dhaka,Karachi,Lahore,Kathmandu,Colombo,Dubai,Doha,Muscat,Amman,Beirut,Tehran,Baku,Tbilisi,\
        Yerevan,Almaty,Tashkent,Sydney,Melbourne,Perth,Brisbane,Auckland,Wellington,Toronto,Montreal,Vancouver,\
        Calgary,Ottawa,Quebec,Boston,Chicago,Denver,Houston,Miami,Seattle,Portland,Austin,Atlanta,Phoenix,Detroit,\
        Dallas,Nashville,Memphis,Mexico City,Guadalajara,Monterrey,Havana,Bogota,Lima,Quito,Santiago,Buenos Aires,\
        Montevideo,Asuncion,La Paz,Caracas,Recife,Salvador,Brasilia,Rio de Janeiro,Sao Paulo,Panama City,San Jose,\
        Kingston,Nassau,Anchorage,Honolulu,Halifax,Winnipeg,Edmonton,Regina,Victoria,Adelaide,Hobart,Darwin,Cairns,\
        Fiji,Apia,Suva,Nuuk,Tromso,Kiruna,Oulu,Umea,Lund,Visby,Aalborg,Ronne,Galway,Limerick,Belfast,Derry,Inverness,\
        Aberdeen,Dundee,Exeter,Bristol,Oxford,Cambridge,Norwich,Brighton,Bath,Chester,Durham,Lille,Nancy,Dijon,\
        Grenoble,Avignon,Lourdes,Biarritz,Cannes,Ajaccio,Bastia,Cagliari,Bari,Lecce,Catania,Messina,Perugia,Parma,\
        Modena,Ravenna,Rimini,Trento,Bolzano,Como,Bergamo,Brescia,Padua,Vicenza,Udine,Ancona,Pescara,Salerno,Sorrento
        """.split(separator: ",").map(String.init)

    /// A real city name no earlier call returned, then coined ones once the list is used up.
    mutating func realCity(_ rng: inout SeededRandom) -> String {
        for _ in 0..<12 {
            let name = rng.pick(Self.realCities)
            if taken.insert(name.lowercased()).inserted { return name }
        }
        while realCursor < Self.realCities.count {
            let name = Self.realCities[realCursor]
            realCursor += 1
            if taken.insert(name.lowercased()).inserted { return name }
        }
        return city(&rng)
    }

    /// A coined syllable root such as "Brelv" or "Thaund".
    static func root(_ rng: inout SeededRandom) -> String {
        var name = rng.pick(onsets) + rng.pick(vowels) + rng.pick(middles)
        if rng.below(3) == 0 { name += rng.pick(vowels) + rng.pick(middles) }
        return name
    }

    /// A city name no earlier call returned: "Brelvton", "Port Skaundale".
    mutating func city(_ rng: inout SeededRandom) -> String {
        while true {
            var name = Self.root(&rng) + rng.pick(Self.cityEndings)
            if rng.below(5) == 0 { name = rng.pick(Self.cityPrefixes) + " " + name }
            if taken.insert(name.lowercased()).inserted { return name }
        }
    }

    /// A given name no earlier call returned (from the list first, then coined).
    mutating func person(_ rng: inout SeededRandom) -> String {
        for _ in 0..<8 {
            let name = rng.pick(Self.given)
            if taken.insert(name.lowercased()).inserted { return name }
        }
        while true {
            let name = Self.root(&rng) + rng.pick(["a", "o", "in", "en", "el", "is", "an"])
            if taken.insert(name.lowercased()).inserted { return name }
        }
    }

    /// Marks `name` as used.
    mutating func reserve(_ name: String) { taken.insert(name.lowercased()) }
}
