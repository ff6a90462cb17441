import Foundation
import Testing

@testable import FathomText

/// Unsupported components are load errors naming the component and the file; nothing falls back silently.
@Suite struct TokenizerErrorTests {
    static let model = #"{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":false,"ignore_merges":false,"vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}"#

    static func json(model: String = model, normalizer: String = "null", pre: String = "null", post: String = "null",
                     added: String = "[]") -> String {
        #"{"version":"1.0","truncation":null,"padding":null,"added_tokens":\#(added),"normalizer":\#(normalizer),"pre_tokenizer":\#(pre),"post_processor":\#(post),"decoder":null,"model":\#(model)}"#
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let json: String
        let component: String
        let mentions: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "WordPiece model", json: json(model: #"{"type":"WordPiece","unk_token":"[UNK]","vocab":{"a":0}}"#),
             component: "model", mentions: "WordPiece"),
        Case(label: "Unigram model", json: json(model: #"{"type":"Unigram","unk_id":0,"vocab":[["a",0.0]]}"#),
             component: "model", mentions: "Unigram"),
        Case(label: "BPE dropout", json: json(model: model.replacingOccurrences(of: #""dropout":null"#, with: #""dropout":0.1"#)),
             component: "model", mentions: "dropout"),
        Case(label: "continuing_subword_prefix",
             json: json(model: model.replacingOccurrences(of: #""continuing_subword_prefix":null"#, with: #""continuing_subword_prefix":"@@""#)),
             component: "model", mentions: "continuing_subword_prefix"),
        Case(label: "merge out of vocab", json: json(model: model.replacingOccurrences(of: #"["a b"]"#, with: #"["a c"]"#)),
             component: "model", mentions: "a c"),
        Case(label: "Whitespace pre-tokenizer", json: json(pre: #"{"type":"Whitespace"}"#),
             component: "pre_tokenizer", mentions: "Whitespace"),
        Case(label: "BertPreTokenizer in a Sequence",
             json: json(pre: #"{"type":"Sequence","pretokenizers":[{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false},{"type":"BertPreTokenizer"}]}"#),
             component: "pre_tokenizer", mentions: "BertPreTokenizer"),
        Case(label: "unknown Split regex",
             json: json(pre: #"{"type":"Split","pattern":{"Regex":"\\w+|\\s+"},"behavior":"Isolated","invert":false}"#),
             component: "pre_tokenizer", mentions: #"\w+|\s+"#),
        Case(label: "Split on a string",
             json: json(pre: #"{"type":"Split","pattern":{"String":" "},"behavior":"Isolated","invert":false}"#),
             component: "pre_tokenizer", mentions: "non-regex"),
        Case(label: "Split behavior Removed",
             json: json(pre: #"{"type":"Split","pattern":{"Regex":"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"},"behavior":"Removed","invert":false}"#),
             component: "pre_tokenizer", mentions: "Removed"),
        Case(label: "Lowercase normalizer", json: json(normalizer: #"{"type":"Lowercase"}"#),
             component: "normalizer", mentions: "Lowercase"),
        Case(label: "NFKC in a Sequence", json: json(normalizer: #"{"type":"Sequence","normalizers":[{"type":"NFKC"}]}"#),
             component: "normalizer", mentions: "NFKC"),
        Case(label: "Replace with a regex",
             json: json(normalizer: #"{"type":"Replace","pattern":{"Regex":" +"},"content":" "}"#),
             component: "normalizer", mentions: "regex"),
        Case(label: "two prefix tokens",
             json: json(post: #"{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"a","type_id":0}},{"SpecialToken":{"id":"b","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"pair":[],"special_tokens":{"a":{"id":"a","ids":[0],"tokens":["a"]},"b":{"id":"b","ids":[1],"tokens":["b"]}}}"#),
             component: "post_processor", mentions: "2 prefix tokens"),
        Case(label: "unknown post-processor", json: json(post: #"{"type":"Fancy"}"#),
             component: "post_processor", mentions: "Fancy"),
        Case(label: "malformed JSON", json: #"{"model": {"type": "BPE""#, component: "json", mentions: "invalid JSON"),
    ]

    @Test(arguments: cases)
    func unsupportedComponentIsNamed(_ c: Case) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.tokenizer.json")
        try Data(c.json.utf8).write(to: file)
        do {
            _ = try TokenizerLoader.load(file.path)
            Issue.record("\(c.label): loaded without error")
        } catch let error as TokenizerLoadError {
            #expect(error.component == c.component)
            #expect(error.description.contains(file.path), "\(error)")
            #expect(error.description.contains(c.mentions), "\(error)")
        }
    }

    @Test func minimalSupportedFileLoads() throws {
        let tok = try HFTokenizer(json: Array(Self.json().utf8), file: "minimal.json")
        #expect(tok.encode("abba") == [2, 1, 0])
        #expect(tok.bosTokenID == nil)
    }

    @Test func unknownSpecsAndFilesThrow() throws {
        #expect(throws: TokenizerLoadError.self) { try TokenizerLoader.load("approx-ish") }
        #expect(throws: TokenizerLoadError.self) { try TokenizerLoader.load("/nonexistent/tokenizer.json") }
        #expect(throws: TokenizerLoadError.self) { try TokenizerLoader.load("/nonexistent/x.tiktoken") }
        do {
            _ = try TokenizerLoader.load(TokenizerFixtures.path("llama3.tiktoken") + ":p50k")
            Issue.record("unknown tiktoken pattern accepted")
        } catch let error as TokenizerLoadError {
            #expect(error.description.contains("p50k"))
            #expect(error.description.contains("llama3.tiktoken"))
        }
    }

    @Test func badRankFileThrows() throws {
        #expect(throws: TokenizerLoadError.self) {
            try TiktokenTokenizer(ranks: Array("YQ== 0\nnot base64!! 1\n".utf8), file: "bad.tiktoken")
        }
        // Missing single bytes cannot encode arbitrary text.
        #expect(throws: TokenizerLoadError.self) {
            try TiktokenTokenizer(ranks: Array("YQ== 0\nYg== 1\n".utf8), file: "small.tiktoken")
        }
    }
}
