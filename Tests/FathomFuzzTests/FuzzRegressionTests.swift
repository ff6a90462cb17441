import FathomCore
import FathomFuzz
import FathomTestSupport
import Foundation
import Testing

/// Every input the fuzz harness found to crash or hang Fathom (Tests/Fixtures/fuzz/regressions/TARGET/) and every
/// seed runs through its target without a crash, and the bad ones are refused with a clear error; every scorer
/// takes the hostile outputs (short versions; CI's fuzz step gives them a megabyte).
@Suite struct FuzzRegressionTests {
    func files(_ folder: String) -> [String] {
        let base = RepoPaths.root + "/Tests/Fixtures/fuzz/regressions/" + folder
        return ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted().map { base + "/" + $0 }
    }

    /// The found inputs run to the end (a crash would end the test process, a hang would never finish); those that
    /// must be refused are, with an error that says why.
    @Test func foundInputsRunToAClearOutcome() throws {
        var outcomes: [String: String] = [:]
        for target in FuzzTargets.all {
            for file in files(target.name) {
                let data = try #require(FileManager.default.contents(atPath: file))
                do {
                    try target.run(data)
                    outcomes[(file as NSString).lastPathComponent] = "accepted"
                } catch {
                    outcomes[(file as NSString).lastPathComponent] = "\(error)"
                }
            }
        }
        #expect(outcomes.count >= 4)
        #expect(outcomes["added-token-id-beyond-int32.json"]?.contains("added_tokens: bad entry") == true)
        #expect(outcomes["string-times-1e10.jinja"]?.contains("MemoryError") == true)
        #expect(outcomes["center-1e10.jinja"]?.contains("MemoryError") == true)
        // The indent is folded at parse time inside a loop that never runs: the fold gives up, the render succeeds.
        #expect(outcomes["tojson-indent-4294967296.jinja"] == "accepted")
    }

    @Test func seedsRunAndMostAreAccepted() throws {
        for target in FuzzTargets.all where target.name != "scorers" {
            let seeds = target.seeds(root: RepoPaths.root)
            #expect(!seeds.isEmpty, "\(target.name)")
            var accepted = 0
            for seed in seeds where (try? target.run(seed)) != nil { accepted += 1 }
            // Seeds are valid inputs (the exec and scores seeds all are; the manifest seeds are the built-in tasks).
            #expect(accepted * 10 >= seeds.count * 9, "\(target.name): \(accepted) of \(seeds.count)")
        }
    }

    @Test func everyScorerTakesHostileOutputs() {
        let cases = ScorerFuzzing.cases
        #expect(cases.count >= 30)
        for index in cases.indices {
            for (_, text) in HostileOutputs.all(size: 512, oracle: cases[index].oracle) {
                ScorerFuzzing.score(caseIndex: index, text: text, truncated: text.count % 2 == 0)
            }
        }
    }
}
