import Foundation

/// The property-based harness: runs a target on its seeds, on hostile inputs, then on seeded mutations of its corpus
/// for `seconds`. Inputs the target accepts (no error) join the corpus (a stand-in for coverage: they reach
/// past the first checks). A crash (a trap or fault signal) or an input that takes longer than the per-input timeout
/// writes the input to `artifacts/crash-TARGET-N` or `timeout-TARGET-N` and exits non-zero, as libFuzzer does.
public enum FuzzDriver {
    public struct Options: Sendable {
        public var seconds: Double
        public var timeout: Double
        public var seed: UInt64
        public var root: String
        public var artifacts: String
        /// Length of the long hostile outputs given to every scorer.
        public var hostileSize: Int
        public init(seconds: Double = 20, timeout: Double = 10, seed: UInt64 = 1, root: String = ".", artifacts: String = "fuzz-artifacts",
                    hostileSize: Int = 1 << 20) {
            self.seconds = seconds
            self.timeout = timeout
            self.seed = seed
            self.root = root
            self.artifacts = artifacts
            self.hostileSize = hostileSize
        }
    }

    /// What one target's run did.
    public struct Figures: Sendable, Codable {
        public var target: String
        public var executions: Int
        public var seconds: Double
        public var seeds: Int
        public var corpus: Int
        public var corpusBytes: Int
        public var accepted: Int
        public var slowestMs: Double

        public var line: String {
            String(format: "%@: %d executions in %.1f s (%.0f/s); %d seeds, corpus %d inputs (%d KB); %d accepted; slowest input %.0f ms",
                   target, executions, seconds, Double(executions) / max(seconds, 0.001), seeds, corpus, corpusBytes / 1024, accepted, slowestMs)
        }
    }

