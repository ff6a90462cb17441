import FathomCore
import FathomText
import Foundation

/// HELMET's number of items (passages, documents, shots) per length, and the count this family uses at any length:
/// the table's value at a listed length, else the value of the nearest listed length below (or the first) scaled
/// linearly with the length, as `json_kv` does.
struct HelmetCounts: Sendable {
    let table: [(length: Int, count: Int)]

    func count(for length: Int) -> Int {
        let anchor = table.last { $0.length <= length } ?? table[0]
        return max(1, Int((Double(anchor.count) * Double(length) / Double(anchor.length)).rounded()))
    }
}

/// How a passage's header reads in each category's prompt (HELMET `data.py` / ALCE `doc_prompt`).
enum PassageHeader: Sendable {
    /// RAG: `Document (Title: {title}): {text}`.
    case titled
    /// Re-ranking: `[ID: {id}] Document (Title: {title}): {text}`.
    case identified
    /// Citation: `Document [{position}](Title: {title}): {text}`.
    case numbered

    /// The header, without the space before the text.
    func render(position: Int, title: String, id: String) -> String {
        switch self {
        case .titled: "Document (Title: \(title)):"
        case .identified: "[ID: \(id)] Document (Title: \(title)):"
        case .numbered: "Document [\(position)](Title: \(title)):"
        }
    }
}

/// One passage as laid out in a context.
struct LaidPassage: Sendable {
    var passage: FictionalWorld.Passage
    /// "gold" or the distractor's `PassageRole`.
    var role: String
    /// Sentences included (the last distractor may be cut short).
    var sentences: Int
    /// 1-based position in the context.
    var position: Int
    var id: String
    /// Index into the gold list, for gold passages.
    var gold: Int?

    /// The facts the included sentences state.
    var stated: [FictionalWorld.AtlasFact] { passage.stated(sentences: sentences) }
}

/// A context of passages: distractors from a `PassageStream`, cut at sentence granularity, with gold passages
/// inserted between passages at requested depths, sized with `CountedContextBuilder`: encyclopedia sentences come
/// with cached counts, the sample's own passages and the headers are counted once, and the finished prompt is
/// encoded once to verify.
struct PassageContext {
    let header: PassageHeader
    var stream: FictionalWorld.PassageStream
    let tokenizer: any Tokenizer
    let golds: [FictionalWorld.Passage]
    let goldDepths: [Double]
    let goldIDs: [String]
    private var idRNG: SeededRandom
    private var usedIDs: Set<String>
    private(set) var distractors: [(passage: FictionalWorld.Passage, role: FictionalWorld.PassageRole, id: String)] = []
    /// For distractor sentence unit u: its passage, sentence index and token count (header included for the first).
    private var unitPassage: [Int] = []
    private var unitSentence: [Int] = []
    private var unitCounts: [Int] = []
    private var goldCounts: [Int] = []

    /// IDs are random unique 5–7-digit numbers (re-ranking shows them; the others ignore them).
    init(
        header: PassageHeader, stream: FictionalWorld.PassageStream, tokenizer: any Tokenizer, golds: [FictionalWorld.Passage], depths: [Double],
        idSeed: UInt64
    ) {
        self.header = header
        self.stream = stream
        self.tokenizer = tokenizer
        self.golds = golds
        self.goldDepths = depths
        var rng = SeededRandom(seed: idSeed)
        var used: Set<String> = []
        var ids: [String] = []
        for _ in golds { ids.append(Self.freshID(&rng, &used)) }
        self.goldIDs = ids
        self.idRNG = rng
        self.usedIDs = used
    }

    static func freshID(_ rng: inout SeededRandom, _ used: inout Set<String>) -> String {
        while true {
            let digits = rng.int(in: 5...7)
            let low = [5: 10_000, 6: 100_000, 7: 1_000_000][digits]!
            let id = String(rng.int(in: low...(low * 10 - 1)))
            if used.insert(id).inserted { return id }
        }
    }

    /// Makes distractors, 16 at a time, until sentence unit `u` exists, and counts what is not cached: the
    /// sample's own passages and every header (its position estimated as if no gold came before it).
    mutating func ensure(unit u: Int) {
        while unitPassage.count <= u {
            var texts: [String] = []
            var slots: [Int] = []
            for _ in 0..<16 {
                let (passage, role, cached) = stream.next(tokenizer: tokenizer)
                let p = distractors.count
                let id = Self.freshID(&idRNG, &usedIDs)
                distractors.append((passage, role, id))
                texts.append("\n\n" + header.render(position: p + 1, title: passage.title, id: id))
                slots.append(unitCounts.count)
                if let cached {
                    for c in cached { unitCounts.append(Int(c)) }
                } else {
                    for (j, c) in tokenizer.counts(passage.sentences.map { " " + $0 }).enumerated() {
                        unitCounts.append(c)
                        _ = j
                    }
                }
                for j in passage.sentences.indices {
                    unitPassage.append(p)
                    unitSentence.append(j)
                }
            }
            for (slot, c) in zip(slots, tokenizer.counts(texts)) { unitCounts[slot] += c }
        }
    }

    /// Token counts of units `start..<start+count`.
    mutating func counts(_ start: Int, _ count: Int) -> [Int] {
        ensure(unit: start + count - 1)
        return Array(unitCounts[start..<(start + count)])
    }

