import FathomCore
import FathomModels
import FathomText
import Foundation

/// `fathom bench http`: requests per second and harness CPU per request through the OpenAI-compatible backend,
/// against a no-op server in another process (so the measured CPU is the harness's alone).
public enum HTTPBenchmark {
    /// One length's figures.
    public struct Figure: Codable, Sendable {
        public var length: String
        public var promptBytes: Int
        public var requests: Int
        public var seconds: Double
        public var requestsPerSecond: Double
        public var cpuMsPerRequest: Double
        public var failures: Int
        enum CodingKeys: String, CodingKey {
            case length, promptBytes = "prompt_bytes", requests, seconds, requestsPerSecond = "requests_per_s", cpuMsPerRequest = "cpu_ms_per_request"
            case failures
        }
    }

    /// Sends `requests` copies of `task`'s first sample at each length, `concurrency` in flight, to `server` (or to
    /// `executable bench serve` started on a free port when `server` is nil).
    public static func run(
        task: any TaskPlugin, lengths: [Int], requests: Int, concurrency: Int, server: String?, executable: String
    ) async throws -> [Figure] {
        var child: Process? = nil
        var base = server
        if base == nil {
            let port = try EngineProcess.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            process.arguments = ["bench", "serve", "--port", String(port)]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            child = process
            base = "http://127.0.0.1:\(port)"
        }
        defer { child?.terminate() }
        var options = OpenAICompatibleBackend.Options()
        options.concurrency = .fixed(concurrency)
        let backend = try OpenAICompatibleBackend(endpoints: [base!], model: "bench", apiKey: nil, options: options)
        try await backend.prepare(requiredContext: 1, runDirectory: NSTemporaryDirectory())
        var figures: [Figure] = []
        for length in lengths {
            let sample = try task.makeSample(
                task.descriptor.request(length: length, index: 0, suiteSeed: 1, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
            _ = await backend.generate(GenerationRequest(sample: sample, seed: 1))  // warm the connection pool
            let cpuBefore = Clock.cpuSeconds()
            let started = ContinuousClock.now
            let failures = await withTaskGroup(of: Bool.self) { group in
                var sent = 0
                var failed = 0
                for _ in 0..<min(concurrency, requests) {
                    group.addTask { await backend.generate(GenerationRequest(sample: sample, seed: 1)).status != .ok }
                    sent += 1
                }
                for await bad in group {
                    if bad { failed += 1 }
                    if sent < requests {
                        group.addTask { await backend.generate(GenerationRequest(sample: sample, seed: 1)).status != .ok }
                        sent += 1
                    }
                }
                return failed
            }
            let seconds = Clock.seconds(since: started)
            let cpu = Clock.cpuSeconds() - cpuBefore
            figures.append(
                Figure(
                    length: ContextLength.format(length), promptBytes: sample.promptText.utf8.count, requests: requests,
                    seconds: (seconds * 1000).rounded() / 1000, requestsPerSecond: (Double(requests) / seconds * 10).rounded() / 10,
                    cpuMsPerRequest: (cpu / Double(requests) * 1e5).rounded() / 100, failures: failures))
        }
        await backend.shutdown()
        return figures
    }
}

/// Timing helpers shared by the benchmarks.
public enum Clock {
    /// Seconds elapsed since `start`.
    public static func seconds(since start: ContinuousClock.Instant) -> Double { seconds(ContinuousClock.now - start) }

    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// CPU seconds of the calling thread (unaffected by other processes competing for the cores).
    public static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// User + system CPU seconds of this process.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
