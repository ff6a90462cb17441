import FathomCore
import FathomRank
import Foundation
import Testing
@testable import FathomBoard

@Suite("Leaderboard publish")
struct PublishTests {
    static let hostile = "<script>alert(1)</script>"

    /// Three models, one of them named hostilely, so every method can rank (no undefeated model).
    static func threeRuns(_ fx: RunFixture) throws -> [String] {
        [try fx.writeRun(model: "alpha", samples: RunFixture.samples(quality: 2)),
         try fx.writeRun(model: "beta", samples: RunFixture.samples(quality: 1)),
         try fx.writeRun(model: hostile, samples: RunFixture.samples(quality: 3).enumerated().map { i, s in
             var s = s; if i % 4 == 0 { s.score = 0 }; return s
         })]
    }

    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        for name in try fm.subpathsOfDirectory(atPath: dir).sorted() {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDir), !isDir.boolValue {
                out[name] = fm.contents(atPath: dir + "/" + name)
            }
        }
        return out
    }

    @Test("publishing twice, with runs in another order, gives byte-identical files")
    func determinism() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let runs = try Self.threeRuns(fx)
        let out1 = fx.root.appendingPathComponent("out1").path, out2 = fx.root.appendingPathComponent("out2").path
        let options = PublishOptions(bootstrap: 20, seed: 3)
        try Publisher.publish(runFolders: runs, out: out1, options: options)
        try Publisher.publish(runFolders: runs.reversed(), out: out2, options: options)
        let a = try files(out1), b = try files(out2)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.contains("leaderboard.json") && a.keys.contains("schema.json") && a.keys.contains("index.html"))
        #expect(a.keys.contains { $0.hasPrefix("svg/heatmap-") } && a.keys.contains { $0.hasPrefix("svg/curve-") })
        for key in a.keys { #expect(a[key] == b[key], "\(key) differs") }
        // Publishing again into the same folder leaves exactly the same files.
        try Publisher.publish(runFolders: runs, out: out1, options: options)
        #expect(try files(out1) == a)
        let json = String(decoding: a["leaderboard.json"]!, as: UTF8.self)
        #expect(!json.contains("\"generated_at\"") && json.hasSuffix("}\n"))
    }

    @Test("every ranking method appears per scope with uncertainty where supported")
    func rankingsPresent() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let board = try LeaderboardBuilder.build(try Self.threeRuns(fx).map { try RunResults.read(folder: $0) },
                                                 options: PublishOptions(bootstrap: 20))
        #expect(Set(board.rankings.map(\.scope)) == ["all", "suite:mini"])
        for scope in ["all", "suite:mini"] {
            #expect(board.rankings.filter { $0.scope == scope }.map(\.method) == RankMethod.allCases.map(\.rawValue))
        }
        let bt = try #require(board.rankings.first { $0.scope == "all" && $0.method == "bradley-terry" }?.result)
        #expect(bt.ranking.count == 3 && bt.ranking.allSatisfy { $0.ci95?.count == 2 })
        let meanEntry = try #require(board.rankings.first { $0.scope == "all" && $0.method == "mean" })
        let mean = try #require(meanEntry.result)
        #expect(mean.order.first == Self.hostile)
        // Methods without intervals of their own get bootstrap rank and score intervals; BT/PL/Elo do not need them.
        for method in ["mean", "borda", "copeland", "kemeny", "schulze", "ranked-pairs"] {
            let entry = try #require(board.rankings.first { $0.scope == "all" && $0.method == method })
            let boot = try #require(entry.bootstrap, "\(method)")
            #expect(boot.replicates + boot.failedReplicates == 20)
            #expect(Set(boot.rankCI95.keys) == Set(board.models.map(\.name)))
            #expect(boot.rankCI95.values.allSatisfy { $0.count == 2 && $0[0] >= 1 && $0[0] <= $0[1] && $0[1] <= 3 })
        }
        #expect(board.rankings.filter { ["bradley-terry", "plackett-luce", "elo"].contains($0.method) }.allSatisfy { $0.bootstrap == nil })
        let meanScore = try #require(meanEntry.bootstrap?.scoreCI95[Self.hostile])
        let point = try #require(mean.score(of: Self.hostile))
        #expect(meanScore[0] <= point && point <= meanScore[1] && meanScore[0] < meanScore[1])
        #expect(board.models.map(\.name) == [Self.hostile, "alpha", "beta"])
        #expect(board.results.count == 12)
        #expect(board.heatmaps.count == 3 && board.heatmaps.allSatisfy { $0.task == "t.grid" && $0.cells.count == 6 })
    }

    @Test("a suite named 'all' does not collide with the all-suites scope")
    func suiteNamedAll() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let runs = [try fx.writeRun(model: "a", suite: "all", samples: RunFixture.samples(quality: 2)),
                    try fx.writeRun(model: "b", suite: "all", samples: RunFixture.samples(quality: 1))]
        let board = try LeaderboardBuilder.build(runs.map { try RunResults.read(folder: $0) }, options: PublishOptions(bootstrap: 0))
        #expect(Set(board.rankings.map(\.scope)) == ["all", "suite:all"])
        let html = String(decoding: try #require(try Publisher.render(board).first { $0.path == "index.html" }).data, as: UTF8.self)
        #expect(html.contains("<option value=\"suite:all\">all</option>"))
    }

    @Test("an undefeated model makes Bradley-Terry fall back to per-component ranks, flagged, never a silent number")
    func notIdentifiableFallsBack() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let runs = [try fx.writeRun(model: "oracle", samples: RunFixture.samples(quality: 3)),
                    try fx.writeRun(model: "null", samples: RunFixture.samples(quality: 0))]
        let board = try LeaderboardBuilder.build(runs.map { try RunResults.read(folder: $0) }, options: PublishOptions(bootstrap: 10))
        let bt = try #require(board.rankings.first { $0.scope == "all" && $0.method == "bradley-terry" })
        #expect(bt.fallback == "per-component")
        #expect(bt.error?.contains("not exist") == true)
        #expect(bt.result?.diagnostics["comparableAcrossComponents"] == .bool(false))
        let borda = try #require(board.rankings.first { $0.scope == "all" && $0.method == "borda" }?.result)
        #expect(borda.order == ["oracle", "null"])
    }

    @Test("a hostile model name appears only escaped in HTML and SVG")
    func escaping() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let board = try LeaderboardBuilder.build(try Self.threeRuns(fx).map { try RunResults.read(folder: $0) },
                                                 options: PublishOptions(bootstrap: 0))
        let rendered = try Publisher.render(board)
        let html = String(decoding: try #require(rendered.first { $0.path == "index.html" }).data, as: UTF8.self)
        #expect(!html.contains(Self.hostile))
        #expect(!html.contains("alert(1)</"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // Only the page's own two script elements exist.
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        // The embedded JSON escapes '<' so the name cannot close the data block, and still decodes to the name.
        #expect(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"leaderboard-data\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let embedded = try JSONDecoder().decode(Leaderboard.self, from: Data(html[start.upperBound..<end.lowerBound].utf8))
        #expect(embedded == board)
        var svgCount = 0
        for file in rendered where file.path.hasPrefix("svg/") {
            svgCount += 1
            let svg = String(decoding: file.data, as: UTF8.self)
            #expect(!svg.contains("<script"), "\(file.path)")
            #expect(!file.path.contains("<") && !file.path.contains("/script"), "\(file.path)")
        }
        #expect(svgCount > 0)
        let heat = try #require(rendered.first { $0.path.hasPrefix("svg/heatmap-") && String(decoding: $0.data, as: UTF8.self).contains("&lt;script&gt;") })
        #expect(String(decoding: heat.data, as: UTF8.self).contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; · t.grid</title>"))
        #expect(Escape.html("a&b\"'<>") == "a&amp;b&quot;&#39;&lt;&gt;")
        #expect(Slug.make("ruler.niah_single_1") == "ruler.niah_single_1")
        // Only the page's own script may run: the CSP pins its SHA-256 and allows no network.
        let script = try #require(html.range(of: "<script>\n")).upperBound
        let scriptEnd = try #require(html.range(of: "</script>", range: script..<html.endIndex)).lowerBound
        var hasher = SHA256()
        hasher.update(("\n" + html[script..<scriptEnd]).utf8)
        let hash = Data(hasher.finalize()).base64EncodedString()
        #expect(html.contains("script-src 'sha256-\(hash)'; img-src data:\">"))
        #expect(html.contains("default-src 'none'") && !html.contains("unsafe-inline'; img") && !html.contains("script-src 'unsafe-inline'"))
        let slug = Slug.make(Self.hostile)
        #expect(slug.hasPrefix("_script_alert_1___script_-") && slug.count == "_script_alert_1___script_-".count + 8)
        #expect(Slug.make("A/B") != Slug.make("a_b") && Slug.make("..") != "..")
    }

    @Test("leaderboard.json validates against schema.json; violations are caught")
    func schemaValidation() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let board = try LeaderboardBuilder.build(try Self.threeRuns(fx).map { try RunResults.read(folder: $0) },
                                                 options: PublishOptions(bootstrap: 10))
        let validator = try JSONSchemaValidator(schemaJSON: Data(LeaderboardSchema.json.utf8))
        #expect(try validator.validate(json: try board.jsonData()) == [])

        var broken = try #require(try JSONSerialization.jsonObject(with: try board.jsonData()) as? [String: Any])
        broken.removeValue(forKey: "rankings")
        var results = try #require(broken["results"] as? [[String: Any]])
        results[0]["score"] = 1.5
        results[1]["n_ok"] = "three"
        broken["results"] = results
        broken["extra"] = true
        let errors = try validator.validate(json: try JSONSerialization.data(withJSONObject: broken))
        #expect(errors.contains("$: missing required property 'rankings'"))
        #expect(errors.contains { $0.hasPrefix("$.results[0].score: 1.5 > maximum") })
        #expect(errors.contains("$.results[1].n_ok: expected integer"))
        #expect(errors.contains("$: property 'extra' is not allowed"))

        let unsupported = try JSONSchemaValidator(schemaJSON: Data(#"{"type": "object", "patternProperties": {}}"#.utf8))
        #expect(try unsupported.validate(json: Data("{}".utf8)) == ["$: schema keyword 'patternProperties' is not supported by this validator"])
    }
}

