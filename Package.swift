// swift-tools-version: 6.0
import PackageDescription

// Dependency rule (DESIGN.md): Core ← Text ← Metrics ← Tasks; Sandbox (model-written code, on the C sandbox) ← Tasks;
// CLibXML2 (the system libxml2) ← Tasks; Core ← Models; Run uses Core/Text/Models; Rank uses
// Core (and CSV.swift for scores files); Board uses Rank; Report (a run folder → tables and charts) uses Run and Board; the CLI sits on top. AsyncHTTPClient is the heaviest dependency: only FathomModels links it.
let package = Package(
    name: "Fathom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fathom", targets: ["fathom"]),
        .library(name: "FathomCore", targets: ["FathomCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .target(name: "FathomCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "FathomTemplate", dependencies: ["FathomCore"]),
        .target(name: "FathomText", dependencies: ["FathomCore", "FathomTemplate"]),
        .target(name: "FathomMetrics", dependencies: ["FathomCore"]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // FathomSQL: a thin wrapper over the system SQLite (gold answers of database tasks), used by Tasks.
        .target(name: "FathomSQL", dependencies: ["CSQLite"]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .target(name: "CSandbox"),
        .target(name: "FathomSandbox", dependencies: ["CSandbox"]),
        .target(name: "FathomTasks", dependencies: ["FathomCore", "FathomText", "FathomMetrics", "FathomSQL", "FathomSandbox", "CLibXML2"]),
        .target(name: "FathomModels", dependencies: [
            "FathomCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "FathomRun", dependencies: ["FathomCore", "FathomText", "FathomModels"]),
        .target(name: "FathomRank", dependencies: ["FathomCore", .product(name: "CSV", package: "CSV.swift")]),
        .target(name: "FathomBoard", dependencies: ["FathomCore", "FathomRank"]),
        .target(name: "FathomReport", dependencies: ["FathomCore", "FathomRun", "FathomBoard"]),
        .target(name: "FathomBench", dependencies: [
            "FathomCore", "FathomText", "FathomMetrics", "FathomModels", "FathomRank",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "fathom", dependencies: [
            "FathomCore", "FathomText", "FathomMetrics", "FathomTasks", "FathomModels", "FathomRun", "FathomRank", "FathomBoard",
            "FathomReport", "FathomBench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "FathomTestSupport", dependencies: [
            "FathomCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/FathomTestSupport"),
        .testTarget(name: "FathomCoreTests", dependencies: ["FathomCore"]),
        .testTarget(name: "FathomSandboxTests", dependencies: ["FathomSandbox"]),
        .testTarget(name: "FathomRankTests", dependencies: ["FathomRank"]),
        .testTarget(name: "FathomBoardTests", dependencies: ["FathomBoard", "FathomRank", "FathomCore"]),
        .testTarget(name: "FathomTextTests", dependencies: ["FathomCore", "FathomText", "FathomTestSupport"]),
        .testTarget(name: "FathomTemplateTests", dependencies: ["FathomCore", "FathomTemplate", "FathomTestSupport"]),
        .testTarget(name: "FathomMetricsTests", dependencies: ["FathomCore", "FathomMetrics", "FathomTestSupport"]),
        .testTarget(name: "FathomTasksTests", dependencies: ["FathomCore", "FathomText", "FathomTasks", "FathomSQL", "FathomSandbox", "FathomTestSupport"]),
        .testTarget(name: "FathomSQLTests", dependencies: ["FathomSQL"]),
        .testTarget(name: "FathomModelsTests", dependencies: ["FathomCore", "FathomModels", "FathomTestSupport"]),
        .testTarget(name: "FathomRunTests", dependencies: [
            "FathomCore", "FathomText", "FathomMetrics", "FathomTasks", "FathomModels", "FathomRun", "FathomTestSupport", "fathom",
        ]),
        .testTarget(name: "FathomReportTests", dependencies: [
            "FathomCore", "FathomText", "FathomTasks", "FathomModels", "FathomRun", "FathomReport", "FathomTestSupport",
        ]),
    ]
)
