import FathomCore
import Testing

@Suite struct LengthTests {
    @Test(arguments: [("4k", 4096), ("128K", 131_072), ("1m", 1_048_576), ("5000", 5000), (" 8k ", 8192)])
    func parsesSuffixes(text: String, value: Int) {
        #expect(ContextLength.parse(text) == value)
    }

    @Test(arguments: ["", "k", "4kb", "-4k", "4.5k", "0", "abc", "99999999999999999999m"])
    func rejectsNonsense(text: String) {
        #expect(ContextLength.parse(text) == nil)
    }

    @Test func formatsRoundTrip() {
        for value in [4096, 131_072, 1_048_576, 5000] {
            #expect(ContextLength.parse(ContextLength.format(value)) == value)
        }
        #expect(ContextLength.format(131_072) == "128k")
    }

    @Test func listErrorsNameTheBadPart() {
        #expect(throws: FathomError.self) { try ContextLength.parseList("4k,8x") }
        #expect((try? ContextLength.parseList("4k,8k")) == [4096, 8192])
    }
}
