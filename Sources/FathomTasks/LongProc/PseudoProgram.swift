import FathomCore

/// A small imperative language for pseudocode-to-code: integer variables, one input list, loops, conditions, list
/// building and printing. A program renders line for line as SPoC-style English pseudocode and as Python 3 (the
/// reference answer), and runs in `PseudoInterpreter` with Python's semantics (floor division, modulo with the
/// divisor's sign), which gives the expected output of each hidden test.
struct PseudoProgram: Codable, Hashable, Sendable {
    indirect enum Expr: Codable, Hashable, Sendable {
        case int(Int)
        case name(String)
        case item(String, Expr)
        case length(String)
        case binary(String, Expr, Expr)  // + - * // %
        case compare(String, Expr, Expr)  // < <= > >= == !=
        case both(Expr, Expr)  // and
        case call(String, [Expr])  // max, min, abs
    }

    indirect enum Stmt: Codable, Hashable, Sendable {
        case readInt(String)
        case readList(String)
        case assign(String, Expr)
        case augment(String, String, Expr)  // += -= *=
        case setItem(String, Expr, Expr)
        case append(String, Expr)
        case zeros(String, Expr)
        case emptyList(String)
        case copyList(String, String)
        case sortList(String, Bool)
        case swap(String, Expr, Expr)
        case forRange(String, Expr, Expr, Int, [Stmt])
        case forEach(String, String, [Stmt])
        case whileLoop(Expr, [Stmt])
        case ifElse(Expr, [Stmt], [Stmt])
        case printValues([Expr])
        case printList(String)
        case printText(String)
    }

    var body: [Stmt]

    // MARK: Python

    static func python(_ e: Expr, _ parent: Int = 0) -> String {
        switch e {
        case .int(let v): return String(v)
        case .name(let n): return n
        case .item(let n, let i): return "\(n)[\(python(i))]"
        case .length(let n): return "len(\(n))"
        case .binary(let op, let l, let r):
            let p = op == "+" || op == "-" ? 1 : 2
            let text = "\(python(l, p)) \(op) \(python(r, p + 1))"
            return p < parent ? "(\(text))" : text
        case .compare(let op, let l, let r): return "\(python(l)) \(op) \(python(r))"
        case .both(let l, let r): return "\(python(l)) and \(python(r))"
        case .call(let f, let args): return "\(f)(" + args.map { python($0) }.joined(separator: ", ") + ")"
        }
    }

    static func pythonLines(_ stmts: [Stmt], depth: Int = 0) -> [String] {
        let pad = String(repeating: "    ", count: depth)
        var out: [String] = []
        for s in stmts {
            switch s {
            case .readInt(let n): out.append(pad + "\(n) = int(input())")
            case .readList(let n): out.append(pad + "\(n) = list(map(int, input().split()))")
            case .assign(let n, let e): out.append(pad + "\(n) = \(python(e))")
            case .augment(let n, let op, let e): out.append(pad + "\(n) \(op)= \(python(e))")
            case .setItem(let n, let i, let e): out.append(pad + "\(n)[\(python(i))] = \(python(e))")
            case .append(let n, let e): out.append(pad + "\(n).append(\(python(e)))")
            case .zeros(let n, let e): out.append(pad + "\(n) = [0] * (\(python(e)))")
            case .emptyList(let n): out.append(pad + "\(n) = []")
            case .copyList(let n, let from): out.append(pad + "\(n) = list(\(from))")
            case .sortList(let n, let reverse): out.append(pad + "\(n).sort(\(reverse ? "reverse=True" : ""))")
            case .swap(let n, let i, let j):
                let (a, b) = (python(i), python(j))
                out.append(pad + "\(n)[\(a)], \(n)[\(b)] = \(n)[\(b)], \(n)[\(a)]")
            case .forRange(let v, let from, let to, let step, let body):
                let range = step == 1 ? "range(\(python(from)), \(python(to)))" : "range(\(python(from)), \(python(to)), \(step))"
                out.append(pad + "for \(v) in \(range):")
                out += pythonLines(body, depth: depth + 1)
            case .forEach(let v, let list, let body):
                out.append(pad + "for \(v) in \(list):")
                out += pythonLines(body, depth: depth + 1)
            case .whileLoop(let c, let body):
                out.append(pad + "while \(python(c)):")
                out += pythonLines(body, depth: depth + 1)
            case .ifElse(let c, let yes, let no):
                out.append(pad + "if \(python(c)):")
                out += pythonLines(yes, depth: depth + 1)
                if !no.isEmpty {
                    out.append(pad + "else:")
                    out += pythonLines(no, depth: depth + 1)
                }
            case .printValues(let es): out.append(pad + "print(" + es.map { python($0) }.joined(separator: ", ") + ")")
            case .printList(let n): out.append(pad + "print(*\(n))")
            case .printText(let t): out.append(pad + "print(\"\(t)\")")
            }
        }
        return out
    }