    /// Estimated tokens of the gold passages with their separators.
    mutating func goldTokens() -> Int {
        goldCounts = tokenizer.counts(golds.indices.map { "\n\n" + text(golds[$0], position: $0 + 1, id: goldIDs[$0], sentences: nil) })
        return goldCounts.reduce(0, +)
    }

    func text(_ passage: FictionalWorld.Passage, position: Int, id: String, sentences: Int?) -> String {
        header.render(position: position, title: passage.title, id: id) + " " + passage.text(sentences: sentences)
    }

    /// The passages of the context with `n` distractor sentences, golds inserted at their depths, in order.
    mutating func layout(units n: Int) -> [LaidPassage] {
        if n > 0 { ensure(unit: n - 1) }
        let touched = n == 0 ? 0 : unitPassage[n - 1] + 1
        let lastSentences = n == 0 ? 0 : unitSentence[n - 1] + 1
        let slots = golds.indices.map { min(touched, max(0, Int(goldDepths[$0] / 100 * Double(touched + 1)))) }
        let order = golds.indices.sorted { (slots[$0], goldDepths[$0], $0) < (slots[$1], goldDepths[$1], $1) }
        var laid: [LaidPassage] = []
        laid.reserveCapacity(touched + golds.count)
        var next = 0
        for slot in 0...touched {
            while next < order.count, slots[order[next]] == slot {
                let g = order[next]
                laid.append(LaidPassage(passage: golds[g], role: "gold", sentences: golds[g].sentences.count, position: laid.count + 1, id: goldIDs[g], gold: g))
                next += 1
            }
            if slot < touched {
                let d = distractors[slot]
                laid.append(LaidPassage(
                    passage: d.passage, role: d.role.rawValue, sentences: slot == touched - 1 ? lastSentences : d.passage.sentences.count,
                    position: laid.count + 1, id: d.id, gold: nil))
            }
        }
        return laid
    }

    func render(_ laid: [LaidPassage]) -> String {
        var out = ""
        for item in laid {
            if !out.isEmpty { out += "\n\n" }
            out += text(item.passage, position: item.position, id: item.id, sentences: item.sentences)
        }
        return out
    }

    /// Sizes the context for `spec` and returns it with its passages and where each gold passage landed.
    mutating func build(_ spec: PromptSpec) throws(FathomError) -> (counted: CountedContext, laid: [LaidPassage], placements: [NeedlePlacement]) {
        let fixed = goldTokens()
        let counted = try CountedContextBuilder(spec).build(
            fixedTokens: fixed, counts: { counts($0, $1) }, assemble: { render(layout(units: $0)) })
        let laid = layout(units: counted.sized.size)

        // Where each gold landed: distractor sentences and gold tokens before it.
        var placements = [NeedlePlacement?](repeating: nil, count: golds.count)
        var units = 0
        var extra = 0
        for item in laid {
            if let g = item.gold {
                placements[g] = counted.placement(key: golds[g].title, requestedDepth: goldDepths[g], units: units, extra: extra)
                extra += goldCounts[g]
            } else {
                units += item.sentences
            }
        }
        return (counted, laid, placements.map { $0! })
    }
}

extension PassageContext {
    /// Builds a context whose distractors come from `stream(seed)`, drawing other distractors (up to 8 draws)
    /// when one sentence is coarser than the length window (at 1–2K with long passages); returns the draw used.
    static func build(
        header: PassageHeader, stream: (UInt64) -> FictionalWorld.PassageStream, seed: UInt64, tokenizer: any Tokenizer,
        golds: [FictionalWorld.Passage], depths: [Double], idSeed: UInt64, spec: PromptSpec
    ) throws(FathomError) -> (counted: CountedContext, laid: [LaidPassage], placements: [NeedlePlacement], draw: Int) {
        var lastError = FathomError(.length, "no draw")
        for draw in 0..<8 {
            var context = PassageContext(
                header: header, stream: stream(draw == 0 ? seed : deriveSeed(seed, "draw \(draw)")), tokenizer: tokenizer, golds: golds,
                depths: depths, idSeed: idSeed)
            do {
                let (counted, laid, placements) = try context.build(spec)
                return (counted, laid, placements, draw)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }
}

/// Demos that fit: the first `count` demos, fewer while they take more than a third of the prompt budget (so
/// every task still works at 1K), as one text.
func fittingDemos(_ demos: [String], separator: String, trailer: String, budget: Int, tokenizer: any Tokenizer) -> (text: String, count: Int) {
    var kept = demos
    while !kept.isEmpty {
        let text = kept.joined(separator: separator) + trailer
        if tokenizer.count(text) * 3 <= budget { return (text, kept.count) }
        kept.removeLast()
    }
    return ("", 0)
}

/// Sentences per passage so that `count` passages of `tokensPerSentence`-token sentences fill `tokens`: the mean,
/// and the range drawn from (mean ± 1, at least 2).
func sentencesPerPassage(count: Int, tokens: Int, tokensPerSentence: Double) -> ClosedRange<Int> {
    let mean = Int((Double(max(1, tokens)) / Double(max(1, count)) / max(1, tokensPerSentence)).rounded())
    let m = min(40, max(3, mean))
    return (m - 1)...(m + 1)
}

/// Mean tokens of a sentence of the world's passages (from the shared encyclopedia's cached counts).
func meanSentenceTokens(_ tokenizer: any Tokenizer) -> Double {
    FictionalWorld.Encyclopedia.shared.meanSentenceTokens(tokenizer)
}