    /// Inputs that strain any parser: deep nesting, long repeats, alias bombs, junk.
    static func hostileInputs(size: Int) -> [[UInt8]] {
        var random = Xorshift(seed: 7)
        let units = ["[", "{", "(", "{{", "{%", "<", "\"", "\\", "a: ", "- ", "&a [*a, *a]\n", "\u{FFFD}", "9"]
        var out = units.map { Array(String(repeating: $0, count: size / $0.utf8.count).utf8) }
        out.append((0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        // A YAML alias bomb ("billion laughs"): nine levels of ten aliases each.
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...9 {
            bomb += "\(Character(UnicodeScalar(97 + level)!)): &\(Character(UnicodeScalar(97 + level)!)) ["
            bomb += Array(repeating: "*\(Character(UnicodeScalar(96 + level)!))", count: 10).joined(separator: ",") + "]\n"
        }
        out.append(Array(bomb.utf8))
        out.append(Array("name: x\nplugin: niah\nversion: 1\nparams: \(bomb.replacingOccurrences(of: "\n", with: " "))".utf8))
        return out
    }

    /// Runs `target` as the options say and returns its figures (or exits on a crash or hang).
    public static func run(_ target: FuzzTarget, options: Options) -> Figures {
        let watchdog = Watchdog.shared
        watchdog.arm(target: target.name, artifacts: options.artifacts, timeout: options.timeout)
        let seeds = target.seeds(root: options.root).map { Array($0) }
        var corpus = seeds.isEmpty ? [[UInt8]()] : seeds
        var executions = 0
        var accepted = 0
        var slowest = 0.0
        let start = Date()
        func execute(_ input: [UInt8]) -> Bool {
            let began = Date()
            watchdog.begin(input)
            let ok = (try? target.run(Data(input))) != nil
            watchdog.end()
            slowest = max(slowest, Date().timeIntervalSince(began) * 1000)
            executions += 1
            if ok { accepted += 1 }
            return ok
        }
        for seed in seeds { _ = execute(seed) }
        for input in hostileInputs(size: min(options.hostileSize, 1 << 16)) { _ = execute(input) }
        if target.name == "scorers" {
            for index in ScorerFuzzing.cases.indices {
                for (_, text) in HostileOutputs.all(size: options.hostileSize, oracle: ScorerFuzzing.cases[index].oracle) {
                    watchdog.begin([UInt8(index % 256), 0] + Array(text.utf8.prefix(1 << 16)))
                    let began = Date()
                    ScorerFuzzing.score(caseIndex: index, text: text)
                    ScorerFuzzing.score(caseIndex: index, text: text, truncated: true, reasoning: text)
                    slowest = max(slowest, Date().timeIntervalSince(began) * 1000)
                    watchdog.end()
                    executions += 2
                }
            }
        }
        var mutator = Mutator(seed: options.seed, dictionary: target.dictionary, maxLength: target.maxLength)
        // The mutation phase gets its full time after the seeds and hostile inputs.
        let mutating = Date()
        while Date().timeIntervalSince(mutating) < options.seconds {
            let input = mutator.mutate(corpus[mutator.random.below(corpus.count)], other: corpus[mutator.random.below(corpus.count)])
            if execute(input), corpus.count < 4000 { corpus.append(input) }
        }
        watchdog.disarm()
        return Figures(
            target: target.name, executions: executions, seconds: Date().timeIntervalSince(start), seeds: seeds.count, corpus: corpus.count,
            corpusBytes: corpus.map(\.count).reduce(0, +), accepted: accepted, slowestMs: slowest)
    }
}

/// Watches the input being run: a fault signal writes it out as a crash artifact, and an input running past the
/// timeout is written out as a hang; both end the process with a non-zero status.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()
    private let lock = NSLock()
    private var current: [UInt8] = []
    private var started: Date?
    private var target = ""
    private var artifacts = ""
    private var timeout = 10.0
    private var thread: Thread?

    func arm(target: String, artifacts: String, timeout: Double) {
        lock.withLock {
            self.target = target
            self.artifacts = artifacts
            self.timeout = timeout
        }
        try? FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        CrashCapture.install(path: artifacts + "/crash-\(target)")
        guard thread == nil else { return }
        let thread = Thread { [unowned self] in
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                self.check()
            }
        }
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    func disarm() { lock.withLock { started = nil } }

    func begin(_ input: [UInt8]) {
        CrashCapture.hold(input)
        lock.withLock {
            current = input
            started = Date()
        }
    }

    func end() { lock.withLock { started = nil } }

    private func check() {
        let (overdue, input, target, folder, limit): (Bool, [UInt8], String, String, Double) = lock.withLock {
            (started.map { Date().timeIntervalSince($0) > timeout } ?? false, current, self.target, artifacts, timeout)
        }
        guard overdue else { return }
        let path = folder + "/timeout-\(target)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(input))
        FileHandle.standardError.write(Data("\(target): an input ran longer than \(limit) s; it is in \(path) (replay: fathom-fuzz --replay \(target) \(path))\n".utf8))
        _exit(70)
    }
}

/// Writes the input being run to a file from a signal handler (only async-signal-safe calls) when the process traps
/// or faults, then exits with status 71.
enum CrashCapture {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    nonisolated(unsafe) static var capacity = 1
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>? = nil

    static func install(path file: String) {
        path = strdup(file)
        for number in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(number) { number in
                if let path = CrashCapture.path {
                    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                    if fd >= 0 {
                        _ = write(fd, CrashCapture.buffer, CrashCapture.length)
                        close(fd)
                    }
                    let message: StaticString = "fathom-fuzz: crash; the input is in fuzz-artifacts/crash-TARGET (replay it with fathom-fuzz --replay)\n"
                    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                }
                _exit(71)
            }
        }
    }

    static func hold(_ input: [UInt8]) {
        if input.count > capacity {
            length = 0
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: input.count)
            let old = buffer
            buffer = bigger
            capacity = input.count
            old.deallocate()
        }
        input.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base, count: input.count) }
        }
        length = input.count
    }
}
