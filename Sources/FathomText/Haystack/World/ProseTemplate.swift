import FathomCore

/// A sentence pattern parsed once into literal pieces and slots, filled by appending (no string searching), so
/// prose is cheap to make at a million tokens.
///
/// Slots: `{S}` the subject's phrase; `{n}` a noun, `{ns}` a plural noun, `{a}` an adjective, `{an}` "a"/"an" and
/// an adjective, `{cmp}` a comparative, `{v}` a past-tense verb, `{vb}` a base verb, `{vs}` a third-person verb,
/// `{ving}` an -ing form, `{adv}` an adverb, `{idea}` an abstract noun, `{num}` a number word (two to twelve),
/// `{time}` a unit of time in the plural, `{season}`, `{occ}` an occupation, `{mat}` a material, `{col}` a
/// colour, and `{0}`…`{9}` caller-given words. Every pattern starts a sentence; its first letter is capitalised.
public struct ProseTemplate: Sendable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        case subject
        case argument(Int)
        case noun, plural, adjective, articleAdjective, comparative, past, base, third, gerund, adverb, idea, number, time
        case season, occupation, material, colour
    }

    let pieces: [Piece]

    public init(_ pattern: String) {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = rest[rest.index(after: open)..<close]
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            switch name {
            case "S": pieces.append(.subject)
            case "n": pieces.append(.noun)
            case "ns": pieces.append(.plural)
            case "a": pieces.append(.adjective)
            case "an": pieces.append(.articleAdjective)
            case "cmp": pieces.append(.comparative)
            case "v": pieces.append(.past)
            case "vb": pieces.append(.base)
            case "vs": pieces.append(.third)
            case "ving": pieces.append(.gerund)
            case "adv": pieces.append(.adverb)
            case "idea": pieces.append(.idea)
            case "num": pieces.append(.number)
            case "time": pieces.append(.time)
            case "season": pieces.append(.season)
            case "occ": pieces.append(.occupation)
            case "mat": pieces.append(.material)
            case "col": pieces.append(.colour)
            default:
                guard let digit = Int(name), (0...9).contains(digit) else { preconditionFailure("unknown prose slot {\(name)} in \(pattern)") }
                pieces.append(.argument(digit))
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    static let numberWords = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    static let timeUnits = ["days", "weeks", "months", "years", "seasons", "winters", "summers"]
    static let seasons = ["spring", "summer", "autumn", "winter"]

    /// "a" or "an" before `word`.
    public static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiouAEIOU".contains(first) ? "an" : "a"
    }

    /// The sentence with its slots filled from `rng`.
    public func render(subject: String = "", arguments: [String] = [], _ rng: inout SeededRandom) -> String {
        var out = ""
        out.reserveCapacity(96)
        for piece in pieces {
            switch piece {
            case .literal(let text): out += text
            case .subject: out += subject
            case .argument(let i): out += i < arguments.count ? arguments[i] : ""
            case .noun, .plural:
                // Half the nouns come with a modifier: an adjective or another noun ("harbour lantern").
                switch rng.below(2) {
                case 0: out += rng.below(2) == 0 ? WordStock.adjective(&rng) + " " : WordStock.noun(&rng) + " "
                default: break
                }
                out += WordStock.noun(&rng, plural: piece == .plural ? 100 : 0)
            case .adjective:
                // One adjective in five is graded by an adverb ("oddly quiet").
                if rng.below(5) == 0 { out += rng.pick(WordStock.adverbs) + " " }
                out += WordStock.adjective(&rng)
            case .articleAdjective:
                let adjective = WordStock.adjective(&rng)
                out += Self.article(adjective) + " " + adjective
            case .comparative: out += rng.pick(WordStock.comparatives)
            case .past: out += WordStock.verb(&rng).past
            case .base: out += rng.pick(WordStock.verbForms).base
            case .third: out += rng.pick(WordStock.verbForms).third
            case .gerund: out += rng.pick(WordStock.verbForms).gerund
            case .adverb: out += rng.pick(WordStock.adverbs)
            case .idea: out += rng.pick(WordStock.abstractNouns)
            case .number: out += rng.pick(Self.numberWords)
            case .time: out += rng.pick(Self.timeUnits)
            case .season: out += rng.pick(Self.seasons)
            case .occupation: out += rng.pick(WordStock.occupations)
            case .material: out += rng.pick(WordStock.materials)
            case .colour: out += rng.pick(WordStock.colours)
            }
        }
        return Self.capitalisingFirst(out)
    }

    /// `text` with its first letter upper-cased (ASCII).
    public static func capitalisingFirst(_ text: String) -> String {
        var bytes = Array(text.utf8)
        // Skip an opening quotation mark (ASCII or the three UTF-8 bytes of U+201C).
        var i = 0
        if bytes.count > 3, bytes[0] == 0xE2, bytes[1] == 0x80, bytes[2] == 0x9C { i = 3 } else if bytes.first == 0x22 { i = 1 }
        guard i < bytes.count, bytes[i] >= 0x61, bytes[i] <= 0x7a else { return text }
        bytes[i] -= 0x20
        return String(decoding: bytes, as: UTF8.self)
    }
}
