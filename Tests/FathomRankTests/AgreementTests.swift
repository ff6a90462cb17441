import Testing
@testable import FathomRank

/// BenchBench-style agreement between tasks, with an aggregate, and between suites.
@Suite struct AgreementTests {
    static func rows() -> [Measurement] {
        var rows: [Measurement] = []
        let models = ["a", "b", "c", "d", "e", "f"]
        for (i, m) in models.enumerated() {
            rows.append(.init(model: m, task: "same", sample: "1", score: Double(i)))
            rows.append(.init(model: m, task: "same2", sample: "1", score: Double(i * 2)))
            rows.append(.init(model: m, task: "reversed", sample: "1", score: Double(-i)))
        }
        return rows
    }

    @Test func taskPairs() throws {
        let table = try MeasurementTable(Self.rows())
        let pairs = Agreement.taskPairs(table, minModels: 5)
        #expect(pairs.count == 3)
        for p in pairs {
            if p.taskA == "same" && p.taskB == "same2" { #expect(abs(p.tau! - 1) < 1e-12) }
            if p.taskA == "reversed" { #expect(abs(p.tau! + 1) < 1e-12) }
        }
        #expect(Agreement.taskPairs(table, minModels: 7).isEmpty)
    }

    @Test func withAggregateAndSuites() throws {
        let rows = Self.rows()
        let table = try MeasurementTable(rows)
        let aggregate = try rank(rows, method: .borda)
        let agreement = Agreement.withAggregate(table, reference: aggregate)
        #expect(abs(agreement.first { $0.task == "same" }!.tau! - 1) < 1e-12)
        #expect(abs(agreement.first { $0.task == "reversed" }!.tau! + 1) < 1e-12)
        let other = try rank(rows.filter { $0.task == "reversed" }, method: .mean)
        let (models, tau) = Agreement.between(aggregate, other)
        #expect(models == 6 && abs(tau! + 1) < 1e-12)
    }
}
