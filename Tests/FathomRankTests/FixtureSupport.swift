import Foundation
import FathomRank

/// Locates `Tests/Fixtures/rank` by walking up from this source file.
enum Fixtures {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("Tests/Fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.appendingPathComponent("rank") }
            url = url.deletingLastPathComponent()
        }
        fatalError("Tests/Fixtures not found above \(#filePath)")
    }()

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

extension Array where Element == Any {
    var doubles: [Double] { map { ($0 as! NSNumber).doubleValue } }
    var ints: [Int] { map { ($0 as! NSNumber).intValue } }
}

func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Zero-padded model names so that name order equals index order.
func modelName(_ i: Int) -> String { i < 10 ? "m0\(i)" : "m\(i)" }

/// Foundation also declares `Measurement`; the module-local alias wins.
typealias Measurement = FathomRank.Measurement
