import FathomCore
import FathomTemplate
import Foundation
import Testing

@Suite("template values")
struct ValueTests {
    @Test("literals and initialisers build the expected cases")
    func literals() {
        let v: TemplateValue = ["role": "user", "n": 2, "x": 1.5, "ok": true, "list": [1, "a"]]
        guard case .object(let o) = v else {
            Issue.record("not an object")
            return
        }
        #expect(o.keys == ["role", "n", "x", "ok", "list"])
        #expect(o["role"] == .string("user"))
        #expect(TemplateValue("s") == .string("s"))
        #expect(TemplateValue(3) == .int(3))
        #expect(TemplateValue(true) == .bool(true))
        #expect(TemplateValue(["b": 1, "a": 2]) == TemplateValue([("a", 2), ("b", 1)]))
        guard case .object(let sorted) = TemplateValue(["b": 1, "a": 2]) else { return }
        #expect(sorted.keys == ["a", "b"])
    }

    @Test("equality and hashing follow Python")
    func pythonEquality() {
        #expect(TemplateValue.int(1) == .double(1.0))
        #expect(TemplateValue.bool(true) == .int(1))
        #expect(TemplateValue.int(2) != .string("2"))
        #expect(TemplateValue.array([1]) != .tuple([1]))
        // code points, not canonical equivalence
        #expect(TemplateValue.string("\u{E9}") != .string("e\u{301}"))
        #expect(Set<TemplateValue>([.int(1), .double(1.0), .bool(true)]).count == 1)
        var o = TemplateObject()
        o[.int(1)] = "int"
        o[.double(1.0)] = "float"
        #expect(o.count == 1)
        #expect(o[.bool(true)] == .string("float"))
        let a: TemplateValue = ["x": 1, "y": 2]
        let b: TemplateValue = ["y": 2, "x": 1]
        #expect(a == b)
    }

    @Test("values print as Python's str()")
    func printing() throws {
        let t = try ChatTemplate(source: "{{ v }}")
        func show(_ v: TemplateValue) throws -> String { try t.render(["v": v]) }
        #expect(try show(.none) == "None")
        #expect(try show(.undefined) == "")
        #expect(try show(.bool(false)) == "False")
        #expect(try show(.double(1)) == "1.0")
        #expect(try show(.double(1e-5)) == "1e-05")
        #expect(try show(.double(1e16)) == "1e+16")
        #expect(try show(.double(0.1 + 0.2)) == "0.30000000000000004")
        #expect(try show([1, "a", .none, TemplateValue([("k", "v")]), .tuple(["t"])]) == "[1, 'a', None, {'k': 'v'}, ('t',)]")
        #expect(try show(["it's", "q\"", "\n"]) == "[\"it's\", 'q\"', '\\n']")
    }

    @Test("host functions receive positional and keyword arguments")
    func hostFunctions() throws {
        let join = TemplateValue.function("join") { args throws(FathomError) in
            let sep = args.keywords.first { $0.name == "sep" }?.value ?? "-"
            guard case .string(let s) = sep else { return .none }
            return .string(args.positional.compactMap { if case .string(let x) = $0 { return x }; return nil }.joined(separator: s))
        }
        let t = try ChatTemplate(source: "{{ join('a', 'b') }} {{ join('a', 'b', sep='+') }}")
        #expect(try t.render(["join": join]) == "a-b a+b")
    }

    @Test("renderChat exposes messages, tokens, flags, tools=None, strftime_now and extra")
    func renderChat() throws {
        let source = """
        {{ bos_token }}{% for m in messages %}[{{ m.role }}|{{ m.content }}]{% endfor %}\
        {{ add_generation_prompt }} {{ tools is none }} {{ documents is none }} {{ strftime_now('%d %b %Y %H:%M') }} {{ custom }}{{ eos_token }}
        """
        let t = try ChatTemplate(source: source)
        let now = Date(timeIntervalSince1970: 1_721_999_109)  // 2024-07-26 13:05:09 UTC
        let out = try t.renderChat(messages: [("user", "hi"), ("assistant", "yo")], addGenerationPrompt: true,
                                   bosToken: "<s>", eosToken: "</s>", now: now, extra: ["custom": "X"])
        #expect(out == "<s>[user|hi][assistant|yo]True True True 26 Jul 2024 13:05 X</s>")
        let overridden = try t.renderChat(messages: [], addGenerationPrompt: false, bosToken: "", eosToken: "", now: now,
                                          extra: ["tools": [1], "custom": 1.0])
        #expect(overridden == "False False True 26 Jul 2024 13:05 1.0")
    }

    @Test("the parsed template keeps its source and renders repeatedly")
    func reuse() throws {
        let t = try ChatTemplate(source: "{% set ns = namespace(n=0) %}{% for x in xs %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}")
        #expect(t.source.hasPrefix("{% set ns"))
        #expect(try t.render(["xs": [1, 2, 3]]) == "6")
        #expect(try t.render(["xs": [10]]) == "10")
    }
}

@Suite("performance")
struct PerformanceTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/chat_templates")

    static func template(_ names: [String]) throws -> ChatTemplate {
        let source = try names.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
        return try ChatTemplate(source: source)
    }

    @Test("a small chat through a ~10 KB template renders in well under a millisecond (release)")
    func smallChat() throws {
        let t = try Self.template(["chatml_qwen25.jinja", "llama31.jinja", "mistral_v03.jinja"])
        #expect(t.source.utf8.count > 8_000)
        let messages: [(role: String, content: String)] = [("system", "Be brief."), ("user", "Hi"), ("assistant", "Hello."), ("user", "2+2?")]
        let n = 200
        let start = Date()
        for _ in 0..<n {
            _ = try t.renderChat(messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>", now: start)
        }
        let perRender = Date().timeIntervalSince(start) / Double(n)
        #if DEBUG
        let limit = 0.005  // unoptimized builds are ~7x slower
        #else
        let limit = 0.001
        #endif
        #expect(perRender < limit, "\(perRender * 1e6) µs per render")
    }

    @Test("contents of hundreds of KB render in linear time")
    func largeContents() throws {
        let big = String(repeating: "Lorem ipsum dolor sit amet, ünïcode 😀. ", count: 12_000)  // ~500 KB
        let messages: [(role: String, content: String)] = [("system", big), ("user", big), ("assistant", "<think>x</think>" + big), ("user", big)]
        for name in ["chatml_qwen25.jinja", "llama31.jinja", "deepseek_r1.jinja"] {
            let t = try Self.template([name])
            let start = Date()
            let out = try t.renderChat(messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>", now: start)
            #expect(out.utf8.count > 3 * big.utf8.count)
            #expect(Date().timeIntervalSince(start) < 2.0, "\(name) took too long")
        }
    }
}
