import Foundation
import Testing

@testable import FathomCore

/// `JSONValue(encoding:)` builds values directly; it must give exactly what the JSON text round trip gives.
@Suite struct JSONValueEncoderTests {
    enum Colour: String, Codable { case red, green }
    enum Shape: Codable { case circle(radius: Double), square(side: Int, label: String?) }
    struct Inner: Codable { var name: String; var weight: Double?; var tags: [String] }
    struct Outer: Codable {
        var id = "x-1"
        var count = 7
        var flags = [true, false]
        var doubles: [Double] = [3.0, 0.1, -0.0, 1e20, 2.5e-8, 12_345_678.0]
        var floats: [Float] = [1.5, 3]
        var missing: String? = nil
        var colour = Colour.green
        var byInt: [Int: String] = [3: "c", 1: "a"]
        var byColour: [Colour: Int] = [.red: 1]
        var nested: [[Inner]] = [[Inner(name: "a", weight: nil, tags: [])], [], [Inner(name: "é\u{1F600}\"\\\n", weight: 2, tags: ["t"])]]
        var shapes: [Shape] = [.circle(radius: 1), .square(side: 2, label: nil)]
        var big: UInt64 = .max
        var small: Int64 = .min
        var data = Data([0, 1, 254, 255])
        var date = Date(timeIntervalSinceReferenceDate: 123.25)
        var url = URL(string: "https://example.org/a?b=1")!
        var decimal = Decimal(string: "12.50")!
        var value: JSONValue = .object(["d": .double(4), "n": .null, "a": .array([.int(1), .double(0.5)])])
    }

    static func viaText<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test func equalsTheTextRoundTrip() throws {
        let value = Outer()
        #expect(try JSONValue(encoding: value) == Self.viaText(value))
        #expect(try JSONValue(encoding: [Outer(), Outer()]) == Self.viaText([Outer(), Outer()]))
        #expect(try JSONValue(encoding: ["k": [1, 2]]) == Self.viaText(["k": [1, 2]]))
        #expect(try JSONValue(encoding: "top") == .string("top"))
        #expect(try JSONValue(encoding: 3.0) == Self.viaText(3.0))
    }

    @Test func nonFiniteNumbersAreErrors() {
        #expect(throws: FathomError.self) { try JSONValue(encoding: ["x": Double.infinity]) }
        #expect(throws: FathomError.self) { try JSONValue(encoding: [Double.nan]) }
    }
}
