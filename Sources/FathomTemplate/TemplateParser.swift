import FathomCore

/// Builds the statement tree from tokens, following jinja2's `Parser` (statements here, expressions in
/// `ExpressionParser.swift`).
struct TemplateParser {
    var tokens: [Token]
    var index = 0
    var endTokenStack: [[String]] = []
    var tagStack: [String] = []
    var loopDepth = 0
    /// Current nesting of statements and of expressions; both are capped (jinja2 hits Python's recursion limit
    /// at about 80 nested parentheses and 100 nested blocks).
    var statementNesting = 0
    var expressionNesting = 0
    static let maxNesting = 200

    init(tokens: [Token]) { self.tokens = tokens }

    var current: Token { tokens[index] }
    func look() -> Token { tokens[min(index + 1, tokens.count - 1)] }
    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func fail(_ message: String, at token: Token? = nil) -> FathomError {
        let t = token ?? current
        return FathomError(.parse, "line \(t.line), column \(t.column): \(message)", line: t.line)
    }

    func isName(_ name: String) -> Bool {
        if case .name(let n) = current.kind { return n == name }
        return false
    }

    func isOp(_ op: String) -> Bool {
        if case .op(let o) = current.kind { return o == op }
        return false
    }

    mutating func skipName(_ name: String) -> Bool {
        guard isName(name) else { return false }
        _ = advance()
        return true
    }

    mutating func skipOp(_ op: String) -> Bool {
        guard isOp(op) else { return false }
        _ = advance()
        return true
    }

    mutating func expectOp(_ op: String) throws(FathomError) {
        guard skipOp(op) else { throw fail("expected token '\(op)', got '\(describe(current))'") }
    }

    mutating func expectName() throws(FathomError) -> String {
        guard case .name(let n) = current.kind else { throw fail("expected token 'name', got '\(describe(current))'") }
        _ = advance()
        return n
    }

    mutating func expectName(_ name: String) throws(FathomError) {
        guard skipName(name) else { throw fail("expected token '\(name)', got '\(describe(current))'") }
    }