@Suite("Rank command")
struct RankCommandTests {
    @Test("--json prints exactly {method, ranking: [{model, rank, score, ci95?}], diagnostics}")
    func jsonShape() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let runs = try PublishTests.threeRuns(fx)
        for method in [RankMethod.bradleyTerry, .borda, .kemeny, .elo] {
            let options = RankOptions(bootstrap: method == .bradleyTerry ? 20 : 0, seed: 1)
            let result = try RankRunner.rank(.runs(runs), method: method, options: options)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(try RankRunner.json(result).utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["method", "ranking", "diagnostics"])
            #expect(object["method"] as? String == method.rawValue)
            #expect(object["diagnostics"] is [String: Any])
            let rows = try #require(object["ranking"] as? [[String: Any]])
            #expect(rows.count == 3)
            for row in rows {
                let keys = Set(row.keys)
                #expect(keys == ["model", "rank", "score"] || keys == ["model", "rank", "score", "ci95"])
                #expect((row["rank"] as? Int).map { $0 >= 1 } == true)
            }
            if method == .bradleyTerry { #expect(rows.allSatisfy { ($0["ci95"] as? [Double])?.count == 2 }) }
            #expect(RankRunner.table(result).contains("method: \(method.rawValue)"))
        }
    }

    @Test("--scores reads a CSV; run folders and a CSV of the same measurements rank alike")
    func scoresFile() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let runs = try PublishTests.threeRuns(fx)
        let measurements = try RankRunner.measurements(.runs(runs))
        var csv = "model,task,sample,score\n"
        for m in measurements { csv += "\"\(m.model)\",\(m.task),\(m.sample),\(m.score)\n" }
        let file = fx.root.appendingPathComponent("scores.csv")
        try Data(csv.utf8).write(to: file)
        let a = try RankRunner.rank(.runs(runs), method: .copeland, options: RankOptions())
        let b = try RankRunner.rank(.scores(file.path), method: .copeland, options: RankOptions())
        #expect(a == b)
        #expect(throws: BoardError.self) { try RankRunner.rank(.scores("/nonexistent.csv"), method: .mean, options: RankOptions()) }
    }
}
