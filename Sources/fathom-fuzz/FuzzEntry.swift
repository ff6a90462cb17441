// fathom-fuzz: the fuzz harness over everything users and models hand Fathom (see FathomFuzz).
//
// Built normally, it is the property-based harness (seeded mutations of seed corpora, hostile inputs, per-input
// timeout):
//   fathom-fuzz [TARGET...] [--seconds 20] [--timeout 10] [--seed 1] [--root .] [--artifacts fuzz-artifacts]
//   fathom-fuzz --list
//   fathom-fuzz --replay TARGET FILE...        (run saved inputs, e.g. a crash artifact)
// Built with libFuzzer (coverage-guided), one target per process, chosen by FATHOM_FUZZ_TARGET:
//   swift build --product fathom-fuzz --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
//   FATHOM_FUZZ_TARGET=template .build/fuzz/debug/fathom-fuzz CORPUS_DIR Tests/Fixtures/chat_templates -max_total_time=60 -timeout=10
import FathomFuzz
import Foundation

#if FUZZING
nonisolated(unsafe) var selected: FuzzTarget? = nil

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["FATHOM_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.named(name) else {
        FileHandle.standardError.write(Data("set FATHOM_FUZZ_TARGET to one of: \(FuzzTargets.all.map { $0.name }.joined(separator: ", "))\n".utf8))
        exit(2)
    }
    selected = target
    if name == "scorers" { _ = ScorerFuzzing.cases }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; hand it to libFuzzer's driver.
@_cdecl("fathom_fuzz_main")
public func fathomFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    var unused: CInt = 0
    _ = fuzzerInitialize(&unused, &vector)
    return runFuzzerDriver(&count, &vector) { bytes, size in fuzzerTestOneInput(bytes, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? selected!.run(Data(bytes: bytes, count: count))
    return 0
}
#else
@main
struct FuzzEntry {
    @MainActor static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var options = FuzzDriver.Options()
        var names: [String] = []
        var replay: [String]? = nil
        func value(_ flag: String) -> String {
            guard !arguments.isEmpty else {
                FileHandle.standardError.write(Data("\(flag) needs a value\n".utf8))
                exit(2)
            }
            return arguments.removeFirst()
        }
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--seconds": options.seconds = Double(value(argument)) ?? options.seconds
            case "--timeout": options.timeout = Double(value(argument)) ?? options.timeout
            case "--seed": options.seed = UInt64(value(argument)) ?? options.seed
            case "--root": options.root = value(argument)
            case "--artifacts": options.artifacts = value(argument)
            case "--hostile-size": options.hostileSize = Int(value(argument)) ?? options.hostileSize
            case "--replay": replay = []
            case "--list":
                for target in FuzzTargets.all { print("\(target.name): \(target.summary)") }
                exit(0)
            case "-h", "--help":
                print("usage: fathom-fuzz [TARGET...] [--seconds S] [--timeout S] [--seed N] [--root DIR] [--artifacts DIR] [--hostile-size BYTES]")
                print("       fathom-fuzz --list | --replay TARGET FILE...")
                exit(0)
            default:
                if replay != nil, !names.isEmpty { replay!.append(argument) } else { names.append(argument) }
            }
        }
        let unknown = names.filter { FuzzTargets.named($0) == nil }
        guard unknown.isEmpty else {
            FileHandle.standardError.write(Data("unknown target(s) \(unknown.joined(separator: ", ")); targets: \(FuzzTargets.all.map { $0.name }.joined(separator: ", "))\n".utf8))
            exit(2)
        }
        let targets = names.isEmpty ? FuzzTargets.all : names.compactMap { FuzzTargets.named($0) }
        if let replay {
            for file in replay {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    exit(2)
                }
                do {
                    try targets[0].run(data)
                    print("\(file): accepted (no crash)")
                } catch {
                    print("\(file): rejected (no crash): \(String(describing: error).prefix(300))")
                }
            }
            exit(0)
        }
        for target in targets {
            FileHandle.standardOutput.write(Data((FuzzDriver.run(target, options: options).line + "\n").utf8))
        }
    }
}
#endif
