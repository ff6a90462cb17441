// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Fathom: a checkout's folder (relative to this file, or absolute) or its git URL. A path dependency's package
// identity is its folder's name, which `.product(package:)` needs.
let fathomPath = "../.."
let fathom = URL(fileURLWithPath: fathomPath, relativeTo: URL(fileURLWithPath: Context.packageDirectory + "/")).standardizedFileURL.lastPathComponent.lowercased()

let package = Package(
    name: "ExampleLines",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "fathom-example-lines", targets: ["fathom-example-lines"])],
    dependencies: [.package(path: fathomPath)],
    targets: [
        .target(name: "ExampleLinesTasks", dependencies: [
            .product(name: "FathomCore", package: fathom), .product(name: "FathomText", package: fathom),
        ]),
        .executableTarget(name: "fathom-example-lines", dependencies: [
            "ExampleLinesTasks", .product(name: "FathomCLI", package: fathom), .product(name: "FathomTasks", package: fathom),
        ]),
        .testTarget(name: "ExampleLinesTasksTests", dependencies: [
            "ExampleLinesTasks", .product(name: "FathomTesting", package: fathom), .product(name: "FathomTasks", package: fathom),
        ]),
    ]
)
