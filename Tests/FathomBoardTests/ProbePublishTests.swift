import FathomCore
import FathomRank
import Foundation
import Testing
@testable import FathomBoard

/// `fathom publish --probe NAME=EXPR`: named probe rankings in leaderboard.json (valid against schema.json) and a view
/// in index.html; nothing changes without probes.
@Suite("Leaderboard probes")
struct ProbePublishTests {
    /// `grid-ace` solves every t.grid sample and half of t.a; `a-ace` the reverse, and a bit more of t.a.
    static func runs(_ fx: RunFixture) throws -> [String] {
        func samples(grid: Int, a: Int) -> [RunFixture.S] {
            RunFixture.samples(quality: 0).map { s in
                var s = s
                s.score = s.index + s.length / 4096 < (s.task == "t.grid" ? grid : a) + 1 ? 1 : 0
                return s
            }
        }
        return [try fx.writeRun(model: "grid-ace", samples: samples(grid: 4, a: 1)),
                try fx.writeRun(model: "a-ace", samples: samples(grid: 1, a: 4)),
                try fx.writeRun(model: "mid", samples: samples(grid: 2, a: 2))]
    }

    @Test("a named probe ranks the models on its slice by every method, in the JSON and in the page")
    func probesPublished() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let folders = try Self.runs(fx)
        let out = fx.root.appendingPathComponent("out").path
        let options = PublishOptions(bootstrap: 5, probes: [try PublishOptions.probe(parsing: "grid only=task = t.grid and length >= 4k")])
        try Publisher.publish(runFolders: folders, out: out, options: options)
        let data = try #require(FileManager.default.contents(atPath: out + "/leaderboard.json"))
        let board = try JSONDecoder().decode(Leaderboard.self, from: data)
        #expect(try JSONSchemaValidator(schemaJSON: Data(LeaderboardSchema.json.utf8)).validate(json: data) == [])
        let probe = try #require(board.probes?.first)
        #expect(probe.name == "grid only" && probe.filter == "task = t.grid and length >= 4k" && probe.selectedSamples == 6)
        #expect(probe.results.map(\.method) == RankMethod.allCases.map(\.rawValue))
        let mean = try #require(probe.results.first { $0.method == "mean" }?.result)
        #expect(mean.ranking.order.first == "grid-ace" && mean.samplesPerModel == ["a-ace": 6, "grid-ace": 6, "mid": 6])
        let globalMean = try #require(board.rankings.first { $0.scope == "all" && $0.method == "mean" }?.result)
        #expect(globalMean.order.first != "grid-ace" && mean.kendallTauB.map { $0 < 1 } == true)
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.contains("<h2 id=\"probes\">Capability probes</h2>") && html.contains("data-probe=\"grid only\""))
        #expect(html.contains("<tr class=\"probe-tau\">"))

        // Without probes, neither the JSON nor the page mentions them.
        let plain = fx.root.appendingPathComponent("plain").path
        try Publisher.publish(runFolders: folders, out: plain, options: PublishOptions(bootstrap: 5))
        #expect(!(try String(contentsOfFile: plain + "/leaderboard.json", encoding: .utf8)).contains("\"probes\""))
        #expect(!(try String(contentsOfFile: plain + "/index.html", encoding: .utf8)).contains("Capability probes"))
    }

    @Test("an unknown field, an empty slice, a nameless or duplicate probe are errors naming the probe")
    func probeErrors() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let runs = try Self.runs(fx).map { try RunResults.read(folder: $0) }
        func error(_ probes: [String]) throws -> String {
            do {
                _ = try LeaderboardBuilder.build(runs, options: PublishOptions(bootstrap: 0, probes: try probes.map { try PublishOptions.probe(parsing: $0) }))
                return ""
            } catch { return "\(error)" }
        }
        #expect(try error(["x=qtype=join"]) == "probe 'x': unknown probe field 'qtype' (expected one of: depth, diffusion, family, length, scope, task)")
        #expect(try error(["x=task = nothing"]).contains("selects no sample"))
        #expect(try error(["x=length>1k", "x=length>2k"]).contains("two probes share this name"))
        #expect(throws: BoardError.self) { try PublishOptions.probe(parsing: "=task=t.a") }
        #expect(throws: BoardError.self) { try PublishOptions.probe(parsing: "no-expression") }
    }
}
