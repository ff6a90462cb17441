import FathomCore
import FathomMetrics
import Foundation

/// `fathom bench rouge`: ROUGE-L and ROUGE-Lsum (rouge-score semantics, stemmed) over a JSONL file of
/// `{"prediction": ..., "reference": ...}` pairs. The peer is `scripts/metrics/bench_rouge.py FILE` (Google's
/// rouge-score on the same file); both print the same keys, mean scores included, so runs can be checked for agreement.
public enum RougeBenchmark {
    public struct Pair: Decodable, Sendable {
        public let prediction: String
        public let reference: String
    }

    public struct Figure: Codable, Sendable {
        public var implementation: String
        public var input: String
        public var pairs: Int
        public var repeats: Int
        public var warmup: Int
        public var secondsBest: Double
        public var secondsMedian: Double
        public var pairsPerSecond: Double
        public var meanRougeLF1: Double
        public var meanRougeLsumF1: Double
        enum CodingKeys: String, CodingKey {
            case implementation, input, pairs, repeats, warmup, secondsBest = "seconds_best", secondsMedian = "seconds_median"
            case pairsPerSecond = "pairs_per_second", meanRougeLF1 = "mean_rougeL_f1", meanRougeLsumF1 = "mean_rougeLsum_f1"
        }
    }

    /// Reads the pairs; a bad line is an error naming the file and line.
    public static func load(_ path: String, limit: Int?) throws -> [Pair] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FathomError(.io, "cannot read the file", file: path) }
        let bytes = [UInt8](data)
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
                throw FathomError(.parse, "not a {prediction, reference} object (\(error))", file: path, line: lineNumber)
            }
        }
        return pairs
    }

    /// Times `repeats` passes over `pairs` after `warmup` untimed ones; `separate` scores the two metrics with two
    /// calls (tokenising twice) instead of one.
    public static func run(pairs: [Pair], input: String, repeats: Int, warmup: Int, separate: Bool) -> Figure {
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
        var sums = (l: 0.0, ls: 0.0)
        for _ in 0..<warmup { sums = pass() }
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, repeats) {
            times.append(Clock.seconds(clock.measure { sums = pass() }))
        }
        times.sort()
        let n = Double(max(1, pairs.count))
        return Figure(
            implementation: separate ? "swift FathomMetrics.rougeL + rougeLsum" : "swift FathomMetrics.rougeLAndLsum", input: input,
            pairs: pairs.count, repeats: repeats, warmup: warmup, secondsBest: times[0], secondsMedian: times[times.count / 2],
            pairsPerSecond: n / times[0], meanRougeLF1: sums.l / n, meanRougeLsumF1: sums.ls / n)
    }
}
