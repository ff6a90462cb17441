/// Checks a countdown solution with its own small parser: never `eval`. A solution is three lines `a op b = c` with
/// whole numbers of at most 9 digits and op one of `+ - * /` (also `x × ÷ −`). Each equation must be exact and its
/// result a positive integer; `a` and `b` must each be an unused number (one of the four given, or an earlier
/// result), each used once; after three equations the one number left must be the target.
enum CountdownArithmetic {
    struct Equation: Equatable {
        var a: Int
        var op: Character
        var b: Int
        var c: Int
    }

    /// Why a solution is not valid, or nil when it is.
    static func check(_ solution: Substring, numbers: [Int], target: Int) -> String? {
        var lines: [Substring] = []
        for line in ProcText.Lines(solution) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            lines.append(trimmed)
            if lines.count > 3 { return "more than three equations" }
        }
        guard lines.count == 3 else { return "\(lines.count) equations, not three" }
        var pool = numbers
        for line in lines {
            guard let eq = parse(line) else { return "not an equation of two whole numbers: \(line.prefix(60))" }
            let value: Int?
            switch eq.op {
            case "+": value = eq.a + eq.b
            case "-": value = eq.a - eq.b
            case "*": value = eq.a * eq.b
            default: value = eq.b != 0 && eq.a % eq.b == 0 ? eq.a / eq.b : nil
            }
            guard let value, value == eq.c else { return "wrong arithmetic: \(line.prefix(60))" }
            guard value > 0 else { return "a result that is not positive: \(line.prefix(60))" }
            guard let i = pool.firstIndex(of: eq.a) else { return "\(eq.a) is not available" }
            pool.remove(at: i)
            guard let j = pool.firstIndex(of: eq.b) else { return "\(eq.b) is not available" }
            pool.remove(at: j)
            pool.append(value)
        }
        return pool == [target] ? nil : "ends at \(pool.last ?? 0), not \(target)"
    }

    /// `a op b = c`, or nil.
    static func parse(_ line: Substring) -> Equation? {
        var scalars = Array(line.unicodeScalars.prefix(80))
        guard line.unicodeScalars.count <= 80 else { return nil }
        scalars.removeAll { $0 == " " || $0 == "\t" }
        var i = 0
        func number() -> Int? {
            var value = 0, digits = 0
            while i < scalars.count, (0x30...0x39).contains(scalars[i].value) {
                value = value * 10 + Int(scalars[i].value - 0x30)
                digits += 1
                i += 1
                if digits > 9 { return nil }
            }
            return digits > 0 ? value : nil
        }
        guard let a = number(), i < scalars.count else { return nil }
        let op: Character
        switch scalars[i] {
        case "+": op = "+"
        case "-", "\u{2212}": op = "-"
        case "*", "x", "X", "\u{00D7}": op = "*"
        case "/", "\u{00F7}": op = "/"
        default: return nil
        }
        i += 1
        guard let b = number(), i < scalars.count, scalars[i] == "=" else { return nil }
        i += 1
        guard let c = number(), i == scalars.count else { return nil }
        return Equation(a: a, op: op, b: b, c: c)
    }
}
