import FathomCore
import FathomTemplate
import Foundation
import Testing

private func parseError(_ source: String, name: String = "t.jinja") -> FathomError? {
    do {
        _ = try ChatTemplate(source: source, name: name)
        return nil
    } catch {
        return error
    }
}

private func renderError(_ source: String, _ globals: [String: TemplateValue] = [:], name: String = "t.jinja") -> FathomError? {
    do {
        _ = try ChatTemplate(source: source, name: name).render(globals)
        return nil
    } catch {
        return error
    }
}

@Suite("parse errors")
struct ParseErrorTests {
    @Test("messages name the line and column, and the file")
    func lineAndColumn() throws {
        let e = try #require(parseError("line one\n  {{ a $ b }}"))
        #expect(e.kind == .parse)
        #expect(e.file == "t.jinja")
        #expect(e.line == 2)
        #expect(e.message == "line 2, column 8: unexpected char '$'")
        #expect(e.description == "t.jinja:2: line 2, column 8: unexpected char '$'")
    }

    @Test("unclosed blocks point at the end of the template and name the open tag")
    func unclosedBlock() throws {
        let e = try #require(parseError("a\n{% for m in messages %}\n{% if m %}x"))
        #expect(e.kind == .parse)
        #expect(e.message.hasPrefix("line 3, column 12: Unexpected end of template."))
        #expect(e.message.contains("'endif'"))
        #expect(e.message.contains("The innermost block that needs to be closed is 'if'."))
    }

    @Test("unknown and misplaced tags", arguments: [
        ("{% foo %}", "line 1, column 4: Encountered unknown tag 'foo'."),
        ("{% if x %}\n{% endfor %}", "line 2, column 4: Encountered unknown tag 'endfor'."),
        ("{% do x.append(1) %}", "line 1, column 4: Encountered unknown tag 'do'."),
        ("{% break %}", "line 1, column 4: 'break' outside loop"),
    ])
    func tags(_ source: String, _ prefix: String) throws {
        let e = try #require(parseError(source))
        #expect(e.kind == .parse)
        #expect(e.message.hasPrefix(prefix), "\(e.message)")
    }

    @Test("lexer errors", arguments: [
        ("{{ 'abc }}", "line 1, column 4: unexpected char \"'\""),
        ("x {# never closed", "line 1, column 3: Missing end of comment tag"),
        ("{% raw %} no end", "line 1, column 10: Missing end of raw directive"),
        ("{{ (1 }}", "line 1, column 7: unexpected '}', expected ')'"),
        ("{{ [1) }}", "line 1, column 6: unexpected ')', expected ']'"),
        ("{{ '\\x4' }}", "line 1, column 4: truncated \\xXX escape"),
        ("{{ b", "line 1, column 1: unexpected end of template, expected 'end of print statement'."),
        ("é😀 {{ ! }}", "line 1, column 7: unexpected char '!'"),
    ])
    func lexer(_ source: String, _ message: String) throws {
        let e = try #require(parseError(source))
        #expect(e.kind == .parse)
        #expect(e.message == message)
    }

    @Test("expression errors", arguments: [
        ("{{ }}", "line 1, column 4: Expected an expression, got 'end of print statement'"),
        ("{{ 1 + }}", "line 1, column 8: unexpected 'end of print statement'"),
        ("{% set 1 = 2 %}", "line 1, column 8: can't assign to 'const'"),
        ("{{ f(a=1, 2) }}", "line 1, column 5: invalid syntax for function call expression"),
        ("{{ 1 is number is number }}", "line 1, column 16: You cannot chain multiple tests with is"),
        ("{% macro m(a=1, b) %}{% endmacro %}", "line 1, column 18: non-default argument follows default argument"),
        ("{% if a %}{% endif a %}", "line 1, column 20: expected token 'end of statement block', got 'a'"),
    ])
    func expressions(_ source: String, _ message: String) throws {
        let e = try #require(parseError(source))
        #expect(e.kind == .parse)
        #expect(e.message == message)
    }

    @Test("template inheritance and includes are refused at parse time", arguments: ["include 'x'", "extends 'x'", "import 'x' as y", "from 'x' import y", "block b", "autoescape true"])
    func unsupportedTags(_ tag: String) throws {
        let e = try #require(parseError("{% \(tag) %}"))
        #expect(e.kind == .parse)
        #expect(e.message.contains("not supported"))
    }

    @Test("unsupported literals are refused, not misread")
    func unsupportedLiterals() throws {
        #expect(parseError("{{ '\\N{BULLET}' }}")?.message.contains("not supported") == true)
        #expect(parseError("{{ 99999999999999999999 }}")?.message.contains("too large") == true)
    }
}

