import FathomCore

/// The texts of a LongGenBench-style prompt: a system instruction, the worked examples (their questions, then
/// their answers, as LongGenBench lays them out), then the questions to answer, each labelled `Question_<id>:`,
/// and the answer format `Answer_<id>:` … `The answer is X.` The neutral filler that sizes the prompt to its
/// length comes first in the user message, announced as unrelated to the questions.
struct PackedPrompt {
    let style: PackedStyle
    /// The worked examples shown, with ids 1…E; the questions are numbered from E + 1.
    let examples: [PackedItem]
    /// The examples block (empty without examples): every question, then every answer.
    let examplesBlock: String

    init(style: PackedStyle, examples: [PackedItem]) {
        self.style = style
        self.examples = examples
        if examples.isEmpty {
            examplesBlock = ""
        } else {
            let questions = examples.enumerated().map { Self.question(id: $0.offset + 1, $0.element) }
            let answers = examples.enumerated().map { Self.answer(id: $0.offset + 1, $0.element) }
            examplesBlock = "Examples:\n" + questions.joined(separator: "\n\n") + "\n\n" + answers.joined(separator: "\n\n") + "\n\n"
        }
    }

    var firstID: Int { examples.count + 1 }

    var system: String {
        let ending = style.isChoice
            ? "end it with \"The answer is\" and the letter of the correct option in parentheses, as in \"The answer is (B).\""
            : "end it with \"The answer is\" and the number, as in \"The answer is 42.\""
        return "Answer each of the following questions step by step, in the format of the examples: begin each answer with its "
            + "label (Answer_ followed by the question's number and a colon), give the reasoning, and \(ending) Do not repeat the "
            + "questions. Answer every question, however many there are."
    }

    static let fillerHead = "The following text is unrelated to the questions, which come after it.\n\n"

    static func question(id: Int, _ item: PackedItem) -> String { "Question_\(id):\n" + item.question }

    /// The worked answer block the examples show and the oracle gives.
    static func answer(id: Int, _ item: PackedItem) -> String {
        "Answer_\(id):\n" + item.solution + "\nThe answer is " + item.goldText + "."
    }

    /// The questions block: `items` numbered from `first`, and the closing line.
    static func questionsBlock(_ items: ArraySlice<PackedItem>, first: Int) -> String {
        let questions = items.enumerated().map { question(id: first + $0.offset, $0.element) }
        let last = first + items.count - 1
        let closing = items.count == 1
            ? "Answer Question_\(first)."
            : "Answer all \(items.count) questions, from Question_\(first) to Question_\(last), in order."
        return (items.count == 1 ? "Following Question:\n" : "Following Questions:\n") + questions.joined(separator: "\n\n") + "\n\n" + closing
    }

    /// The user message: filler (the sized context), the examples, the questions.
    func user(filler: String, questions: String) -> String {
        Self.fillerHead + filler + "\n\n" + examplesBlock + questions
    }

    func messages(filler: String, questions: String) -> [Message] {
        [Message(.system, system), Message(.user, user(filler: filler, questions: questions))]
    }
}
