import ArgumentParser
import FathomMetrics
import Foundation

/// `fathom bench rouge FILE`: times ROUGE-L and ROUGE-Lsum (rouge-score semantics, stemmed) over
/// a JSONL file of `{"prediction": ..., "reference": ...}` objects and prints one JSON object.
/// The peer is `scripts/metrics/bench_rouge.py FILE` (Google's rouge-score on the same file);
/// both print the same keys, including mean scores so the two runs can be checked for agreement.
struct BenchRouge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rouge",
        abstract: "Time ROUGE-L/ROUGE-Lsum over a JSONL file of {prediction, reference} pairs.")

    @Argument(help: "JSONL file, one {\"prediction\": ..., \"reference\": ...} object per line.")
    var input: String

    @Option(help: "Timed passes over all pairs; best and median are reported.")
    var repeats: Int = 3

    @Option(help: "Untimed warm-up passes.")
    var warmup: Int = 1

    @Option(help: "Use only the first N pairs.")
    var limit: Int?

    @Flag(help: "Call rougeL and rougeLsum separately (tokenising twice) instead of rougeLAndLsum.")
    var separate = false

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
    }

    mutating func run() throws {
        let pairs = try Self.load(input, limit: limit)
        guard !pairs.isEmpty else { throw ValidationError("no pairs in \(input)") }

        var sums = (l: 0.0, ls: 0.0)
        let separate = self.separate
        func pass() -> (l: Double, ls: Double) {
            var l = 0.0, ls = 0.0
            for p in pairs {
                if separate {
                    l += rougeL(prediction: p.prediction, reference: p.reference).f1
                    ls += rougeLsum(prediction: p.prediction, reference: p.reference).f1
                } else {
                    let s = rougeLAndLsum(prediction: p.prediction, reference: p.reference)
                    l += s.rougeL.f1
                    ls += s.rougeLsum.f1
                }
            }
            return (l, ls)
        }
        for _ in 0..<warmup { sums = pass() }
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            let start = clock.now
            sums = pass()
            let d = clock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        times.sort()
        let best = times[0]
        let median = times[times.count / 2]
        let n = Double(pairs.count)
        let result: [String: Any] = [
            "implementation": separate ? "swift FathomMetrics.rougeL + rougeLsum" : "swift FathomMetrics.rougeLAndLsum",
            "input": input,
            "pairs": pairs.count,
            "repeats": repeats,
            "warmup": warmup,
            "seconds_best": best,
            "seconds_median": median,
            "pairs_per_second": n / best,
            "mean_rougeL_f1": sums.l / n,
            "mean_rougeLsum_f1": sums.ls / n,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    struct Pair: Decodable {
        let prediction: String
        let reference: String
    }

    static func load(_ path: String, limit: Int?) throws -> [Pair] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let decoder = JSONDecoder()
        var pairs: [Pair] = []
        var lineNumber = 0
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
            defer { start = i + 1 }
            lineNumber += 1
            if i == start { continue }
            if let limit, pairs.count >= limit { break }
            do {
                pairs.append(try decoder.decode(Pair.self, from: Data(bytes[start..<i])))
            } catch {
                throw ValidationError("\(path):\(lineNumber): not a {prediction, reference} object (\(error))")
            }
        }
        return pairs
    }
}
