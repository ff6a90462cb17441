import FathomCore
import Testing

/// Golden values from scripts/golden/core_vectors.py (an independent Python implementation) and FIPS 180-4.
@Suite struct GoldenTests {
    @Test func sha256MatchesFIPSVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func sampleIdentityIsStable() {
        let params = ParameterSet(["value_type": .string("numbers"), "keys": .int(1)])
        #expect(params.canonicalJSON == #"{"keys":1,"value_type":"numbers"}"#)
        let identity = SampleIdentity(task: "ruler.niah_single_1", version: 1, parameters: params, length: 4096, index: 7, suiteSeed: 42)
        #expect(identity.id == "b99536910ab9880f")
        #expect(identity.seed == 13_372_654_665_124_644_879)
        #expect(identity.suiteSeed == 42, "kept for tasks that share items across a suite")
    }

    @Test func identityChangesWithEveryField() {
        let params = ParameterSet(["keys": .int(1)])
        let base = SampleIdentity(task: "t", version: 1, parameters: params, length: 4096, index: 0, suiteSeed: 42)
        let variants = [
            SampleIdentity(task: "u", version: 1, parameters: params, length: 4096, index: 0, suiteSeed: 42),
            SampleIdentity(task: "t", version: 2, parameters: params, length: 4096, index: 0, suiteSeed: 42),
            SampleIdentity(task: "t", version: 1, parameters: ParameterSet(["keys": .int(2)]), length: 4096, index: 0, suiteSeed: 42),
            SampleIdentity(task: "t", version: 1, parameters: params, length: 8192, index: 0, suiteSeed: 42),
            SampleIdentity(task: "t", version: 1, parameters: params, length: 4096, index: 1, suiteSeed: 42),
            SampleIdentity(task: "t", version: 1, parameters: params, length: 4096, index: 0, suiteSeed: 43),
        ]
        #expect(Set(variants.map { $0.id } + [base.id]).count == 7)
    }

    @Test func xoshiroStreamMatchesReference() {
        var rng = SeededRandom(seed: 42)
        let stream = (0..<4).map { _ in rng.next() }
        #expect(stream == [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009, 17_057_574_109_182_124_193])
    }

    @Test func boundedDrawsAreUniformAndInRange() {
        var rng = SeededRandom(seed: 7)
        var histogram = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let value = rng.below(10)
            histogram[value] += 1
        }
        #expect(histogram.allSatisfy { abs($0 - 10_000) < 500 })
        for _ in 0..<1000 {
            let value = rng.int(in: 3...5)
            #expect((3...5).contains(value))
        }
    }

    @Test func sampleIndicesAreDistinct() {
        var rng = SeededRandom(seed: 1)
        let picks = rng.sampleIndices(40, 40)
        #expect(Set(picks) == Set(0..<40))
        let some = rng.sampleIndices(1_000_000, 5)
        #expect(Set(some).count == 5 && some.allSatisfy { $0 < 1_000_000 })
    }

    @Test func uuidsHaveVersion4Layout() {
        var rng = SeededRandom(seed: 3)
        let uuid = rng.uuid()
        let parts = uuid.split(separator: "-")
        #expect(parts.map { $0.count } == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect("89ab".contains(parts[3].first!))
    }

    @Test func deriveSeedSeparatesLabels() {
        #expect(deriveSeed(1, "a") != deriveSeed(1, "b"))
        #expect(deriveSeed(1, "a") == deriveSeed(1, "a"))
    }
}