@Suite("runtime errors")
struct RuntimeErrorTests {
    @Test("raise_exception throws invalidValue carrying the message and the line")
    func raiseException() throws {
        let t = try ChatTemplate(source: "{% for m in messages %}\n{% if m.role == 'system' %}\n{{ raise_exception('System role not supported') }}\n{% endif %}{% endfor %}",
                                 name: "gemma")
        do {
            _ = try t.renderChat(messages: [("system", "x")], addGenerationPrompt: true, bosToken: "", eosToken: "", now: Date())
            Issue.record("expected raise_exception to throw")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.file == "gemma")
            #expect(error.line == 3)
            #expect(error.message.contains("System role not supported"))
            #expect(error.message.hasPrefix("line 3: "))
        }
    }

    @Test("each class of runtime error", arguments: [
        ("{{ x.y }}", "UndefinedError: 'x' is undefined"),
        ("{{ d.missing.y }}", "UndefinedError: 'dict object' has no attribute 'missing'"),
        ("{{ d['a'] + 1 }}", "TypeError: can only concatenate str (not \"int\") to str"),
        ("{{ 1 < 'a' }}", "TypeError: '<' not supported between instances of 'int' and 'str'"),
        ("{{ 'x'|nosuch }}", "TemplateAssertionError: No filter named 'nosuch'."),
        ("{{ 1 is nosuch }}", "TemplateAssertionError: No test named 'nosuch'."),
        ("{{ l.append(1) }}", "SecurityError: access to attribute 'append' of 'list' object is unsafe."),
        ("{{ d.update({}) }}", "SecurityError: access to attribute 'update' of 'dict' object is unsafe."),
        ("{{ 1 // 0 }}", "ZeroDivisionError: integer division or modulo by zero"),
        ("{% for a, b in l %}{% endfor %}", "TypeError: cannot unpack non-iterable int object"),
        ("{% for m in 5 %}{% endfor %}", "TypeError: 'int' object is not iterable"),
        ("{{ range(10**6)|length }}", "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
        ("{{ missing|tojson }}", "TypeError: Object of type Undefined is not JSON serializable"),
    ])
    func classes(_ source: String, _ message: String) throws {
        let globals: [String: TemplateValue] = ["d": ["a": "s"], "l": [1, 2]]
        let e = try #require(renderError("ok\n" + source, globals))
        #expect(e.kind == .invalidValue)
        #expect(e.file == "t.jinja")
        #expect(e.line == 2)
        #expect(e.message == "line 2: " + message)
    }

    @Test("an unknown filter in a branch that does not run is not an error (as in jinja2 3.x)")
    func unknownFilterNotTaken() throws {
        #expect(try ChatTemplate(source: "{% if false %}{{ x|nosuch }}{% endif %}ok").render([:]) == "ok")
    }

    @Test("errors thrown by host functions keep their kind and gain the line")
    func hostFunction() throws {
        let boom = TemplateValue.function("boom") { _ throws(FathomError) in throw FathomError(.backend, "host failed") }
        let e = try #require(renderError("\n\n{{ boom() }}", ["boom": boom]))
        #expect(e.kind == .backend)
        #expect(e.line == 3)
        #expect(e.message == "line 3: host failed")
    }

    @Test("features that jinja2 renders non-deterministically or this engine lacks throw instead of rendering", arguments: [
        ("{{ l|map('string') }}", "|list"),
        ("{{ l|reverse }}", "|list"),
        ("{{ raise_exception }}", "memory address"),
        ("{{ l.count }}", "memory address"),
        ("{{ cycler(1, 2) }}", "not supported"),
        ("{{ joiner() }}", "not supported"),
        ("{{ l|groupby('x') }}", "not supported"),
        ("{{ 'a b'|wordwrap(1) }}", "not supported"),
        ("{{ l|random }}", "not supported"),
        ("{{ 'x'.encode() }}", "not supported"),
        ("{{ 2 ** 64 }}", "integer overflow"),
        ("{{ 9223372036854775807 + 1 }}", "integer overflow"),
        ("{{ 1e20|int }}", "integer overflow"),
        ("{{ '{:d}'.format(1) }}", "not supported"),
        ("{{ strftime_now('%s') }}", "not supported"),
    ])
    func unsupported(_ source: String, _ fragment: String) throws {
        let t = try ChatTemplate(source: source)
        do {
            _ = try t.renderChat(messages: [], addGenerationPrompt: false, bosToken: "", eosToken: "", now: Date(),
                                 extra: ["l": [1, 2]])
            Issue.record("expected \(source) to throw")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }
}
