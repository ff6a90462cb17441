import FathomCore
import FathomMetrics
import Testing

private struct PyTextGolden: Decodable {
    let unicode_version: String
    let assigned: [[UInt32]]
    let space: [[UInt32]]
    let word: [[UInt32]]
    let digit: [[UInt32]]
    let lower: [String: [UInt32]]
}

private func membership(_ ranges: [[UInt32]]) -> [Bool] {
    var table = [Bool](repeating: false, count: 0x110000)
    for r in ranges { for c in r[0]...r[1] { table[Int(c)] = true } }
    return table
}

@Suite("Python text classes")
struct PythonTextGoldenTests {
    /// Every code point assigned in the Python build's Unicode data (14.0 for CPython 3.11) is
    /// classified and lowercased as CPython does; isspace holds on every code point.
    @Test("isSpace / isWordChar / isDecimalDigit / lower agree with CPython on assigned code points")
    func classes() throws {
        let g = try MetricsFixtures.load("pytext.json", as: MetricsGoldenCases<PyTextGolden>.self).cases
        let assigned = membership(g.assigned), space = membership(g.space)
        let word = membership(g.word), digit = membership(g.digit)
        var checked = 0
        var mismatches: [String] = []
        for c in UInt32(0)..<0x110000 where !(0xD800..<0xE000).contains(c) {
            if PythonText.isSpace(c) != space[Int(c)] { mismatches.append("space \(String(c, radix: 16))") }
            guard assigned[Int(c)] else { continue }
            checked += 1
            if PythonText.isWordChar(c) != word[Int(c)] { mismatches.append("word \(String(c, radix: 16))") }
            if PythonText.isDecimalDigit(c) != digit[Int(c)] { mismatches.append("digit \(String(c, radix: 16))") }
            if PythonText.lower([c]) != (g.lower[String(c)] ?? [c]) { mismatches.append("lower \(String(c, radix: 16))") }
        }
        #expect(checked > 140_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(20))")
    }
}
