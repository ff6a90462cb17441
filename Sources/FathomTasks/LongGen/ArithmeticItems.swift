import FathomCore
import FathomText

/// GSM8K-like word problems: a person starts with some goods, 2–4 events change the count (packs bought, goods
/// given away or received, half given away, goods used day after day), and the question asks the final count, the
/// share per box, or the money from selling them. Every intermediate value is a positive integer, and the worked
/// solution computes one event per line.
enum ArithmeticItems {
    /// (singular, plural) goods.
    static let goods: [(String, String)] = [
        ("marble", "marbles"), ("sticker", "stickers"), ("apple", "apples"), ("pencil", "pencils"), ("seashell", "seashells"),
        ("cookie", "cookies"), ("postcard", "postcards"), ("stamp", "stamps"), ("button", "buttons"), ("candle", "candles"),
        ("tomato", "tomatoes"), ("egg", "eggs"), ("book", "books"), ("bead", "beads"), ("muffin", "muffins"), ("lemon", "lemons"),
        ("ribbon", "ribbons"), ("notebook", "notebooks"), ("plum", "plums"), ("crayon", "crayons"),
    ]

    static func make(_ rng: inout SeededRandom) -> PackedItem {
        let person = rng.pick(Lexicon.names)
        var other = rng.pick(Lexicon.names)
        while other == person { other = rng.pick(Lexicon.names) }
        let (one, many) = rng.pick(goods)
        func count(_ n: Int) -> String { "\(n) " + (n == 1 ? one : many) }
        var x = rng.int(in: 12...60)
        var story = ["\(person) has \(x) \(many)."]
        var steps: [String] = []
        var kinds: [String] = []
        let events = rng.int(in: 2...4)
        var last = -1
        for _ in 0..<events {
            // Draw an event that keeps the count a positive integer and differs from the previous one.
            while true {
                let event = rng.below(6)
                guard event != last else { continue }
                switch event {
                case 0:
                    let packs = rng.int(in: 2...6), each = rng.int(in: 3...12)
                    story.append("\(person) buys \(packs) packs of \(many) with \(each) \(many) in each pack.")
                    steps.append("\(person) buys \(packs) * \(each) = \(packs * each) \(many), so \(person) has \(x) + \(packs * each) = \(x + packs * each) \(many).")
                    x += packs * each
                case 1:
                    guard x >= 4 else { continue }
                    let given = rng.int(in: 1...min(x - 2, 25))
                    story.append("\(person) gives \(count(given)) to \(other).")
                    steps.append("After giving \(given) away, \(person) has \(x) - \(given) = \(x - given) \(many).")
                    x -= given
                case 2:
                    let received = rng.int(in: 5...40)
                    story.append("\(other) gives \(person) \(received) more \(many).")
                    steps.append("\(person) gets \(received) more, so \(person) has \(x) + \(received) = \(x + received) \(many).")
                    x += received
                case 3:
                    guard x % 2 == 0, x >= 8 else { continue }
                    story.append("\(person) gives half of the \(many) to \(other).")
                    steps.append("Half of \(x) is \(x) / 2 = \(x / 2), so \(person) keeps \(x / 2) \(many).")
                    x /= 2
                case 4:
                    let days = rng.int(in: 2...5)
                    guard x / days >= 3 else { continue }
                    let used = rng.int(in: 1...min(x / days - 1, 9))
                    story.append("For \(days) days, \(person) uses \(count(used)) each day.")
                    steps.append("In \(days) days \(person) uses \(days) * \(used) = \(days * used) \(many), so \(x) - \(days * used) = \(x - days * used) are left.")
                    x -= days * used
                default:
                    let bags = rng.int(in: 2...4), each = rng.int(in: 2...9)
                    guard x > bags * each + 1 else { continue }
                    story.append("\(person) fills \(bags) bags with \(each) \(many) each and gives the bags away.")
                    steps.append("The bags hold \(bags) * \(each) = \(bags * each) \(many), so \(x) - \(bags * each) = \(x - bags * each) are left.")
                    x -= bags * each
                }
                kinds.append(["buy", "give", "receive", "half", "use", "bags"][event])
                last = event
                break
            }
        }
        let answer: Int
        let question: String
        let divisors = (2...9).filter { x % $0 == 0 && x / $0 >= 2 }
        switch rng.below(3) {
        case 0 where !divisors.isEmpty:
            let boxes = rng.pick(divisors)
            question = "\(person) puts all the \(many) into \(boxes) boxes with the same number in each. How many \(many) go in each box?"
            steps.append("Each box gets \(x) / \(boxes) = \(x / boxes) \(many).")
            answer = x / boxes
            kinds.append("share")
        case 1:
            let price = rng.int(in: 2...9)
            question = "\(person) sells every \(one) for \(price) dollars. How many dollars does \(person) earn?"
            steps.append("Selling \(x) \(many) at \(price) dollars each earns \(x) * \(price) = \(x * price) dollars.")
            answer = x * price
            kinds.append("sell")
        default:
            question = "How many \(many) does \(person) have now?"
            answer = x
            kinds.append("count")
        }
        story.append(question)
        return PackedItem(question: story.joined(separator: " "), solution: steps.joined(separator: "\n"), gold: String(answer), kind: kinds.joined(separator: ">"))
    }
}
