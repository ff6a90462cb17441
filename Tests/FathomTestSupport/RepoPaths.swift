import Foundation

/// Paths of the repository the tests run in.
public enum RepoPaths {
    /// The package root (the folder holding Package.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("cannot find Package.swift above \(#filePath)")
    }()

    public static var tasks: String { root + "/Tasks" }
    public static var fixtures: String { root + "/Tests/Fixtures" }

    /// A fresh temporary folder.
    public static func temporaryDirectory(_ label: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-\(label)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The `fathom` executable built next to the test bundle.
    public static var fathomExecutable: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fathom").path,
            Bundle.main.bundleURL.appendingPathComponent("fathom").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("fathom").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}
