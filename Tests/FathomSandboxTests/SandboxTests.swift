@testable import FathomSandbox
import Foundation
import Testing

/// Hostile programs against the sandbox: each must end within its limits and leave nothing behind. These run real
/// processes, so they need Linux with Landlock and user namespaces; where this machine has not got them (a
/// container, an old kernel) each test checks instead that the program is refused quickly, before it runs. The
/// suite is serialized to keep the machine's process count sane.
@Suite(.serialized) struct SandboxTests {
    static let python = PythonTestRunner.system()

    /// The program's run, or nil when this machine cannot sandbox: then the run must throw (not run unconfined).
    func run(
        _ source: String, stdin: String = "", limits: SandboxLimits = SandboxTests.limits, files: [String: [UInt8]] = [:],
        namespaces: Bool = true
    ) throws -> SandboxResult? {
        let python = try #require(Self.python, "no python3 on this machine")
        func attempt() throws(SandboxError) -> SandboxResult {
            try Sandbox.run(
                executable: python.interpreter, arguments: ["-I", "-S", "-B", "-c", source], files: files, stdin: Array(stdin.utf8),
                environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], readablePaths: python.readablePaths, limits: limits,
                namespaces: namespaces)
        }
        guard namespaces, Sandbox.unavailable == nil else {
            let started = ContinuousClock.now
            #expect(throws: SandboxError.self, "a machine that cannot sandbox must refuse to run") { try attempt() }
            #expect(ContinuousClock.now - started < .seconds(2))
            return nil
        }
        return try attempt()
    }

    static var limits: SandboxLimits {
        var l = SandboxLimits()
        l.wallMilliseconds = 3000
        l.cpuSeconds = 2
        return l
    }

    /// Limits for the programs that never end: the clock stops them early.
    static var short: SandboxLimits {
        var l = limits
        l.wallMilliseconds = 400
        return l
    }

    func output(_ r: SandboxResult) -> String { String(decoding: r.stdout, as: UTF8.self) }

    @Test func runsAProgramWithItsInputAndEveryFence() throws {
        guard let r = try run("import sys; print(sum(int(x) for x in sys.stdin.read().split()))", stdin: "1 2 3\n") else { return }
        #expect(r.outcome == .exited(0) && output(r) == "6\n")
        #expect(r.fences.contains([.seccomp, .landlockFilesystem]), "\(r.fences)")
        // A run that happens has its own user, PID and network namespaces and a process limit (they are required).
        #expect(r.fences.contains([.userNamespace, .networkNamespace, .pidNamespace, .processLimit]), "\(r.fences)")
    }

    /// Without a PID namespace a child could outlive the run, and a non-root user has no process limit of its own:
    /// the sandbox refuses, naming why, before the program runs (what a container without user namespaces gets).
    @Test func withoutNamespacesNothingRuns() throws {
        let marker = "fathom-sandbox-ran-\(getpid())"
        let python = try #require(Self.python, "no python3 on this machine")
        do {
            let r = try Sandbox.run(
                executable: python.interpreter, arguments: ["-I", "-S", "-B", "-c", "print('\(marker)')"],
                readablePaths: python.readablePaths, limits: Self.limits, namespaces: false)
            Issue.record("ran without namespaces: \(r.fences), \(String(decoding: r.stdout, as: UTF8.self))")
        } catch {
            #expect(error.stage.contains("no PID namespace") || Sandbox.unavailable != nil, "\(error)")
        }
        #expect(Sandbox.unavailable == nil || Sandbox.unavailable?.description.isEmpty == false)
    }

    @Test func anInfiniteLoopIsKilledByTheClock() throws {
        let started = ContinuousClock.now
        guard let r = try run("while True: pass", limits: Self.short) else { return }
        #expect(r.outcome == .timedOut, "\(r.outcome)")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aSleeperIsKilledByTheClockToo() throws {
        guard let r = try run("import time; time.sleep(60)", limits: Self.short) else { return }
        #expect(r.outcome == .timedOut)
        #expect(r.wallMilliseconds < 5000)
    }

    @Test func aForkBombHitsTheProcessLimitAndLeavesNothingBehind() throws {
        guard let r = try run(
            """
            import os, time
            n = 0
            try:
                while True:
                    if os.fork() == 0:
                        time.sleep(30)
                        os._exit(0)
                    n += 1
            except OSError as e:
                print("stopped", n)
            """) else { return }
        let text = output(r)
        #expect(text.hasPrefix("stopped"), "\(text)")
        let forks = Int(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 999
        #expect(forks < SandboxTests.limits.processes)
        // The sleeping children died with the namespace: the run did not wait 30 s for them.
        #expect(r.wallMilliseconds < 6000)
    }

    @Test func tenGigabytesCannotBeAllocated() throws {
        guard let r = try run("x = bytearray(10 * 1024 ** 3); print('allocated', len(x))") else { return }
        #expect(!output(r).contains("allocated"))
        #expect(String(decoding: r.stderr, as: UTF8.self).contains("MemoryError"))
    }

    @Test func theNetworkIsUnreachable() throws {
        guard let r = try run(
            """
            import socket
            for family, address in [(socket.AF_INET, ("1.1.1.1", 53)), (socket.AF_INET6, ("2606:4700:4700::1111", 53)), (socket.AF_INET, ("127.0.0.1", 22))]:
                try:
                    s = socket.socket(family, socket.SOCK_STREAM)
                    s.settimeout(1)
                    s.connect(address)
                    print("CONNECTED", address)
                except OSError as e:
                    print("blocked", type(e).__name__)
            """) else { return }
        let text = output(r)
        #expect(!text.contains("CONNECTED") && text.components(separatedBy: "blocked").count == 4, "\(text)")
    }

    @Test func nothingOutsideItsDirectoryCanBeWrittenOrRead() throws {
        let outside = NSTemporaryDirectory() + "/fathom-sandbox-escape-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: outside) }
        guard let r = try run(
            """
            import os
            for path in [\(String(reflecting: outside)), "/tmp/escape.txt", "../escape.txt", "/dev/shm/escape"]:
                try:
                    open(path, "w").write("x")
                    print("WROTE", path)
                except OSError as e:
                    print("blocked write")
            for path in ["/etc/passwd", "/proc/1/environ", "/proc/self/environ", os.path.expanduser("~root")]:
                try:
                    open(path, "rb").read(10)
                    print("READ", path)
                except OSError as e:
                    print("blocked read")
            open("inside.txt", "w").write("ok")
            print(open("inside.txt").read(), open("given.txt").read())
            """, files: ["given.txt": Array("given".utf8)]) else { return }
        let text = output(r)
        #expect(!text.contains("WROTE") && !text.contains("READ"), "\(text)")
        #expect(text.contains("ok given"))
        #expect(!FileManager.default.fileExists(atPath: outside) && !FileManager.default.fileExists(atPath: "/tmp/escape.txt"))
    }

    /// Landlock confines opening files, not descriptors already open: the caller's must not reach the program.
    @Test func theCallersOpenDescriptorsAreClosed() throws {
        let path = NSTemporaryDirectory() + "/fathom-sandbox-fd-\(getpid())"
        // More descriptors open than the sandbox's RLIMIT_NOFILE (as in a long run with many connections): its
        // setup must still find free ones.
        let padding = (0..<Self.limits.openFiles + 16).map { _ in open("/dev/null", O_RDONLY) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)  // deliberately without O_CLOEXEC
        #expect(fd > Self.limits.openFiles)
        defer {
            close(fd)
            for p in padding { close(p) }
            try? FileManager.default.removeItem(atPath: path)
        }
        guard let r = try run(
            """
            import os
            try:
                os.write(\(fd), b"escaped")
                print("WROTE")
            except OSError as e:
                print("closed", e.errno)
            """) else { return }
        #expect(String(decoding: r.stdout, as: UTF8.self).hasPrefix("closed"))
        #expect((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0)
    }

    @Test func theEnvironmentIsOnlyWhatTheCallerPasses() throws {
        setenv("FATHOM_SANDBOX_SECRET", "hunter2", 1)
        defer { unsetenv("FATHOM_SANDBOX_SECRET") }
        guard let r = try run("import os; print(sorted(os.environ.items()))") else { return }
        let text = output(r)
        #expect(!text.contains("hunter2") && !text.contains("FATHOM_SANDBOX_SECRET"))
        #expect(text.contains("PATH"))
    }

    @Test func outputIsCappedAndTheRestDropped() throws {
        var limits = SandboxTests.limits
        limits.outputBytes = 1000
        guard let r = try run("import sys\nfor _ in range(100000): sys.stdout.write('x' * 100)", limits: limits) else { return }
        #expect(r.stdout.count == 1000 && r.stdoutTruncated)
    }

    @Test func thePythonRunnerGivesEachTestItsOwnRunAndStopsAtATimeout() throws {
        var runner = try #require(Self.python)
        runner.secondsPerTest = 0.3
        let program = """
            n = int(input())
            if n == 3:
                while True: pass
            print(n * 2)
            """
        guard Sandbox.unavailable == nil else {
            #expect(throws: SandboxError.self) { try runner.run(program: program, inputs: ["1\n"]) }
            return
        }
        let run = try runner.run(program: program, inputs: ["1\n", "2\n", "3\n", "4\n"])
        #expect(run.compileError == nil)
        #expect(run.tests.map(\.status) == [.ok, .ok, .timeout, .notRun])
        #expect(run.tests.prefix(2).map(\.output) == ["2\n", "4\n"])
        let broken = try runner.run(program: "def f(:\n", inputs: ["1\n"])
        #expect(broken.compileError?.contains("SyntaxError") == true)
        // A program that tries to kill its driver: the driver is the PID namespace's init, which the kernel shields
        // from signals sent inside, so the run goes on.
        let killer = try runner.run(
            program: "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n    pass\nprint(int(input()) + 1)",
            inputs: ["1\n", "2\n"])
        #expect(killer.fences.contains(.pidNamespace) && killer.tests.map(\.output) == ["2\n", "3\n"])
    }
}
