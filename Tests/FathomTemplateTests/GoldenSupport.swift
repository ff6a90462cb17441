import FathomCore
@testable import FathomTemplate
import Foundation

/// `Tests/Fixtures/chat_templates/goldens.json`, written by `scripts/chat_templates/make_goldens.py` with jinja2.
struct GoldenFile: Decodable, Sendable {
    struct Now: Decodable, Sendable {
        let iso: String
        let epoch: Double
    }

    let jinja2: String
    let now: Now
    let conversations: [String: [[String]]]
    let cases: [GoldenCase]
}

struct GoldenError: Decodable, Sendable {
    let type: String
    let message: String
}

struct GoldenCase: Decodable, Sendable {
    let id: String
    // chat cases
    let template: String?
    let conversation: String?
    let add_generation_prompt: Bool?
    let bos_token: String?
    let eos_token: String?
    let extra: Tagged?
    // plain cases
    let source: String?
    let globals: Tagged?
    // expectation
    let output: String?
    let error: GoldenError?

    /// The template file name, or "plain" for inline sources.
    var group: String { template ?? "plain" }
}

/// A Python value tagged by type: `["s", str]`, `["i", int]`, `["f", repr]`, `["b", bool]`, `["n"]`,
/// `["l", [...]]`, `["t", [...]]`, `["d", [[key, value], ...]]`.
struct Tagged: Decodable, Sendable {
    let value: TemplateValue

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let tag = try c.decode(String.self)
        switch tag {
        case "s": value = .string(try c.decode(String.self))
        case "i": value = .int(try c.decode(Int.self))
        case "f":
            let repr = try c.decode(String.self)
            guard let d = Double(repr) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad float \(repr)") }
            value = .double(d)
        case "b": value = .bool(try c.decode(Bool.self))
        case "n": value = .none
        case "l", "t":
            var inner = try c.nestedUnkeyedContainer()
            var items: [TemplateValue] = []
            while !inner.isAtEnd { items.append(try inner.decode(Tagged.self).value) }
            value = tag == "l" ? .array(items) : .tuple(items)
        case "d":
            var inner = try c.nestedUnkeyedContainer()
            var o = TemplateObject()
            while !inner.isAtEnd {
                var pair = try inner.nestedUnkeyedContainer()
                let k = try pair.decode(Tagged.self).value
                o[k] = try pair.decode(Tagged.self).value
            }
            value = .object(o)
        default:
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown tag \(tag)")
        }
    }

    /// The value as template globals (string keys).
    var globals: [String: TemplateValue] {
        guard case .object(let o) = value else { return [:] }
        var g: [String: TemplateValue] = [:]
        for (k, v) in o { if case .string(let s) = k { g[s] = v } }
        return g
    }
}

enum Goldens {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/chat_templates")

    static func load() throws -> GoldenFile {
        try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: folder.appendingPathComponent("goldens.json")))
    }

    enum Outcome {
        case output(String)
        case parseError(FathomError)
        case renderError(FathomError)
    }

    /// Parses and renders one case as the Swift engine does.
    static func run(_ c: GoldenCase, in file: GoldenFile, templates: inout [String: String]) -> Outcome {
        let now = Date(timeIntervalSince1970: file.now.epoch)
        let source: String
        if let name = c.template {
            if templates[name] == nil {
                templates[name] = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            }
            source = templates[name]!
        } else {
            source = c.source ?? ""
        }
        let template: ChatTemplate
        do {
            template = try ChatTemplate(source: source, name: c.template ?? c.id)
        } catch {
            return .parseError(error)
        }
        do {
            if let name = c.conversation {
                let messages = (file.conversations[name] ?? []).map { (role: $0[0], content: $0[1]) }
                return .output(try template.renderChat(messages: messages, addGenerationPrompt: c.add_generation_prompt ?? false,
                                                       bosToken: c.bos_token ?? "", eosToken: c.eos_token ?? "", now: now,
                                                       extra: c.extra?.globals ?? [:]))
            }
            var globals = c.globals?.globals ?? [:]
            globals["raise_exception"] = ChatTemplate.raiseException
            globals["strftime_now"] = .function("strftime_now") { args throws(FathomError) in
                .string(try Strftime.format(args.positional.first?.text ?? "", now))
            }
            return .output(try template.render(globals))
        } catch {
            return .renderError(error)
        }
    }

    /// Nil when the engine agrees with jinja2 on this case, else a description of the difference.
    static func mismatch(_ c: GoldenCase, _ outcome: Outcome) -> String? {
        switch (outcome, c.output, c.error) {
        case (.output(let got), let want?, _):
            if got.utf8.elementsEqual(want.utf8) { return nil }
            return "\(c.id): output differs\n" + diff(want, got)
        case (.output(let got), nil, let err?):
            return "\(c.id): jinja2 raised \(err.type): \(err.message)\nbut the engine rendered: \(got.debugDescription.prefix(300))"
        case (.parseError(let e), _, let err?), (.renderError(let e), _, let err?):
            if err.type == "TemplateSyntaxError" || err.type == "SyntaxError" {
                guard case .parseError = outcome, e.kind == .parse else {
                    return "\(c.id): jinja2 raised \(err.type) (\(err.message)) but the engine raised at render: \(e)"
                }
                return nil
            }
            if err.type == "TemplateError" && !e.message.contains(err.message) {
                return "\(c.id): raise_exception message lost: want \(err.message), got \(e.message)"
            }
            if case .renderError = outcome, e.kind != .invalidValue {
                return "\(c.id): runtime error of kind \(e.kind), want invalidValue: \(e)"
            }
            return nil
        case (.parseError(let e), _, nil), (.renderError(let e), _, nil):
            return "\(c.id): the engine raised \(e) but jinja2 rendered \(c.output?.debugDescription.prefix(300) ?? "")"
        default:
            return "\(c.id): malformed golden case"
        }
    }

    static func diff(_ want: String, _ got: String) -> String {
        let a = Array(want.unicodeScalars), b = Array(got.unicodeScalars)
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        let start = max(0, i - 60)
        func window(_ s: [Unicode.Scalar]) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s[min(start, s.count)..<min(i + 80, s.count)])
            return String(v).debugDescription
        }
        return "  first difference at scalar \(i) (lengths \(a.count) vs \(b.count))\n  want: …\(window(a))\n  got:  …\(window(b))"
    }
}
