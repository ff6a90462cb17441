import FathomCore
import FathomExec
import FathomRank
import FathomTasks
import FathomTemplate
import FathomText
import Foundation

extension FuzzTargets {
    /// Task and suite manifests (YAML), checked strictly and resolved against the built-in plugin kinds (their
    /// parameter validation and `init`). Exec manifests are checked but never instantiated: that would start their
    /// command.
    static let manifest = FuzzTarget(
        name: "manifest", summary: "task and suite manifests (YAML) through strict checking and the plugin kinds' validation",
        seedFolders: ["Tasks", "Tests/Fixtures/fuzz/manifest"], extensions: [".yaml"],
        dictionary: [
            "name: ", "plugin: ", "version: ", "params:\n  ", "generation: {max_tokens: ", "metrics: [", "tags: {", "tasks: [", "lengths: [",
            "samples: ", "seed: ", "&a ", "*a", "!!binary ", "<<: *a", "- ", ": ", "{", "}", "[", "]", "'", "\"", "\n", "  ", "1e999", "-1",
            "9223372036854775808", "null", "~", ".nan", "4k", "1m", "niah", "exec", "command: [", "---\n", "...\n", "? ",
        ],
        maxLength: 8192,
        run: { data in
            let text = String(decoding: data, as: UTF8.self)
            let (parsed, errors) = TaskManifest.check(text, file: "fuzz.yaml")
            if let parsed, errors.isEmpty, parsed.plugin != TaskManifest.execKind {
                if let error = kindsRegistry.check(parsed, instantiate: true).errors.first { throw error }
                return
            }
            _ = try SuiteManifest.parse(text, file: "fuzz.yaml")
        })

    /// An empty registry that knows the built-in plugin kinds.
    static let kindsRegistry: Registry = try! Registry(kinds: BuiltinPlugins.all)

    /// `tokenizer.json` files loaded, then used to encode and decode a short text and the file's own text.
    static let tokenizer = FuzzTarget(
        name: "tokenizer", summary: "tokenizer.json loading, then encoding and decoding",
        seedFolders: ["Tests/Fixtures/fuzz/tokenizer"], extensions: [".json"],
        dictionary: [
            "\"model\"", "\"type\"", "\"BPE\"", "\"WordPiece\"", "\"Unigram\"", "\"vocab\"", "\"merges\"", "\"pre_tokenizer\"",
            "\"ByteLevel\"", "\"Metaspace\"", "\"Split\"", "\"Sequence\"", "\"normalizer\"", "\"decoder\"", "\"added_tokens\"", "\"pattern\"",
            "\"Regex\"", "\"byte_fallback\"", "\"<0x0A>\"", "\"\\u0120\"", "1e999", "-1", "null", "[]", "{}", "\"", ",", ":",
        ],
        maxLength: 32768,
        run: { data in
            let tokenizer = try HFTokenizer(json: Array(data), file: "fuzz.tokenizer.json")
            let texts = ["Hello world, 1234 tokens!\n\t é 日本語 🎉", String(decoding: data.prefix(2048), as: UTF8.self)]
            for text in texts {
                let ids = tokenizer.encode(text)
                _ = tokenizer.count(text)
                _ = tokenizer.decode(ids)
            }
        })

    /// Chat templates (Jinja) parsed and rendered with a short chat, as Fathom renders a model's template.
    static let template = FuzzTarget(
        name: "template", summary: "chat templates (Jinja): parse, then render a chat",
        seedFolders: ["Tests/Fixtures/chat_templates", "Tests/Fixtures/chat", "Tests/Fixtures/fuzz/template"], extensions: [".jinja"],
        dictionary: [
            "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "for ", "endfor", "if ", "endif", "else", "elif ", "set ", "macro ",
            "endmacro", "call", "recursive", "loop(", "loop.index", "range(", "messages", "message['content']", "bos_token",
            "raise_exception(", "strftime_now(", "|tojson", "|join(", "|length", "|replace(", "*", "**", "~", "%", "99999999", "1e999",
            "(", ")", "[", "]", "'", "\"", "namespace(", "ns.x", ".split(", "[::-1]", "is defined", "not ", "and ", "or ",
        ],
        maxLength: 8192,
        run: { data in
            let template = try ChatTemplate(source: String(decoding: data, as: UTF8.self), name: "fuzz.jinja")
            _ = try template.renderChat(
                messages: [("system", "Be brief."), ("user", "What is 2+2?"), ("assistant", "4"), ("user", "And 3+3?")],
                addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>", now: Date(timeIntervalSince1970: 1_767_225_600))
        })

    /// Scores files as `fathom rank --scores` reads them (CSV and JSON lines).
    static let scores = FuzzTarget(
        name: "scores", summary: "scores files (CSV and JSONL) as fathom rank --scores loads them",
        seedFolders: ["Tests/Fixtures/fuzz/scores"], extensions: [".csv", ".jsonl"],
        dictionary: ["model,task,sample,score", ",higher_is_better", "\"", "\"\"", ",", "\r\n", "\n", "\r", "\u{FEFF}", "1e999", "NaN", "-0",
                     "{\"model\":", "\"score\":", "true", "null", "\u{301}"],
        maxLength: 8192,
        run: { data in
            let text = String(decoding: data, as: UTF8.self)
            if (try? MeasurementLoader.parseCSV(text, file: "fuzz.csv")) == nil { _ = try MeasurementLoader.parseJSONL(text, file: "fuzz.jsonl") }
        })

    /// Lines an exec plugin writes: JSON, the protocol's schema, then the message type Fathom decodes it into.
    static let exec = FuzzTarget(
        name: "exec", summary: "exec-plugin protocol lines: JSON, schema, then the typed message",
        seedFolders: ["Tests/Fixtures/fuzz/exec"], extensions: [".json"],
        dictionary: ["{\"type\":", "\"description\"", "\"sample\"", "\"score\"", "\"error\"", "\"oracle\"", "\"count_tokens\"",
                     "\"count_prompt\"", "\"messages\":", "\"reference\":", "\"structured\":", "\"answers\":", "\"value\":", "\"protocol\":1",
                     "1e999", "-1", "null", "[", "]", "{", "}", "\"\\ud800\"", ","],
        maxLength: 8192,
        run: { data in _ = try ExecProtocol.check(line: data) })
}
