import ArgumentParser
import FathomCore
import FathomText
import Foundation

/// `fathom bench tokenize`: single-threaded encode throughput of one tokenizer on one file (best of N runs), and
/// the time to load the tokenizer (best of N loads).
struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Measure tokenizer encode throughput (single thread, best of N).")

    @Option(help: "Tokenizer spec: path to tokenizer.json, a .gguf model, or path.tiktoken[:cl100k|:o200k].")
    var tokenizer: String

    @Option(help: "UTF-8 text file to encode as one document.")
    var input: String

    @Option(name: .customLong("repeat"), help: "Number of timed runs; the best is reported.")
    var repeatCount: Int = 5

    @Option(help: "Write the token ids (JSON array) to this file, e.g. to compare with peers.")
    var idsOut: String?

    func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        var tok: any Tokenizer = ApproxTokenizer()
        var bestLoad = Double.infinity
        for _ in 0..<repeatCount {
            var loaded: (any Tokenizer)?
            let elapsed = try clock.measure { loaded = try TokenizerLoader.load(tokenizer) }
            bestLoad = min(bestLoad, seconds(elapsed))
            tok = loaded!
        }
        guard let data = FileManager.default.contents(atPath: input) else {
            throw ValidationError("cannot read \(input)")
        }
        let text = String(decoding: data, as: UTF8.self)
        var best = Double.infinity
        var ids: [Int] = []
        for _ in 0..<repeatCount {
            var out: [Int] = []
            let elapsed = clock.measure { out = tok.encode(text) }
            best = min(best, seconds(elapsed))
            ids = out
        }
        if let idsOut {
            let json = "[" + ids.map(String.init).joined(separator: ",") + "]\n"
            try Data(json.utf8).write(to: URL(fileURLWithPath: idsOut))
        }
        let bytes = data.count
        let result: [(String, String)] = [
            ("tokenizer", "\"\(tok.name)\""),
            ("bytes", String(bytes)),
            ("tokens", String(ids.count)),
            ("best_seconds", String(format: "%.6f", best)),
            ("mb_per_s", String(format: "%.3f", Double(bytes) / best / 1e6)),
            ("load_seconds", String(format: "%.4f", bestLoad)),
        ]
        print("{" + result.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }
}
