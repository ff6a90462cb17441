import FathomCore

extension TaskPlugin {
    /// The default scorer: the task's metrics over the answer text against `reference.answers` (the first metric is
    /// the headline). Plugins with structured references or their own parsers write their own `score`.
    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        MetricCatalog.score(descriptor.metrics, prediction: response.text, references: sample.reference.answers)
    }
}
