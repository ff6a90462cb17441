/// Model outputs built to hurt a scorer: megabytes of junk, deep nesting, huge and infinite numbers, replacement
/// characters where invalid UTF-8 was, unbalanced tags, code that would run if anything evaluated it, and an
/// answer that loops. `size` is the length of the long ones in bytes.
public enum HostileOutputs {
    public static func all(size: Int, oracle: String) -> [(name: String, text: String)] {
        var random = Xorshift(seed: 0x5eed)
        let junkBytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        func repeated(_ unit: String) -> String {
            String(repeating: unit, count: max(1, size / max(1, unit.utf8.count)))
        }
        return [
            ("empty", ""),
            ("whitespace", repeated(" \n\t")),
            ("junk bytes decoded lossy", String(decoding: junkBytes, as: UTF8.self)),
            ("replacement characters", repeated("\u{FFFD}")),
            ("combining marks", repeated("e\u{301}\u{302}\u{303}")),
            ("bidi and zero-width", repeated("\u{202E}\u{200B}\u{FEFF}")),
            ("NUL bytes", repeated("\0")),
            ("deep brackets", repeated("[") + repeated("]")),
            ("deep braces", repeated("{\"a\":")),
            ("deep parentheses", repeated("(")),
            ("unbalanced think", repeated("<think>")),
            ("closing tags only", repeated("</think></answer>")),
            ("huge numbers", "1e999 -1e999 NaN inf " + repeated("9")),
            ("many numbers", repeated("1e999, ")),
            ("code", "__import__('os').system('echo pwned')\nimport os; os.remove('/')\n" + repeated("eval(")),
            ("table of pipes", repeated("|")),
            ("looping answer", repeated("Answer_1: 5\nThe answer is 5.\n")),
            ("oracle repeated", oracle.isEmpty ? "" : repeated(oracle + "\n")),
            ("oracle then junk", oracle + String(decoding: junkBytes.prefix(size / 2), as: UTF8.self)),
            ("long line of one word", repeated("word")),
        ]
    }
}

/// A small deterministic generator for junk (not for samples: those use SeededRandom).
struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
