import FathomCore

/// Runs a `PseudoProgram` on an input with Python 3's semantics (floor division, modulo with the divisor's sign,
/// `print` joining by a space), giving the output a correct translation must print. Arithmetic is checked: an
/// overflow, an index out of range, a division by zero, an unknown name or more than `maxSteps` steps is an error
/// (the generator then draws another program or input).
struct PseudoInterpreter {
    enum Value: Hashable {
        case int(Int)
        case list([Int])
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var variables: [String: Value] = [:]
    var input: [Substring]
    var line = 0
    var output: [String] = []
    var steps = 0
    let maxSteps: Int

    init(input: String, maxSteps: Int = 200_000) {
        self.input = input.split(separator: "\n", omittingEmptySubsequences: false)
        self.maxSteps = maxSteps
    }

    /// The program's output for `input` (lines joined by "\n", with a final newline as Python prints).
    static func run(_ program: PseudoProgram, input: String) throws -> String {
        var machine = PseudoInterpreter(input: input)
        try machine.execute(program.body)
        return machine.output.map { $0 + "\n" }.joined()
    }

    mutating func tick() throws {
        steps += 1
        if steps > maxSteps { throw Failure(description: "more than \(maxSteps) steps") }
    }

    func int(_ name: String) throws -> Int {
        guard case .int(let v) = variables[name] else { throw Failure(description: "\(name) is not an integer") }
        return v
    }

    func list(_ name: String) throws -> [Int] {
        guard case .list(let v) = variables[name] else { throw Failure(description: "\(name) is not a list") }
        return v
    }

    static func floorDiv(_ a: Int, _ b: Int) throws -> Int {
        guard b != 0 else { throw Failure(description: "division by zero") }
        let (q, r) = (a / b, a % b)
        return (r != 0 && (r < 0) != (b < 0)) ? q - 1 : q
    }

    static func pyMod(_ a: Int, _ b: Int) throws -> Int {
        guard b != 0 else { throw Failure(description: "modulo by zero") }
        let r = a % b
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
    }

    static func arith(_ op: String, _ a: Int, _ b: Int) throws -> Int {
        let result: (Int, Bool)
        switch op {
        case "+": result = a.addingReportingOverflow(b)
        case "-": result = a.subtractingReportingOverflow(b)
        case "*": result = a.multipliedReportingOverflow(by: b)
        case "//": return try floorDiv(a, b)
        case "%": return try pyMod(a, b)
        default: throw Failure(description: "unknown operator \(op)")
        }
        guard !result.1, abs(result.0) < 1 << 52 else { throw Failure(description: "overflow") }
        return result.0
    }

    func index(_ list: [Int], _ i: Int) throws -> Int {
        guard i >= 0 && i < list.count else { throw Failure(description: "index \(i) out of range") }
        return i
    }

    func eval(_ e: PseudoProgram.Expr) throws -> Int {
        switch e {
        case .int(let v): return v
        case .name(let n): return try int(n)
        case .item(let n, let i):
            let l = try list(n)
            return l[try index(l, try eval(i))]
        case .length(let n): return try list(n).count
        case .binary(let op, let l, let r): return try Self.arith(op, try eval(l), try eval(r))
        case .compare(let op, let l, let r):
            let (a, b) = (try eval(l), try eval(r))
            switch op {
            case "<": return a < b ? 1 : 0
            case "<=": return a <= b ? 1 : 0
            case ">": return a > b ? 1 : 0
            case ">=": return a >= b ? 1 : 0
            case "==": return a == b ? 1 : 0
            default: return a != b ? 1 : 0
            }
        case .both(let l, let r): return try eval(l) != 0 && eval(r) != 0 ? 1 : 0
        case .call(let f, let args):
            let values = try args.map { try eval($0) }
            switch f {
            case "abs": return abs(values[0])
            case "max": return values.max()!
            default: return values.min()!
            }
        }
    }

    mutating func execute(_ stmts: [PseudoProgram.Stmt]) throws {
        for s in stmts {
            try tick()
            switch s {
            case .readInt(let n):
                guard line < input.count, let v = Int(input[line].trimmingWhitespace()) else { throw Failure(description: "no integer to read") }
                line += 1
                variables[n] = .int(v)
            case .readList(let n):
                guard line < input.count else { throw Failure(description: "no line to read") }
                let values = input[line].split(separator: " ").compactMap { Int($0) }
                line += 1
                variables[n] = .list(values)
            case .assign(let n, let e): variables[n] = .int(try eval(e))
            case .augment(let n, let op, let e): variables[n] = .int(try Self.arith(op, try int(n), try eval(e)))
            case .setItem(let n, let i, let e):
                var l = try list(n)
                let at = try index(l, try eval(i))
                l[at] = try eval(e)
                variables[n] = .list(l)
            case .append(let n, let e):
                var l = try list(n)
                l.append(try eval(e))
                variables[n] = .list(l)
            case .zeros(let n, let e):
                let count = try eval(e)
                guard count >= 0 && count < 100_000 else { throw Failure(description: "bad list size") }
                variables[n] = .list(Array(repeating: 0, count: count))
            case .emptyList(let n): variables[n] = .list([])
            case .copyList(let n, let from): variables[n] = .list(try list(from))
            case .sortList(let n, let reverse): variables[n] = .list(reverse ? try list(n).sorted(by: >) : try list(n).sorted())
            case .swap(let n, let i, let j):
                var l = try list(n)
                let (a, b) = (try index(l, try eval(i)), try index(l, try eval(j)))
                l.swapAt(a, b)
                variables[n] = .list(l)
            case .forRange(let v, let from, let to, let step, let body):
                var i = try eval(from)
                let end = try eval(to)
                while step > 0 ? i < end : i > end {
                    variables[v] = .int(i)
                    try execute(body)
                    i += step
                }
            case .forEach(let v, let name, let body):
                for x in try list(name) {
                    variables[v] = .int(x)
                    try execute(body)
                }
            case .whileLoop(let c, let body):
                while try eval(c) != 0 {
                    try tick()
                    try execute(body)
                }
            case .ifElse(let c, let yes, let no): try execute(try eval(c) != 0 ? yes : no)
            case .printValues(let es): output.append(try es.map { String(try eval($0)) }.joined(separator: " "))
            case .printList(let n): output.append(try list(n).map(String.init).joined(separator: " "))
            case .printText(let t): output.append(t)
            }
        }
    }
}
