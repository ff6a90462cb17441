import Foundation
import Testing

@testable import FathomText

/// Locates `Tests/Fixtures/tokenizers` by walking up from this source file, so fixtures are read from disk in
/// the development package and in the main package alike.
enum TokenizerFixtures {
    static let directory: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("Tests/Fixtures/tokenizers")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("Tests/Fixtures/tokenizers not found above \(#filePath)")
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }

    /// The golden texts (shared by every golden file).
    static let texts: [String] = {
        (try? JSONDecoder().decode([String].self, from: data("texts.json"))) ?? []
    }()

    struct HFGolden: Decodable {
        let tokenizer: String
        let bos: Int?
        let ids: [[Int]]
    }

    struct TiktokenGolden: Decodable {
        let tokenizer: String
        let pattern: String
        let special_tokens: [String: Int]
        let ids: [[Int]]
        let ids_no_special: [[Int]]
    }

    static func hfGolden(_ name: String) throws -> HFGolden {
        try JSONDecoder().decode(HFGolden.self, from: data("\(name).golden.json"))
    }

    static func tiktokenGolden(_ pattern: String) throws -> TiktokenGolden {
        try JSONDecoder().decode(TiktokenGolden.self, from: data("tiktoken-\(pattern).golden.json"))
    }

    /// Compares encodings of every golden text; records at most a few mismatches with their text.
    static func expectGolden(_ label: String, _ expected: [[Int]], encode: (String) -> [Int],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(expected.count == texts.count, "\(label): golden count", sourceLocation: sourceLocation)
        var mismatches = 0
        for (i, text) in texts.enumerated() where i < expected.count {
            let got = encode(text)
            if got != expected[i] {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(label) #\(i) \(String(reflecting: text.prefix(120))): got \(got.prefix(40)) want \(expected[i].prefix(40))",
                                 sourceLocation: sourceLocation)
                }
            }
        }
        #expect(mismatches == 0, "\(label): \(mismatches) of \(texts.count) texts differ", sourceLocation: sourceLocation)
    }
}
