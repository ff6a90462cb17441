import Foundation
import Testing

/// Locates `Tests/Fixtures` by walking up from this source file.
enum MetricsFixtures {
    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("Tests/Fixtures")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("Tests/Fixtures not found above \(#filePath)")
    }()

    static func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
        let url = root.appendingPathComponent("metrics").appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// A golden float: the JSON number and Python's `float.hex()` of it.
struct MetricsGoldenFloat: Decodable {
    let v: Double
    let hex: String

    /// The exact value from the hex form.
    var exact: Double {
        guard let d = Double(hex) else { fatalError("bad hex float \(hex)") }
        return d
    }
}

struct MetricsGoldenFile<Case: Decodable>: Decodable {
    let cases: [Case]
}

/// Checks `actual` against a golden float: within 1e-12 and bit-exact.
func expectMetricsGolden(_ actual: Double, _ golden: MetricsGoldenFloat, _ what: @autoclosure () -> String,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(abs(actual - golden.v) <= 1e-12, "\(what()): \(actual) vs \(golden.v)", sourceLocation: sourceLocation)
    #expect(actual.bitPattern == golden.exact.bitPattern, "\(what()): not bit-exact \(actual) vs \(golden.hex)",
            sourceLocation: sourceLocation)
}

struct MetricsGoldenCases<Case: Decodable>: Decodable {
    let cases: Case
}
