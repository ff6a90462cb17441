import FathomCore
import Foundation

/// A seeded text classifier for many-shot in-context learning: short requests (like TREC questions or banking
/// intents), each about one thing named by a compound noun ("lanternkeeper", "lanternyard"), whose label is
/// fixed by the compound's first part (the root: "lantern"). Each classifier draws its own roots, one per label,
/// so the mapping is new for every seed; the other words of a text (verbs, adjectives, plain nouns) never contain
/// a label's root and carry no signal. A test text may use a compound no demonstration used: the rule, not the
/// string, has to be learned.
public struct LatentClassifier: Sendable {
    /// The root of each label.
    public let roots: [String]

    /// Plain nouns for the rest of a text: every third noun root; and the roots labels may use: the other noun
    /// roots that are neither adjectives nor verbs and overlap no filler noun (so no other word carries a root).
    static let (fillers, candidateRoots): ([String], [String]) = {
        let nouns = WordStock.nounRoots.filter { !$0.contains(" ") }
        let fillers = nouns.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let other = Set(WordStock.adjectiveRoots + WordStock.verbRoots.map(\.base))
        let roots = nouns.enumerated().filter { $0.offset % 3 != 0 }.map(\.element).filter { root in
            root.count >= 3 && root.count <= 8 && !other.contains(root) && !fillers.contains { $0.contains(root) || root.contains($0) }
        }
        return (fillers, roots)
    }()

    static let patterns: [ProseTemplate] = [
        "How do I {vb} the {0} before the {2} closes?",
        "Where can I find {a} {1} for my {2}?",
        "Is it {a} to {vb} the {0} in {season}?",
        "My {0} {v} {adv} last {season}; what should I do?",
        "Who sells {1} near the {2}?",
        "Why does the {0} {vb} when the {2} is {a}?",
        "Can someone {vb} my {0} by {season}?",
        "What is the best way to {vb} {1} without {ving} the {2}?",
        "I need {a} {1} for the {2} tomorrow.",
        "Which {0} should I {vb} first, the {a} one or the {cmp} one?",
        "Please {vb} the {0} and the {2} before {season}.",
        "The {0} near the {2} is {a} again.",
        "How many {1} fit in one {2}?",
        "Does anyone know why my {0} keeps {ving}?",
        "When will the {1} be {v}?",
        "Tell me how to {vb} {a} {0} with only {an} {2}.",
    ].map(ProseTemplate.init)

    /// A classifier with `labels` labels (at most `maxLabels`) drawn from `seed`.
    public init(labels: Int, seed: UInt64) {
        precondition(labels >= 2 && labels <= Self.maxLabels, "a classifier has 2 to \(Self.maxLabels) labels")
        var rng = SeededRandom(seed: seed)
        roots = rng.sampleIndices(Self.candidateRoots.count, labels).map { Self.candidateRoots[$0] }
    }

    /// The most labels a classifier can have.
    public static var maxLabels: Int { candidateRoots.count }

    /// A text of label `label`.
    public func text(label: Int, _ rng: inout SeededRandom) -> String { Self.text(root: roots[label], &rng) }

    /// A text about a compound of `root`.
    static func text(root: String, _ rng: inout SeededRandom) -> String {
        let compound = root + rng.pick(WordStock.compoundHeads)
        return rng.pick(patterns).render(arguments: [compound, Morphology.plural(compound), rng.pick(fillers)], &rng)
    }

    /// Texts of every root, shared by all classifiers: root r's texts come in chunks of 16 made from their own seed,
    /// with the token counts of "\n\n" + text cached per tokenizer, so many-shot contexts cost additions.
    public final class Bank: @unchecked Sendable {
        public static let shared = Bank()
        public let perChunk = 16
        private let lock = NSLock()
        private var texts: [String: [Int: [String]]] = [:]
        private var counts: [String: [String: [Int: [Int32]]]] = [:]

        /// Chunk `k` of root `root`'s texts and their counts in `tokenizer`.
        public func chunk(root: String, _ k: Int, tokenizer: any Tokenizer) -> (texts: [String], counts: [Int32]) {
            lock.lock()
            defer { lock.unlock() }
            let made: [String]
            if let known = texts[root]?[k] {
                made = known
            } else {
                var rng = SeededRandom(seed: deriveSeed(0x4641_5448_4f4d_0c1c, "\(root) \(k)"))
                made = (0..<perChunk).map { _ in LatentClassifier.text(root: root, &rng) }
                texts[root, default: [:]][k] = made
            }
            let key = tokenizer.fingerprint
            if let known = counts[key]?[root]?[k] { return (made, known) }
            let counted = tokenizer.counts(made.map { "\n\n" + $0 }).map { Int32(clamping: $0) }
            counts[key, default: [:]][root, default: [:]][k] = counted
            return (made, counted)
        }
    }
}
