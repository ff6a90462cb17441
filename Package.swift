// swift-tools-version: 6.0
import PackageDescription

// Dependency rule (DESIGN.md): Core ← Text ← Metrics ← Tasks; Sandbox (model-written code, on the C sandbox) ← Tasks;
// CLibXML2 (the system libxml2) ← Tasks; Core ← Models; Run uses Core/Text/Models; Rank uses
// Core (and CSV.swift for scores files); Board uses Rank; Report (a run folder → tables and charts) uses Run and Board; the CLI sits on top. AsyncHTTPClient is the heaviest dependency: only FathomModels links it.
// Exec (plugins in any language) uses Core, and Tasks uses Exec; Testing (the conformance kit) uses Core and Text; Authoring
// (scaffolding) uses Core; FathomCLI is the CLI as a library and `fathom` its main.
let package = Package(
    name: "Fathom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fathom", targets: ["fathom"]),
        .library(name: "FathomCore", targets: ["FathomCore"]),
        // What an outside plugin package needs (docs/authoring.md): the contract, sizing, metrics, the built-in kinds,
        // exec plugins, the conformance kit with the test server, and the CLI to build its own `fathom`.
        .library(name: "FathomText", targets: ["FathomText"]),
        .library(name: "FathomMetrics", targets: ["FathomMetrics"]),
        .library(name: "FathomTasks", targets: ["FathomTasks"]),
        .library(name: "FathomExec", targets: ["FathomExec"]),
        .library(name: "FathomTesting", targets: ["FathomTesting"]),
        .library(name: "FathomCLI", targets: ["FathomCLI"]),
        .plugin(name: "NewTask", targets: ["NewTask"]),
        .plugin(name: "PublishLeaderboard", targets: ["PublishLeaderboard"]),
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
        .target(name: "FathomTasks", dependencies: ["FathomCore", "FathomText", "FathomMetrics", "FathomSQL", "FathomSandbox", "CLibXML2", "FathomExec"]),
        // Exec plugins: a task plugin in any language, a child process speaking JSON lines (schemas/exec-plugin.v1).
        .target(name: "FathomExec", dependencies: ["FathomCore"]),
        // Scaffolding for `fathom new-task` and `swift package new-task`.
        .target(name: "FathomAuthoring", dependencies: ["FathomCore"]),
        // The conformance kit and the fault-injecting OpenAI-compatible test server, for plugin packages' tests.
        .target(name: "FathomTesting", dependencies: [
            "FathomCore", "FathomText", "FathomSandbox",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
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
        // Bench also holds the Swift passkey scaffold, the twin of the Python one in `fathom bench exec`.
        .target(name: "FathomBench", dependencies: [
            "FathomCore", "FathomText", "FathomMetrics", "FathomModels", "FathomRank", "FathomExec", "FathomAuthoring",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The CLI as a library (an outside package builds its own `fathom` with its kinds); `fathom` is its thin main.
        .target(name: "FathomCLI", dependencies: [
            "FathomCore", "FathomText", "FathomMetrics", "FathomTasks", "FathomModels", "FathomRun", "FathomRank", "FathomBoard",
            "FathomReport", "FathomBench", "FathomExec", "FathomTesting", "FathomAuthoring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "fathom", dependencies: ["FathomCLI", "FathomTasks"]),
        // Fuzzing (README design notes): the targets over manifests, tokenizers, templates, scores files, exec lines and
        // every scorer; `fathom-fuzz` runs them property-based, or under libFuzzer when built with -sanitize=fuzzer.
        .target(name: "FathomFuzz", dependencies: ["FathomCore", "FathomTemplate", "FathomText", "FathomTasks", "FathomExec", "FathomRank"]),
        .executableTarget(name: "fathom-fuzz", dependencies: ["FathomFuzz"]),
        .plugin(
            name: "NewTask",
            capability: .command(
                intent: .custom(verb: "new-task", description: "Scaffold a task (manifest, code, conformance test): the same as `fathom new-task`."),
                permissions: [.writeToPackageDirectory(reason: "writes the new task's manifest, code and test into this package")]),
            path: "Plugins/NewTask"),
        .plugin(
            name: "PublishLeaderboard",
            capability: .command(
                intent: .custom(verb: "publish-leaderboard", description: "Regenerate leaderboard/ from the reference systems' runs."),
                permissions: [.writeToPackageDirectory(reason: "rewrites leaderboard/")]),
            path: "Plugins/PublishLeaderboard"),
        .target(name: "FathomTestSupport", dependencies: [
            "FathomCore", "FathomTesting",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/FathomTestSupport"),
        .testTarget(name: "FathomCoreTests", dependencies: ["FathomCore"]),
        .testTarget(name: "FathomSandboxTests", dependencies: ["FathomSandbox"]),
        .testTarget(name: "FathomRankTests", dependencies: ["FathomCore", "FathomRank"]),
        .testTarget(name: "FathomBoardTests", dependencies: ["FathomBoard", "FathomRank", "FathomCore"]),
        .testTarget(name: "FathomTextTests", dependencies: ["FathomCore", "FathomText", "FathomTestSupport"]),
        .testTarget(name: "FathomTemplateTests", dependencies: ["FathomCore", "FathomTemplate", "FathomTestSupport"]),
        .testTarget(name: "FathomMetricsTests", dependencies: ["FathomCore", "FathomMetrics", "FathomTestSupport"]),
        .testTarget(name: "FathomTasksTests", dependencies: ["FathomCore", "FathomText", "FathomTasks", "FathomSQL", "FathomSandbox", "FathomTestSupport"]),
        .testTarget(name: "FathomSQLTests", dependencies: ["FathomSQL"]),
        .testTarget(name: "FathomExecTests", dependencies: [
            "FathomCore", "FathomText", "FathomExec", "FathomTasks", "FathomModels", "FathomRun", "FathomTestSupport",
        ]),
        .testTarget(name: "FathomCLITests", dependencies: [
            "FathomCore", "FathomText", "FathomTasks", "FathomCLI", "FathomAuthoring", "FathomExec", "FathomBench", "FathomTestSupport", "fathom",
        ]),
        .testTarget(name: "FathomFuzzTests", dependencies: ["FathomFuzz", "FathomCore", "FathomTestSupport"]),
        .testTarget(name: "FathomModelsTests", dependencies: ["FathomCore", "FathomModels", "FathomTestSupport"]),
        .testTarget(name: "FathomRunTests", dependencies: [
            "FathomCore", "FathomText", "FathomMetrics", "FathomTasks", "FathomModels", "FathomRun", "FathomTestSupport", "fathom",
        ]),
        .testTarget(name: "FathomReportTests", dependencies: [
            "FathomCore", "FathomText", "FathomTasks", "FathomModels", "FathomRun", "FathomReport", "FathomTestSupport",
        ]),
    ]
)
