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

    /// A text with its compound left out: the words around it (`pieces`, one more than the slots), the compound's
    /// head, and whether each slot takes the plural. `text(root:)` of a frame is a text of that root.
    public struct Frame: Sendable {
        public let pieces: [String]
        public let plural: [Bool]
        public let head: String

        /// The text about a compound of `root`.
        public func text(root: String) -> String {
            let compound = root + head
            return text(compound: compound, plural: plural.contains(true) ? Morphology.plural(compound) : compound)
        }

        /// The text with `compound` (root + `head`) and its plural in the slots.
        public func text(compound: String, plural plurals: String) -> String {
            var out = pieces[0]
            out.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count } + 2 * plurals.utf8.count)
            for (i, isPlural) in plural.enumerated() {
                out += isPlural ? plurals : compound
                out += pieces[i + 1]
            }
            return out
        }
    }

    /// A frame drawn as `text(root:)` draws a text (the same head, pattern and words), with the compound left out.
    static func frame(_ rng: inout SeededRandom) -> Frame {
        let head = rng.pick(WordStock.compoundHeads)
        let marked = rng.pick(patterns).render(arguments: ["\u{1}", "\u{2}", rng.pick(fillers)], &rng)
        var pieces = [""]
        var plural: [Bool] = []
        for scalar in marked.unicodeScalars {
            if scalar == "\u{1}" || scalar == "\u{2}" {
                plural.append(scalar == "\u{2}")
                pieces.append("")
            } else {
                pieces[pieces.count - 1].unicodeScalars.append(scalar)
            }
        }
        return Frame(pieces: pieces, plural: plural, head: head)
    }

    /// Frames shared by every root and every classifier, in chunks of 16 made from their own seed, with the token
    /// counts of "\n\n" + the frame's words + "\n" cached per tokenizer (each compound stands after a space, so a
    /// text counts as its frame plus " " + compound per slot; the newline is counted with the text because BPE
    /// pre-tokenizers join it to the text's closing punctuation, and "label: N" is counted once per label by the
    /// sample). Many-shot contexts of a new classifier then cost additions: the frames are made and counted once
    /// per process, the compounds once per sample.
    public final class Bank: @unchecked Sendable {
        public static let shared = Bank()
        public let perChunk = 16
        /// Labels start reading within the first `span` frames.
        public let span = 4096
        private let lock = NSLock()
        private var frames: [Int: [Frame]] = [:]
        private var counts: [String: [Int: [Int32]]] = [:]

        /// Chunk `k` of the frames and their counts in `tokenizer`.
        public func chunk(_ k: Int, tokenizer: any Tokenizer) -> (frames: [Frame], counts: [Int32]) {
            lock.lock()
            defer { lock.unlock() }
            let made: [Frame]
            if let known = frames[k] {
                made = known
            } else {
                var rng = SeededRandom(seed: deriveSeed(0x4641_5448_4f4d_0c1c, "frames \(k)"))
                made = (0..<perChunk).map { _ in LatentClassifier.frame(&rng) }
                frames[k] = made
            }
            let key = tokenizer.fingerprint
            if let known = counts[key]?[k] { return (made, known) }
            let counted = tokenizer.counts(made.map { frame in
                "\n\n" + frame.pieces.enumerated().map { $0.offset < frame.plural.count && $0.element.hasSuffix(" ") ? String($0.element.dropLast()) : $0.element }
                    .joined() + "\n"
            }).map { Int32(clamping: $0) }
            counts[key, default: [:]][k] = counted
            return (made, counted)
        }
    }
}
