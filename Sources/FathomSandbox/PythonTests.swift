import Foundation

/// Runs a Python 3 program on hidden test inputs, inside the `Sandbox`: one sandboxed interpreter runs a small
/// driver, which compiles the program once and runs it on each input in a forked child with its own stdin,
/// stdout, per-test time limit and output cap. Only the inputs enter the sandbox; the expected outputs stay with
/// the caller, which compares what comes back. The program is data: it is never imported or evaluated here.
public struct PythonTestRunner: Sendable {
    /// The interpreter: a real executable (not a shell shim) whose standard library the sandbox can read.
    public var interpreter: String
    /// Paths the program may read beneath (the interpreter's prefix, system libraries).
    public var readablePaths: [String]
    public var limits: SandboxLimits
    /// Wall-clock seconds per test; the first test that runs over it stops the run (later tests count as failed).
    public var secondsPerTest: Double = 2
    /// Bytes of output kept per test.
    public var outputBytesPerTest = 1 << 16

    /// One test's run.
    public struct TestRun: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable { case ok, error, timeout, notRun = "not_run" }
        public var status: Status
        public var output: String
    }

    /// A whole run: the program did not compile, or each test's outcome (`notRun` after a timeout or a crash of
    /// the driver).
    public struct Run: Sendable {
        public var compileError: String?
        public var tests: [TestRun]
        public var fences: SandboxFences
        public var wallMilliseconds: Int
    }

    public init(interpreter: String, readablePaths: [String], limits: SandboxLimits = SandboxLimits()) {
        self.interpreter = interpreter
        self.readablePaths = readablePaths
        self.limits = limits
    }

    /// The system's Python 3: the first real executable among the usual places, or nil.
    public static func system() -> PythonTestRunner? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"] {
            let real = (candidate as NSString).resolvingSymlinksInPath
            guard FileManager.default.isExecutableFile(atPath: real), isBinary(real) else { continue }
            let prefix = ((real as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            var paths = ["/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache"]
            if !paths.contains(where: { prefix == $0 || prefix.hasPrefix($0 + "/") }) { paths.append(prefix) }
            return PythonTestRunner(interpreter: real, readablePaths: paths)
        }
        return nil
    }

    /// An ELF or Mach-O executable, not a script (pyenv's shims are shell scripts that read the environment).
    static func isBinary(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = handle.readData(ofLength: 2)
        return magic.count == 2 && !(magic[0] == 0x23 && magic[1] == 0x21)  // "#!"
    }

    /// The interpreter's version, run inside the sandbox (so this also checks that the sandbox works here).
    public func version() throws(SandboxError) -> (version: String, fences: SandboxFences) {
        let result = try Sandbox.run(
            executable: interpreter, arguments: ["-I", "-S", "-B", "-c", "import sys; print(sys.version.split()[0])"],
            environment: Self.environment, readablePaths: readablePaths, limits: limits)
        let text = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard case .exited(0) = result.outcome, !text.isEmpty else {
            throw SandboxError(stage: "running \(interpreter) (\(String(decoding: result.stderr.prefix(200), as: UTF8.self)))", code: ENOEXEC)
        }
        return (text, result.fences)
    }

    /// The whole environment the program sees.
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "PYTHONHASHSEED": "0"]

    /// Runs `program` on each of `inputs`.
    public func run(program: String, inputs: [String]) throws(SandboxError) -> Run {
        let testFile = try! JSONSerialization.data(withJSONObject: [
            "inputs": inputs, "seconds": secondsPerTest, "cap": outputBytesPerTest,
        ] as [String: Any])
        var limits = limits
        limits.wallMilliseconds = min(limits.wallMilliseconds, Int(secondsPerTest * 1000) * (inputs.count + 1) + 2000)
        limits.outputBytes = outputBytesPerTest * (inputs.count + 1) * 2 + 4096
        let result = try Sandbox.run(
            executable: interpreter, arguments: ["-I", "-S", "-B", "driver.py"],
            files: ["driver.py": Array(Self.driver.utf8), "program.py": Array(program.utf8), "tests.json": Array(testFile)],
            environment: Self.environment, readablePaths: readablePaths, limits: limits)
        let notRun = TestRun(status: .notRun, output: "")
        guard case .exited(0) = result.outcome, !result.stdoutTruncated,
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        else {
            // The driver itself did not finish (the program killed it, or the whole run timed out).
            return Run(compileError: nil, tests: Array(repeating: notRun, count: inputs.count), fences: result.fences,
                       wallMilliseconds: result.wallMilliseconds)
        }
        if let error = object["compile_error"] as? String {
            return Run(compileError: error, tests: Array(repeating: notRun, count: inputs.count), fences: result.fences,
                       wallMilliseconds: result.wallMilliseconds)
        }
        var tests: [TestRun] = (object["results"] as? [[String: Any]] ?? []).prefix(inputs.count).map { item in
            TestRun(status: TestRun.Status(rawValue: item["status"] as? String ?? "") ?? .error, output: item["output"] as? String ?? "")
        }
        while tests.count < inputs.count { tests.append(notRun) }
        return Run(compileError: nil, tests: tests, fences: result.fences, wallMilliseconds: result.wallMilliseconds)
    }

    /// The driver (Fathom's code, run by the sandboxed interpreter).
    static let driver = #"""
import json, os, select, signal, sys, time

def emit(obj):
    data = json.dumps(obj, ensure_ascii=True).encode()
    fd = sys.__stdout__.fileno()
    while data:
        data = data[os.write(fd, data):]

def run(code, data, seconds, cap):
    out_r, out_w = os.pipe()
    in_r, in_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(out_r); os.close(in_w)
            os.dup2(in_r, 0); os.dup2(out_w, 1)
            null = os.open('/dev/null', os.O_WRONLY)
            os.dup2(null, 2)
            os.closerange(3, 4096)
            sys.stdin = open(0, 'r', encoding='utf-8', errors='replace', closefd=False)
            sys.stdout = open(1, 'w', encoding='utf-8', errors='replace', closefd=False)
            sys.stderr = open(2, 'w', closefd=False)
            try:
                exec(code, {'__name__': '__main__', '__builtins__': __builtins__})
                status = 0
            except SystemExit as e:
                status = 0 if e.code in (None, 0) else 1
            sys.stdout.flush()
        except BaseException:
            pass
        os._exit(status)
    os.close(out_w); os.close(in_r)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(in_w, view[:16384]):]
    except OSError:
        pass
    os.close(in_w)
    deadline = time.monotonic() + seconds
    chunks, size, timed_out = [], 0, False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([out_r], [], [], left)
        if not ready:
            continue
        chunk = os.read(out_r, 65536)
        if not chunk:
            break
        if size < cap:
            chunks.append(chunk[:cap - size])
        size += len(chunk)
    if timed_out:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os.close(out_r)
    _, status = os.waitpid(pid, 0)
    output = b''.join(chunks).decode('utf-8', 'replace')
    if timed_out:
        return {'status': 'timeout', 'output': output}
    ok = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return {'status': 'ok' if ok else 'error', 'output': output}

def main():
    with open('tests.json', 'rb') as f:
        tests = json.loads(f.read().decode())
    try:
        with open('program.py', 'rb') as f:
            code = compile(f.read(), 'program.py', 'exec')
    except BaseException as e:
        emit({'compile_error': (type(e).__name__ + ': ' + str(e))[:300]})
        return
    results = []
    for data in tests['inputs']:
        result = run(code, data.encode(), tests['seconds'], tests['cap'])
        results.append(result)
        if result['status'] == 'timeout':
            break
    emit({'results': results})

main()
"""#
}
