import FathomCore

/// Rule-based metrics by manifest name, each mapping (prediction, references) to 0...1.
public enum MetricCatalog {
    public typealias Metric = @Sendable (_ prediction: String, _ references: [String]) -> Double

    public static let metrics: [String: Metric] = [
        "string_match_all": { StringMatch.all(prediction: $0, references: $1) },
        "string_match_part": { StringMatch.part(prediction: $0, references: $1) },
        // HELMET / SQuAD metrics, each the maximum over the references.
        "subem": { substringExactMatch(prediction: $0, golds: $1) ? 1 : 0 },
        "exact_match": { exactMatch(prediction: $0, golds: $1) ? 1 : 0 },
        "f1": { tokenF1(prediction: $0, golds: $1) },
    ]

    /// Scores `prediction` with each named metric; the first name is the headline value.
    public static func score(_ names: [String], prediction: String, references: [String]) -> Score {
        var values: [String: Double] = [:]
        for name in names {
            guard let metric = metrics[name] else { preconditionFailure("metric \(name) is not in the catalog") }
            values[name] = metric(prediction, references)
        }
        return Score(value: values[names[0]] ?? 0, metrics: values)
    }
}
