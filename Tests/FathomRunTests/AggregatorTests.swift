import FathomRun
import Testing

@Suite struct AggregatorTests {
    /// RULER's README row for Llama-3.1-70B (4K…128K): Avg 89.6, wAvg(inc) 85.5, wAvg(dec) 93.7.
    @Test func weightedMeansMatchRulersPublishedRow() throws {
        let scores: [Double] = [96.5, 95.8, 95.4, 94.8, 88.4, 66.6]
        let (increasing, decreasing) = try #require(Aggregator.weightedMeans(scores))
        let average: Double = scores.reduce(0, +) / 6
        #expect((average * 10).rounded() / 10 == 89.6)
        #expect((increasing * 10).rounded() / 10 == 85.5)
        #expect((decreasing * 10).rounded() / 10 == 93.7)
        #expect(Aggregator.weightedMeans([]) == nil)
    }
}