    // MARK: Pseudocode

    static let comparisons = [
        "<": "is less than", "<=": "is at most", ">": "is greater than", ">=": "is at least", "==": "is equal to", "!=": "is not equal to",
    ]

    static func words(_ e: Expr, _ parent: Int = 0) -> String {
        switch e {
        case .int(let v): return String(v)
        case .name(let n): return n
        case .item(let n, let i): return "\(n)[\(words(i))]"
        case .length(let n): return "the length of \(n)"
        case .binary(let op, let l, let r):
            let p = op == "+" || op == "-" ? 1 : 2
            let text: String
            switch op {
            case "//": text = "\(words(l, 3)) divided by \(words(r, 3)) rounded down"
            case "%": text = "\(words(l, 3)) modulo \(words(r, 3))"
            default: text = "\(words(l, p)) \(op) \(words(r, p + 1))"
            }
            return p < parent || (op == "//" || op == "%") && parent > 0 ? "(\(text))" : text
        case .compare(let op, let l, let r): return "\(words(l)) \(comparisons[op]!) \(words(r))"
        case .both(let l, let r): return "\(words(l)) and \(words(r))"
        case .call(let f, let args):
            let text: String
            switch f {
            case "abs": text = "the absolute value of \(words(args[0], 3))"
            case "max": text = "the larger of \(words(args[0], 3)) and \(words(args[1], 3))"
            default: text = "the smaller of \(words(args[0], 3)) and \(words(args[1], 3))"
            }
            return parent > 0 ? "(\(text))" : text
        }
    }

    static func pseudoLines(_ stmts: [Stmt], depth: Int = 0) -> [String] {
        let pad = String(repeating: "    ", count: depth)
        var out: [String] = []
        for s in stmts {
            switch s {
            case .readInt(let n): out.append(pad + "read an integer \(n)")
            case .readList(let n): out.append(pad + "read a line of integers into the list \(n)")
            case .assign(let n, let e): out.append(pad + "set \(n) to \(words(e))")
            case .augment(let n, let op, let e):
                switch op {
                case "+": out.append(pad + "add \(words(e)) to \(n)")
                case "-": out.append(pad + "subtract \(words(e)) from \(n)")
                default: out.append(pad + "multiply \(n) by \(words(e))")
                }
            case .setItem(let n, let i, let e): out.append(pad + "set \(n)[\(words(i))] to \(words(e))")
            case .append(let n, let e): out.append(pad + "append \(words(e)) to \(n)")
            case .zeros(let n, let e): out.append(pad + "set \(n) to a list of \(words(e)) zeros")
            case .emptyList(let n): out.append(pad + "set \(n) to an empty list")
            case .copyList(let n, let from): out.append(pad + "set \(n) to a copy of \(from)")
            case .sortList(let n, let reverse): out.append(pad + "sort \(n) in \(reverse ? "descending" : "ascending") order")
            case .swap(let n, let i, let j): out.append(pad + "swap \(n)[\(words(i))] and \(n)[\(words(j))]")
            case .forRange(let v, let from, let to, let step, let body):
                if step == 1 {
                    out.append(pad + "for \(v) from \(words(from)) up to but not including \(words(to)):")
                } else if step == -1 {
                    out.append(pad + "for \(v) from \(words(from)) down to but not including \(words(to)):")
                } else {
                    out.append(pad + "for \(v) from \(words(from)) up to but not including \(words(to)), in steps of \(step):")
                }
                out += pseudoLines(body, depth: depth + 1)
            case .forEach(let v, let list, let body):
                out.append(pad + "for each element \(v) of \(list):")
                out += pseudoLines(body, depth: depth + 1)
            case .whileLoop(let c, let body):
                out.append(pad + "while \(words(c)):")
                out += pseudoLines(body, depth: depth + 1)
            case .ifElse(let c, let yes, let no):
                out.append(pad + "if \(words(c)):")
                out += pseudoLines(yes, depth: depth + 1)
                if !no.isEmpty {
                    out.append(pad + "otherwise:")
                    out += pseudoLines(no, depth: depth + 1)
                }
            case .printValues(let es): out.append(pad + "print " + es.map { words($0) }.joined(separator: " and ") + (es.count > 1 ? ", separated by a space" : ""))
            case .printList(let n): out.append(pad + "print the elements of \(n), separated by spaces")
            case .printText(let t): out.append(pad + "print \"\(t)\"")
            }
        }
        return out
    }

    var python: String { Self.pythonLines(body).joined(separator: "\n") }
    var pseudocode: String { Self.pseudoLines(body).joined(separator: "\n") }
}