    mutating func expectBlockEnd() throws(FathomError) {
        guard current.kind == .blockEnd else { throw fail("expected token 'end of statement block', got '\(describe(current))'") }
        _ = advance()
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .data: return "template data / text"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let n): return n
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .op(let o): return o
        case .eof: return "end of template"
        }
    }

    // MARK: template structure

    mutating func parseTemplate() throws(FathomError) -> [Node] {
        let body = try subparse(nil)
        if current.kind != .eof { throw fail("unexpected '\(describe(current))'") }
        return body
    }

    mutating func subparse(_ endTokens: [String]?) throws(FathomError) -> [Node] {
        var body: [Node] = []
        if let endTokens { endTokenStack.append(endTokens) }
        defer { if endTokens != nil { endTokenStack.removeLast() } }
        while true {
            switch current.kind {
            case .data(let s):
                body.append(.text(s))
                _ = advance()
            case .variableBegin:
                _ = advance()
                let e = try parseTuple(withCondexpr: true)
                guard current.kind == .variableEnd else {
                    throw fail("expected token 'end of print statement', got '\(describe(current))'")
                }
                _ = advance()
                body.append(.output(e))
            case .blockBegin:
                _ = advance()
                if let endTokens, case .name(let n) = current.kind, endTokens.contains(n) { return body }
                body.append(contentsOf: try parseStatement())
                try expectBlockEnd()
            case .eof:
                return body
            default:
                throw fail("unexpected '\(describe(current))'")
            }
        }
    }

    mutating func parseStatements(_ endTokens: [String], dropNeedle: Bool = false) throws(FathomError) -> [Node] {
        _ = skipOp(":")
        try expectBlockEnd()
        let body = try subparse(endTokens)
        if current.kind == .eof { throw failEOF(endTokens) }
        if dropNeedle { _ = advance() }
        return body
    }

    private func failEOF(_ endTokens: [String]) -> FathomError {
        var message = "Unexpected end of template."
        let looking = endTokens.map { "'\($0)'" }.joined(separator: " or ")
        message += " Jinja was looking for the following tags: \(looking)."
        if let tag = tagStack.last { message += " The innermost block that needs to be closed is '\(tag)'." }
        return fail(message)
    }

    private func failUnknownTag(_ name: String, _ token: Token) -> FathomError {
        var message = "Encountered unknown tag '\(name)'."
        let expected = Set(endTokenStack.flatMap { $0 })
        if let looking = endTokenStack.last.map({ $0.map { "'\($0)'" }.joined(separator: " or ") }) {
            if expected.contains(name) {
                message += " You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for \(looking)."
            } else {
                message += " Jinja was looking for the following tags: \(looking)."
            }
        }
        if let tag = tagStack.last { message += " The innermost block that needs to be closed is '\(tag)'." }
        return fail(message, at: token)
    }

    // MARK: statements

    mutating func parseStatement() throws(FathomError) -> [Node] {
        let token = current
        guard case .name(let tag) = token.kind else { throw fail("tag name expected") }
        statementNesting += 1
        defer { statementNesting -= 1 }
        if statementNesting > Self.maxNesting { throw fail("statements nested too deeply (more than \(Self.maxNesting) levels)") }
        tagStack.append(tag)
        defer { tagStack.removeLast() }
        switch tag {
        case "for": return [.forLoop(try parseFor())]
        case "if": return [try parseIf()]
        case "set": return [try parseSet()]
        case "macro": return [try parseMacro()]
        case "call": return [try parseCallBlock()]
        case "filter":
            _ = advance()
            let filter = try parseFilter(nil, startInline: true)!
            return [.filterBlock(filter, body: try parseStatements(["endfilter"], dropNeedle: true), frame: .empty)]
        case "with": return [try parseWith()]
        case "print":
            _ = advance()
            var nodes: [Node] = []
            while current.kind != .blockEnd {
                if !nodes.isEmpty { try expectOp(",") }
                nodes.append(.output(try parseExpression()))
            }
            return nodes
        case "break", "continue":
            _ = advance()
            guard loopDepth > 0 else { throw fail("'\(tag)' outside loop", at: token) }
            return [tag == "break" ? .loopBreak : .loopContinue]
        case "generation":
            _ = advance()
            let saved = loopDepth
            loopDepth = 0
            defer { loopDepth = saved }
            return [.scope(try parseStatements(["endgeneration"], dropNeedle: true), frame: .empty)]
        case "block", "extends", "include", "import", "from", "autoescape":
            throw fail("the '\(tag)' tag is not supported by this engine (chat templates are self-contained)", at: token)
        default:
            tagStack.removeLast()
            defer { tagStack.append(tag) }
            throw failUnknownTag(tag, token)
        }
    }

    mutating func parseFor() throws(FathomError) -> ForNode {
        let line = advance().line
        let target = try parseAssignTarget(extraEndRules: ["in"])
        try expectName("in")
        let iterable = try parseTuple(withCondexpr: false, extraEndRules: ["recursive"])
        let filter = skipName("if") ? try parseExpression() : nil
        let recursive = skipName("recursive")
        loopDepth += 1
        let body = try parseStatements(["endfor", "else"])
        loopDepth -= 1
        var otherwise: [Node] = []
        if case .name("else") = advance().kind {
            otherwise = try parseStatements(["endfor"], dropNeedle: true)
        }
        return ForNode(target: target, iterable: iterable, filter: filter, recursive: recursive, body: body,
                       otherwise: otherwise, line: line)
    }

    mutating func parseIf() throws(FathomError) -> Node {
        _ = advance()
        var branches: [(test: Expr, body: [Node])] = []
        var otherwise: [Node] = []
        while true {
            let test = try parseTuple(withCondexpr: false)
            branches.append((test, try parseStatements(["elif", "else", "endif"])))
            let token = advance()
            if case .name("elif") = token.kind { continue }
            if case .name("else") = token.kind { otherwise = try parseStatements(["endif"], dropNeedle: true) }
            break
        }
        return .conditional(branches, otherwise: otherwise)
    }

    mutating func parseSet() throws(FathomError) -> Node {
        let line = advance().line
        let target = try parseAssignTarget(withNamespace: true)
        if skipOp("=") { return .assign(target, try parseTuple(), line: line) }
        let filter = try parseFilter(nil)
        return .assignBlock(target, filter: filter, body: try parseStatements(["endset"], dropNeedle: true), line: line, frame: .empty)
    }

    mutating func parseMacro() throws(FathomError) -> Node {
        let line = advance().line
        let name = try expectName()
        let parameters = try parseSignature()
        let body = try parseScopedBody(["endmacro"])
        return .macro(MacroDefinition(name: name, parameters: parameters, body: body, line: line), target: .name(name))
    }

    mutating func parseCallBlock() throws(FathomError) -> Node {
        let token = advance()
        let parameters = isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call.kind else { throw fail("expected call", at: token) }
        let body = try parseScopedBody(["endcall"])
        return .callBlock(MacroDefinition(name: "caller", parameters: parameters, body: body, line: token.line), call: call)
    }

    /// A macro-like body: no enclosing loop for break/continue.
    private mutating func parseScopedBody(_ end: [String]) throws(FathomError) -> [Node] {
        let savedDepth = loopDepth
        loopDepth = 0
        defer { loopDepth = savedDepth }
        return try parseStatements(end, dropNeedle: true)
    }

    mutating func parseSignature() throws(FathomError) -> [(name: String, defaultValue: Expr?)] {
        try expectOp("(")
        var parameters: [(name: String, defaultValue: Expr?)] = []
        while !isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let name = try expectName()
            if skipOp("=") {
                parameters.append((name, try parseExpression()))
            } else if parameters.contains(where: { $0.defaultValue != nil }) {
                throw fail("non-default argument follows default argument")
            } else {
                parameters.append((name, nil))
            }
        }
        try expectOp(")")
        return parameters
    }

    mutating func parseWith() throws(FathomError) -> Node {
        let line = advance().line
        var assignments: [(AssignTarget, Expr)] = []
        while current.kind != .blockEnd {
            if !assignments.isEmpty { try expectOp(",") }
            let target = try parseAssignTarget()
            try expectOp("=")
            assignments.append((target, try parseExpression()))
        }
        return .with(assignments, body: try parseStatements(["endwith"], dropNeedle: true), line: line, frame: .empty)
    }

    // MARK: assignment targets

    mutating func parseAssignTarget(extraEndRules: [String] = [], withNamespace: Bool = false) throws(FathomError) -> AssignTarget {
        var items: [AssignTarget] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEndRules) { break }
            items.append(try parseTargetPrimary(withNamespace: withNamespace))
            if isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            guard let first = items.first else { throw fail("Expected an expression, got '\(describe(current))'") }
            return first
        }
        return .tuple(items)
    }

    private mutating func parseTargetPrimary(withNamespace: Bool) throws(FathomError) -> AssignTarget {
        let token = current
        switch token.kind {
        case .name(let n):
            _ = advance()
            if ["true", "false", "True", "False", "none", "None"].contains(n) { throw fail("can't assign to 'const'", at: token) }
            if withNamespace && isOp(".") {
                _ = advance()
                return .namespaceAttribute(n, try expectName())
            }
            return .name(n)
        case .op("("):
            _ = advance()
            var items: [AssignTarget] = []
            var isTuple = false
            while !isOp(")") {
                if !items.isEmpty { try expectOp(",") }
                if isOp(")") { break }
                items.append(try parseTargetPrimary(withNamespace: false))
                if isOp(",") { isTuple = true } else { break }
            }
            try expectOp(")")
            if !isTuple, let first = items.first { return first }
            return .tuple(items)
        case .string, .integer, .float: throw fail("can't assign to 'const'", at: token)
        case .op("["): throw fail("can't assign to 'list'", at: token)
        case .op("{"): throw fail("can't assign to 'dict'", at: token)
        default: throw fail("unexpected '\(describe(token))'", at: token)
        }
    }

    func isTupleEnd(_ extra: [String] = []) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .op(")"): return true
        case .name(let n): return extra.contains(n)
        default: return false
        }
    }
}
