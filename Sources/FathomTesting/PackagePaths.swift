import Foundation

/// Paths of the package a test runs in, for plugin packages' tests (`PackagePaths.root() + "/Tasks"`).
public enum PackagePaths {
    /// The nearest folder above `file` (default: the calling source file) holding a Package.swift.
    public static func root(of file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        preconditionFailure("no Package.swift above \(file)")
    }
}
