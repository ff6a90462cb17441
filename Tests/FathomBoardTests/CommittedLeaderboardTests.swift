import FathomCore
import Foundation
import Testing
@testable import FathomBoard

@Suite("Committed leaderboard")
struct CommittedLeaderboardTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("leaderboard")

    @Test("leaderboard/ validates against its schema and every file is what publish renders from leaderboard.json")
    func committedFilesAreConsistent() throws {
        let json = try Data(contentsOf: Self.folder.appendingPathComponent("leaderboard.json"))
        let schema = try Data(contentsOf: Self.folder.appendingPathComponent("schema.json"))
        #expect(try JSONSchemaValidator(schemaJSON: schema).validate(json: json) == [])
        let board = try JSONDecoder().decode(Leaderboard.self, from: json)
        // The reference systems and the two real models of reference-runs/ (SmolLM2 and Gemma 3 on llama-server).
        #expect(Set(board.models.map(\.name)) == ["null", "oracle", "retrieval", "SmolLM2-135M-Instruct", "gemma-3-270m"])
        #expect(Set(board.suites.map(\.name)) == ["quick", "ruler-niah", "holo"])
        #expect(board.runs.count == 3 * 3 + 2 * 2 && board.runs.allSatisfy { !$0.partial })
        // Two capability probes (scripts/publish_reference_leaderboard.sh), each ranked by every method.
        #expect(board.probes?.map(\.name) == ["several needles", "4K only"])
        #expect(board.probes?.allSatisfy { $0.results.count == 9 && $0.results.allSatisfy { $0.result != nil } } == true)
        let rendered = try Publisher.render(board)
        for file in rendered {
            let committed = try Data(contentsOf: Self.folder.appendingPathComponent(file.path))
            #expect(committed == file.data, "\(file.path) differs from what publish renders")
        }
        let svgs = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent("svg").path)
        #expect(Set(svgs) == Set(rendered.filter { $0.path.hasPrefix("svg/") }.map { String($0.path.dropFirst(4)) }))
    }
}
