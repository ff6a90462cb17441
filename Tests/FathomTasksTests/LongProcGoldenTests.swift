@testable import FathomTasks
import FathomCore
import FathomTestSupport
import Foundation
import Testing

/// The two search procedures are ports: their text must be byte for byte what LongProc's Python writes
/// (Tests/Fixtures/longproc/README.md says how the vectors were made).
@Suite struct LongProcGoldenTests {
    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: RepoPaths.fixtures + "/longproc/" + name)))
    }

    struct CountdownVector: Decodable {
        var numbers: [Int]
        var target: Int
        var solution: [String]
        var demonstration: String
    }

    @Test func countdownProcedureIsLongProcs() throws {
        let vectors = try Self.load("countdown.json", as: [CountdownVector].self)
        #expect(vectors.count == 30)
        for v in vectors {
            let problem = try #require(CountdownSearch.problem(v.numbers, target: v.target), "\(v.numbers) → \(v.target)")
            #expect(problem.solution == v.solution, "\(v.numbers) → \(v.target)")
            // LongProc's demonstration ends with a newline after </Solution>; the oracle answer does not.
            #expect(problem.demonstration + "\n" == v.demonstration, "\(v.numbers) → \(v.target)")
            // Byte sizes measured without writing agree with the written walk (the generator relies on it).
            let written = CountdownSearch.walk(v.numbers, target: 99).leaves.map(\.bytes)
            let measured = CountdownSearch.measure(v.numbers, byteLimit: .max).map(\.bytes)
            #expect(written.count == measured.count)
            if let w = written.last, let m = measured.last { #expect(abs(w - m) * 50 < w, "\(w) vs \(m)") }
        }
    }

    struct TravelVector: Decodable {
        struct Constraint: Decodable {
            var type: String
            var city: String
            var num_days: Int?
            var start_day: Int?
        }
        var constraints: [Constraint]
        var connected_cities: [[String]]
        var procedure: String
    }

    static func problem(_ v: TravelVector) -> TravelProblem {
        let starts = Dictionary(v.constraints.filter { $0.type == "fixed" }.map { ($0.city, $0.start_day!) }, uniquingKeysWith: { a, _ in a })
        let stays = v.constraints.filter { $0.type == "duration" }.map { TravelProblem.Stay(city: $0.city, days: $0.num_days!, fixedStart: starts[$0.city]) }
        return TravelProblem(stays: stays, flights: v.connected_cities)
    }

    @Test func travelProcedureIsLongProcs() throws {
        let vectors = try Self.load("travel.json", as: [TravelVector].self)
        #expect(vectors.count == 24)
        for v in vectors {
            let problem = Self.problem(v)
            let (lines, plan) = problem.procedure()
            let found = try #require(plan)
            #expect(TravelProblem.answer(procedure: lines, plan: found) == v.procedure)
            #expect(problem.procedureLineCount() == lines.count, "the line count without writing must match")
            // Whenever the search finds a plan, the exhaustive count finds at least that one.
            #expect(problem.countPlans() >= 1)
        }
    }
}
