import FathomCore

/// Expression grammar, precedence for precedence as jinja2's parser (note `**` is left-associative and
/// filters bind looser than unary minus: `-1|abs` is `abs(-1)`).
extension TemplateParser {
    private func node(_ kind: Expr.Kind, _ t: Token) -> Expr { Expr(kind, line: t.line, column: t.column) }

    mutating func parseTuple(withCondexpr: Bool = true, extraEndRules: [String] = [], explicitParentheses: Bool = false)
        throws(FathomError) -> Expr {
        let start = current
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEndRules) { break }
            items.append(withCondexpr ? try parseExpression() : try parseOr())
            if isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses { throw fail("Expected an expression, got '\(describe(current))'") }
        }
        return node(.tuple(items), start)
    }

    mutating func parseExpression() throws(FathomError) -> Expr {
        let start = current
        var expr = try parseOr()
        while skipName("if") {
            let test = try parseOr()
            let otherwise = skipName("else") ? try parseExpression() : nil
            expr = node(.conditional(test: test, then: expr, otherwise: otherwise), start)
        }
        return expr
    }

    mutating func parseOr() throws(FathomError) -> Expr {
        let start = current
        var left = try parseAnd()
        while skipName("or") { left = node(.or(left, try parseAnd()), start) }
        return left
    }

    mutating func parseAnd() throws(FathomError) -> Expr {
        let start = current
        var left = try parseNot()
        while skipName("and") { left = node(.and(left, try parseNot()), start) }
        return left
    }

    mutating func parseNot() throws(FathomError) -> Expr {
        let start = current
        if skipName("not") { return node(.not(try parseNot()), start) }
        return try parseCompare()
    }

    mutating func parseCompare() throws(FathomError) -> Expr {
        let start = current
        let expr = try parseMath1()
        var ops: [(CompareOperator, Expr)] = []
        while true {
            if case .op(let o) = current.kind, let op = CompareOperator(rawValue: o), op != .in, op != .notIn {
                _ = advance()
                ops.append((op, try parseMath1()))
            } else if skipName("in") {
                ops.append((.in, try parseMath1()))
            } else if isName("not"), case .name("in") = look().kind {
                _ = advance()
                _ = advance()
                ops.append((.notIn, try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? expr : node(.compare(expr, ops), start)
    }

    mutating func parseMath1() throws(FathomError) -> Expr {
        let start = current
        var left = try parseConcat()
        while isOp("+") || isOp("-") {
            let op: BinaryOperator = isOp("+") ? .add : .sub
            _ = advance()
            left = node(.binary(op, left, try parseConcat()), start)
        }
        return left
    }

    mutating func parseConcat() throws(FathomError) -> Expr {
        let start = current
        var items = [try parseMath2()]
        while skipOp("~") { items.append(try parseMath2()) }
        return items.count == 1 ? items[0] : node(.concat(items), start)
    }

    mutating func parseMath2() throws(FathomError) -> Expr {
        let start = current
        var left = try parsePow()
        while case .op(let o) = current.kind, ["*", "/", "//", "%"].contains(o) {
            _ = advance()
            left = node(.binary(BinaryOperator(rawValue: o)!, left, try parsePow()), start)
        }
        return left
    }

    mutating func parsePow() throws(FathomError) -> Expr {
        let start = current
        var left = try parseUnary()
        while skipOp("**") { left = node(.binary(.pow, left, try parseUnary()), start) }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws(FathomError) -> Expr {
        let start = current
        expressionNesting += 1
        defer { expressionNesting -= 1 }
        if expressionNesting > Self.maxNesting { throw fail("expression nested too deeply (more than \(Self.maxNesting) levels)") }
        var expr: Expr
        if skipOp("-") {
            expr = node(.negate(try parseUnary(withFilter: false)), start)
        } else if skipOp("+") {
            expr = node(.plus(try parseUnary(withFilter: false)), start)
        } else {
            expr = try parsePrimary()
        }
        expr = try parsePostfix(expr)
        if withFilter { expr = try parseFilterExpr(expr) }
        return expr
    }

    mutating func parsePrimary() throws(FathomError) -> Expr {
        let token = current
        switch token.kind {
        case .name(let n):
            _ = advance()
            switch n {
            case "true", "True": return node(.literal(.bool(true)), token)
            case "false", "False": return node(.literal(.bool(false)), token)
            case "none", "None": return node(.literal(.none), token)
            default:
                return node(.name(n), token)
            }
        case .string(let s):
            _ = advance()
            var text = s
            while case .string(let more) = current.kind {
                text += more
                _ = advance()
            }
            return node(.literal(.string(text)), token)
        case .integer(let i):
            _ = advance()
            return node(.literal(.int(i)), token)
        case .float(let d):
            _ = advance()
            return node(.literal(.double(d)), token)
        case .op("("):
            _ = advance()
            let e = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return e
        case .op("["):
            _ = advance()
            var items: [Expr] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return node(.list(items), token)
        case .op("{"):
            _ = advance()
            var pairs: [(Expr, Expr)] = []
            while !isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                pairs.append((key, try parseExpression()))
            }
            try expectOp("}")
            return node(.dict(pairs), token)
        default:
            throw fail("unexpected '\(describe(token))'")
        }
    }

    mutating func parsePostfix(_ start: Expr) throws(FathomError) -> Expr {
        var expr = start
        while true {
            if isOp(".") || isOp("[") {
                expr = try parseSubscript(expr)
            } else if isOp("(") {
                expr = try parseCall(expr)
            } else {
                return expr
            }
        }
    }

    mutating func parseFilterExpr(_ start: Expr) throws(FathomError) -> Expr {
        var expr = start
        while true {
            if isOp("|") {
                expr = try parseFilter(expr)!
            } else if isName("is") {
                expr = try parseTest(expr)
            } else if isOp("(") {
                expr = try parseCall(expr)
            } else {
                return expr
            }
        }
    }

    mutating func parseSubscript(_ base: Expr) throws(FathomError) -> Expr {
        let token = advance()
        if case .op(".") = token.kind {
            let attr = advance()
            switch attr.kind {
            case .name(let n): return node(.attribute(base, n), token)
            case .integer(let i): return node(.item(base, node(.literal(.int(i)), attr)), token)
            default: throw fail("expected name or number", at: attr)
            }
        }
        var args: [Expr] = []
        while !isOp("]") {
            if !args.isEmpty { try expectOp(",") }
            args.append(try parseSubscribed())
        }
        try expectOp("]")
        return node(.item(base, args.count == 1 ? args[0] : node(.tuple(args), token)), token)
    }

    private mutating func parseSubscribed() throws(FathomError) -> Expr {
        let start = current
        var parts: [Expr?] = []
        if skipOp(":") {
            parts = [nil]
        } else {
            let e = try parseExpression()
            if !skipOp(":") { return e }
            parts = [e]
        }
        if isOp(":") {
            parts.append(nil)
        } else if !isOp("]") && !isOp(",") {
            parts.append(try parseExpression())
        } else {
            parts.append(nil)
        }
        if skipOp(":") {
            parts.append(!isOp("]") && !isOp(",") ? try parseExpression() : nil)
        } else {
            parts.append(nil)
        }
        return node(.slice(parts[0], parts[1], parts[2]), start)
    }

    mutating func parseCallArguments() throws(FathomError) -> CallArguments {
        let open = current
        try expectOp("(")
        var args = CallArguments()
        var requireComma = false
        func ensure(_ ok: Bool) throws(FathomError) {
            if !ok { throw fail("invalid syntax for function call expression", at: open) }
        }
        while !isOp(")") {
            if requireComma {
                try expectOp(",")
                if isOp(")") { break }
            }
            if skipOp("*") {
                try ensure(args.star == nil && args.starStar == nil)
                args.star = try parseExpression()
            } else if skipOp("**") {
                try ensure(args.starStar == nil)
                args.starStar = try parseExpression()
            } else if case .name(let key) = current.kind, case .op("=") = look().kind {
                try ensure(args.starStar == nil)
                _ = advance()
                _ = advance()
                args.keywords.append((key, try parseExpression()))
            } else {
                try ensure(args.star == nil && args.starStar == nil && args.keywords.isEmpty)
                args.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return args
    }

    mutating func parseCall(_ callee: Expr) throws(FathomError) -> Expr {
        let token = current
        return node(.call(callee, try parseCallArguments()), token)
    }

    mutating func parseFilter(_ input: Expr?, startInline: Bool = false) throws(FathomError) -> Expr? {
        var expr = input
        var inline = startInline
        while isOp("|") || inline {
            if !inline { _ = advance() }
            let token = current
            var name = try expectName()
            while skipOp(".") { name += "." + (try expectName()) }
            let args = isOp("(") ? try parseCallArguments() : CallArguments()
            expr = node(.filter(expr, name, args), token)
            inline = false
        }
        return expr
    }

    mutating func parseTest(_ input: Expr) throws(FathomError) -> Expr {
        let token = advance()
        let negated = skipName("not")
        var name = try expectName()
        while skipOp(".") { name += "." + (try expectName()) }
        var args = CallArguments()
        if isOp("(") {
            args = try parseCallArguments()
        } else if startsPrimary(), !isName("else"), !isName("or"), !isName("and") {
            if isName("is") { throw fail("You cannot chain multiple tests with is") }
            args.positional = [try parsePostfix(try parsePrimary())]
        }
        let test = node(.test(input, name, args), token)
        return negated ? node(.not(test), token) : test
    }

    private func startsPrimary() -> Bool {
        switch current.kind {
        case .name, .string, .integer, .float, .op("("), .op("["), .op("{"): return true
        default: return false
        }
    }
}
