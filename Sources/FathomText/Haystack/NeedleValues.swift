import FathomCore

/// Kinds of needle keys and values, after RULER: `words` ("adjective-noun"), `numbers` (7 digits), `uuids` (v4).
public enum NeedleValueKind: String, Sendable, CaseIterable, ParameterChoice {
    case words, numbers, uuids

    /// A random value of this kind.
    public func make(_ rng: inout SeededRandom) -> String {
        switch self {
        case .words: return "\(rng.pick(Lexicon.adjectives))-\(rng.pick(Lexicon.nouns))"
        case .numbers: return String(rng.int(in: 1_000_000...9_999_999))
        case .uuids: return rng.uuid()
        }
    }

    /// `count` distinct values, none of them in `excluding`.
    public func makeDistinct(_ count: Int, excluding: Set<String> = [], _ rng: inout SeededRandom) -> [String] {
        var seen = excluding
        var out: [String] = []
        while out.count < count {
            let value = make(&rng)
            if seen.insert(value).inserted { out.append(value) }
        }
        return out
    }
}
