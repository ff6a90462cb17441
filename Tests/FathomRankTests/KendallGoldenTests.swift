import Foundation
import Testing
@testable import FathomRank

/// Kendall τ-b against scipy.stats.kendalltau on random tied data (fixture kendall.json).
@Suite struct KendallGoldenTests {
    @Test func matchesScipy() throws {
        let root = try Fixtures.json("kendall.json") as! [String: Any]
        let cases = root["cases"] as! [[String: Any]]
        #expect(cases.count >= 300)
        for (i, c) in cases.enumerated() {
            let x = (c["x"] as! [Any]).doubles, y = (c["y"] as! [Any]).doubles
            let expected = (c["tau_b"] as? NSNumber)?.doubleValue
            let tau = Kendall.tauB(x, y)
            if let e = expected {
                #expect(tau != nil && abs(tau! - e) <= 1e-12, "case \(i): \(String(describing: tau)) vs \(e)")
            } else {
                #expect(tau == nil, "case \(i): expected undefined")
            }
        }
    }

    @Test func distanceCountsDiscordantPairs() {
        #expect(Kendall.distance([1, 2, 3], [3, 2, 1]) == 3)
        #expect(Kendall.distance([1, 2, 3], [1, 2, 3]) == 0)
        #expect(Kendall.tauB([1], [1]) == nil)
    }
}
