import FathomCore
import FathomText

/// The kind of question a packed task asks, after LongGenBench's three datasets, all generated here.
public enum PackedStyle: String, Codable, Sendable, Hashable, CaseIterable, ParameterChoice {
    /// Multi-step arithmetic word problems with integer answers (GSM8K-like).
    case gsm
    /// Multiple choice (A–D) over facts stated with the question, from a seeded fictional world (MMLU-like).
    case mmlu
    /// Commonsense choice (A–E) over a generated scene: which tool, where an object ended up, what came next (CSQA-like).
    case csqa

    /// Whether answers are option letters.
    var isChoice: Bool { self != .gsm }
}

/// One generated question with its worked answer.
public struct PackedItem: Codable, Sendable, Hashable {
    /// The question as it follows `Question_<id>:` (several lines for choices: text, question, options).
    public var question: String
    /// The worked reasoning, without the final "The answer is" sentence.
    public var solution: String
    /// The answer: decimal digits, or the option letter.
    public var gold: String
    /// Option texts, labelled A, B, … in order (empty for numbers).
    public var options: [String]
    /// Which template made it (for inspection).
    public var kind: String

    public init(question: String, solution: String, gold: String, options: [String] = [], kind: String) {
        self.question = question
        self.solution = solution
        self.gold = gold
        self.options = options
        self.kind = kind
    }

    /// The answer as the final sentence writes it: `15`, or `(B)`.
    public var goldText: String { options.isEmpty ? gold : "(\(gold))" }

    /// Options on one line: `(A) Calmouth (B) Dunmere …`.
    static func optionLine(_ options: [String]) -> String {
        options.enumerated().map { "(\(String(UnicodeScalar(UInt8(0x41 + $0.offset))))) \($0.element)" }.joined(separator: " ")
    }

    /// The option letter of index `i`.
    static func letter(_ i: Int) -> String { String(UnicodeScalar(UInt8(0x41 + i))) }
}

/// The items of one sample position of a suite, and the fixed worked examples of each style.
///
/// Items are made one after another from one stream, so the first K of a longer list are exactly the K items of a
/// shorter one. The stream's seed comes from the suite seed, the style, the length and the sample index, never from
/// a task's own seed, so tasks of the same style that differ in other knobs (K, examples, budget) ask the same items
/// at the same sample position.
public enum PackedItems {
    /// Worked examples per style (the first `examples` of them are shown).
    public static let maxExamples = 8

    /// The seed of the items at (`style`, `length`, `index`) of a suite: the same for every task of the style.
    public static func seed(style: PackedStyle, suiteSeed: UInt64, length: Int, index: Int) -> UInt64 {
        deriveSeed(suiteSeed, "longgen-items|\(style.rawValue)|\(length)|\(index)")
    }

    /// The first `count` items of the stream `seed`.
    public static func items(style: PackedStyle, seed: UInt64, count: Int) -> [PackedItem] {
        var stream = Stream(style: style, seed: seed)
        return (0..<count).map { _ in stream.next() }
    }

    /// The items of one seed, one after another.
    public struct Stream {
        let style: PackedStyle
        var rng: SeededRandom
        var facts: FactChoiceItems?

        public init(style: PackedStyle, seed: UInt64) {
            self.style = style
            rng = SeededRandom(seed: seed)
            facts = style == .mmlu ? FactChoiceItems(seed: deriveSeed(seed, "world"), reserved: PackedItems.exampleNames) : nil
        }

        public mutating func next() -> PackedItem {
            switch style {
            case .gsm: return ArithmeticItems.make(&rng)
            case .mmlu: return facts!.make(&rng)
            case .csqa: return SceneChoiceItems.make(&rng)
            }
        }
    }

    /// The worked examples of a style: fixed (the same in every sample), like LongGenBench's exemplars.
    public static func examples(_ style: PackedStyle) -> [PackedItem] {
        switch style {
        case .gsm: gsmExamples
        case .mmlu: mmluExamples.items
        case .csqa: csqaExamples
        }
    }

    static let examplesSeed: UInt64 = 0x4C4F_4E47_4745_4E01

    static let gsmExamples: [PackedItem] = {
        var rng = SeededRandom(seed: deriveSeed(examplesSeed, "gsm"))
        return (0..<maxExamples).map { _ in ArithmeticItems.make(&rng) }
    }()
    static let csqaExamples: [PackedItem] = {
        var rng = SeededRandom(seed: deriveSeed(examplesSeed, "csqa"))
        return (0..<maxExamples).map { _ in SceneChoiceItems.make(&rng) }
    }()
    static let mmluExamples: (items: [PackedItem], names: Set<String>) = {
        var rng = SeededRandom(seed: deriveSeed(examplesSeed, "mmlu"))
        var facts = FactChoiceItems(seed: deriveSeed(examplesSeed, "mmlu world"), reserved: [])
        let items = (0..<maxExamples).map { _ in facts.make(&rng) }
        return (items, facts.usedNames)
    }()

    /// Names the examples use (lowercased): items never reuse them, so no item contradicts an example.
    static var exampleNames: Set<String> { mmluExamples.names }
}
