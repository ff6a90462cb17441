import FathomCore
import Foundation

/// A parsed Jinja template, rendered exactly as Python's jinja2 3.1 renders it in the environment Hugging Face
/// transformers uses for chat templates: `ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
/// extensions=[loopcontrols])`, a `{% generation %}` tag, and `tojson` = `json.dumps(..., ensure_ascii=False)`.
///
/// Unsupported jinja2 features raise a `FathomError` naming the feature and line; nothing renders silently
/// differently.
public struct ChatTemplate: Sendable {
    public let source: String
    public let name: String
    let nodes: [Node]
    /// The template scope's entry loads and the number of variable slots (see `Scoping`).
    let rootFrame: FrameInfo
    let slotCount: Int
    /// Whether renders run on a large-stack thread (templates that may recurse deeply; see `BigStack`).
    let needsBigStack: Bool

    /// Parses `source`; syntax errors throw `FathomError(.parse, "line L, column C: ...", file: name)`.
    public init(source: String, name: String = "chat_template") throws(FathomError) {
        self.source = source
        self.name = name
        do {
            (nodes, rootFrame, slotCount) = try BigStack.run { () throws(FathomError) -> ([Node], FrameInfo, Int) in
                var lexer = TemplateLexer(source: source)
                var parser = TemplateParser(tokens: try lexer.tokenize())
                let folded = Optimizer().fold(try parser.parseTemplate())
                let resolver = ScopeResolver()
                let (body, root) = try resolver.resolve(folded)
                return (body, root, resolver.slotCount)
            }
        } catch {
            throw FathomError(.parse, error.message, file: name, line: error.line)
        }
        needsBigStack = nodes.needsBigStack
    }

    /// Renders with the given global variables. Runtime errors (raise_exception, undefined attribute access, type
    /// errors, unknown filter) throw `FathomError(.invalidValue, "line L: ...", file: name)`.
    public func render(_ globals: [String: TemplateValue]) throws(FathomError) -> String {
        let interpreter = Interpreter(globals: globals, slotCount: slotCount)
        let (nodes, root) = (self.nodes, rootFrame)
        do {
            if needsBigStack {
                interpreter.onBigStack = true
                return try BigStack.run { () throws(FathomError) -> String in try interpreter.render(nodes, root: root) }
            }
            return try interpreter.render(nodes, root: root)
        } catch {
            var e = error
            e.file = name
            if let line = e.line { e.message = "line \(line): " + e.message }
            throw e
        }
    }

    /// Renders a chat as HF transformers' `apply_chat_template` and llama-cpp-python's `Jinja2ChatFormatter` do.
    /// Globals: `messages` (`{"role", "content"}` dicts in order), `bos_token`, `eos_token`, `add_generation_prompt`,
    /// `tools` and `documents` (None, as both pass them), `raise_exception(msg)` (throws `.invalidValue` carrying
    /// msg), `strftime_now(fmt)` (formats `now` as a naive UTC datetime in the C locale), then `extra` on top.
    public func renderChat(messages: [(role: String, content: String)], addGenerationPrompt: Bool, bosToken: String,
                           eosToken: String, now: Date, extra: [String: TemplateValue] = [:]) throws(FathomError) -> String {
        var globals: [String: TemplateValue] = [
            "messages": .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) }),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "tools": .none,
            "documents": .none,
            "raise_exception": ChatTemplate.raiseException,
            "strftime_now": .function("strftime_now") { args throws(FathomError) in
                let p = try args.bind("strftime_now", ["format"], required: 1)
                guard let format = p[0]!.text else { throw Ops.typeError("strftime() argument 1 must be str, not \(Py.typeName(p[0]!))") }
                return .string(try Strftime.format(format, now))
            },
        ]
        for (k, v) in extra { globals[k] = v }
        return try render(globals)
    }

    /// HF's `raise_exception(message)`: raises `TemplateError(message)`.
    public static let raiseException: TemplateValue = .function("raise_exception") { args throws(FathomError) in
        let message = try args.positional.first.map { v throws(FathomError) in try Py.str(v) } ?? ""
        throw FathomError(.invalidValue, "TemplateError: " + message)
    }
}
