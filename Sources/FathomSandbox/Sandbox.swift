import CSandbox
import Foundation

/// Limits of one sandboxed run.
public struct SandboxLimits: Sendable, Hashable {
    /// CPU seconds of each process (RLIMIT_CPU).
    public var cpuSeconds = 10
    /// Address space of each process, bytes (RLIMIT_AS).
    public var memoryBytes = 512 << 20
    /// Processes inside the sandbox (RLIMIT_NPROC, counted in its own user namespace).
    public var processes = 16
    /// Largest file the program may write, bytes (RLIMIT_FSIZE).
    public var fileSizeBytes = 16 << 20
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles = 64
    /// The whole run (every process in it) is killed after this many milliseconds.
    public var wallMilliseconds = 15_000
    /// Bytes of stdout (and of stderr) kept; the rest is read and dropped.
    public var outputBytes = 1 << 20

    public init() {}
}

/// What the kernel enforced for a run. The sandbox always needs the seccomp filter; the other fences are used
/// whenever this system offers them, and a run records which it had.
public struct SandboxFences: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let userNamespace = SandboxFences(rawValue: Int32(FATHOM_FENCE_USERNS))
    public static let networkNamespace = SandboxFences(rawValue: Int32(FATHOM_FENCE_NETNS))
    public static let pidNamespace = SandboxFences(rawValue: Int32(FATHOM_FENCE_PIDNS))
    public static let ipcNamespace = SandboxFences(rawValue: Int32(FATHOM_FENCE_IPCNS))
    public static let landlockFilesystem = SandboxFences(rawValue: Int32(FATHOM_FENCE_LANDLOCK_FS))
    public static let landlockNetwork = SandboxFences(rawValue: Int32(FATHOM_FENCE_LANDLOCK_NET))
    public static let landlockScope = SandboxFences(rawValue: Int32(FATHOM_FENCE_LANDLOCK_SCOPE))
    public static let seccomp = SandboxFences(rawValue: Int32(FATHOM_FENCE_SECCOMP))
    public static let processLimit = SandboxFences(rawValue: Int32(FATHOM_FENCE_NPROC))
    public static let droppedRoot = SandboxFences(rawValue: Int32(FATHOM_FENCE_DROPPED_ROOT))

    static let names: [(SandboxFences, String)] = [
        (.userNamespace, "userns"), (.networkNamespace, "netns"), (.pidNamespace, "pidns"), (.ipcNamespace, "ipcns"),
        (.landlockFilesystem, "landlock-fs"), (.landlockNetwork, "landlock-net"), (.landlockScope, "landlock-scope"),
        (.seccomp, "seccomp"), (.processLimit, "nproc"), (.droppedRoot, "dropped-root"),
    ]

    /// `userns+netns+…`, in a fixed order.
    public var description: String { Self.names.filter { contains($0.0) }.map { $0.1 }.joined(separator: "+") }
}

/// How a sandboxed program ended.
public enum SandboxOutcome: Sendable, Hashable {
    case exited(Int32)
    case signaled(Int32)
    /// Killed by the wall-clock limit.
    case timedOut
}

/// A finished sandboxed run.
public struct SandboxResult: Sendable {
    public var outcome: SandboxOutcome
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var stdoutTruncated: Bool
    public var fences: SandboxFences
    public var wallMilliseconds: Int
    public var cpuMilliseconds: Int
}

/// The sandbox could not start the program (not the program's fault): a missing kernel feature, a full disk.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    public var stage: String
    public var code: Int32
    public var description: String { "the sandbox failed at \(stage): \(String(cString: strerror(code)))" }
}

/// Runs programs in a throwaway sandbox: on Linux, fresh user, network, IPC and PID namespaces (so no network and
/// no process outlives the run), Landlock (writes only in a fresh temporary directory, reads only beneath the
/// listed paths, no TCP, no signals to outside processes), a seccomp filter (Unix sockets only; no namespace,
/// mount, ptrace, bpf or io_uring calls), rlimits on CPU, memory, processes, file size and open files, a
/// wall-clock kill and an environment of only what the caller passes. When started as root the program runs as
/// `nobody`. Landlock, seccomp, a PID namespace and a process limit are required: a kernel or container without
/// them refuses to run programs (`SandboxError`, before anything runs; see `unavailable`). The network, IPC and
/// user namespaces are used where the kernel allows them, and `SandboxResult.fences` records what was enforced.
public enum Sandbox {
    /// Runs `executable` with `arguments` in a fresh directory holding `files`, with `stdin` as its input.
    public static func run(
        executable: String, arguments: [String], files: [String: [UInt8]] = [:], stdin: [UInt8] = [],
        environment: [String: String] = [:], readablePaths: [String], limits: SandboxLimits = SandboxLimits()
    ) throws(SandboxError) -> SandboxResult {
        try run(
            executable: executable, arguments: arguments, files: files, stdin: stdin, environment: environment,
            readablePaths: readablePaths, limits: limits, namespaces: true)
    }

    /// Why this machine cannot run sandboxed programs (found once, by running `true` in the sandbox), or nil when
    /// it can. Callers that run model code report it as a clear refusal, never as a wrong answer.
    public static let unavailable: SandboxError? = {
        let executable = ["/usr/bin/true", "/bin/true"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/bin/true"
        let result: SandboxResult
        do throws(SandboxError) {
            result = try run(executable: executable, arguments: [], readablePaths: ["/usr", "/lib", "/lib64", "/bin"])
        } catch {
            return error
        }
        guard case .exited(0) = result.outcome else { return SandboxError(stage: "running \(executable)", code: ENOEXEC) }
        return nil
    }()

    /// `namespaces: false` behaves as on a kernel that allows no user namespaces (tests of the refusal).
    static func run(
        executable: String, arguments: [String], files: [String: [UInt8]] = [:], stdin: [UInt8] = [],
        environment: [String: String] = [:], readablePaths: [String], limits: SandboxLimits = SandboxLimits(), namespaces: Bool
    ) throws(SandboxError) -> SandboxResult {
        var template = Array((NSTemporaryDirectory() + "/fathom-sandbox-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SandboxError(stage: "the working directory", code: errno)
        }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, bytes) in files {
            guard !name.contains("/"), FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes)) else {
                throw SandboxError(stage: "writing \(name)", code: EINVAL)
            }
        }
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var out = [UInt8](repeating: 0, count: limits.outputBytes)
        var err = [UInt8](repeating: 0, count: min(limits.outputBytes, 1 << 16))
        var result = fathom_sandbox_result()
        let status: Int32 = withCStrings([executable] + arguments) { argv in
            withCStrings(env) { envp in
                withCStrings(readablePaths) { reads in
                    executable.withCString { exe in
                        directory.withCString { dir in
                            var spec = fathom_sandbox_spec()
                            spec.executable = exe
                            spec.argv = UnsafePointer(argv)
                            spec.envp = UnsafePointer(envp)
                            spec.workdir = dir
                            spec.read_paths = UnsafeRawPointer(reads).assumingMemoryBound(to: UnsafePointer<CChar>?.self)
                            spec.require_landlock = 1
                            spec.skip_namespaces = namespaces ? 0 : 1
                            spec.unprivileged_uid = 65534
                            spec.unprivileged_gid = 65534
                            spec.limits = fathom_sandbox_limits(
                                cpu_seconds: limits.cpuSeconds, address_space: limits.memoryBytes, processes: limits.processes,
                                file_size: limits.fileSizeBytes, open_files: limits.openFiles, wall_ms: limits.wallMilliseconds)
                            return stdin.withUnsafeBufferPointer { input in
                                out.withUnsafeMutableBufferPointer { o in
                                    err.withUnsafeMutableBufferPointer { e in
                                        input.withMemoryRebound(to: CChar.self) { i in
                                            o.withMemoryRebound(to: CChar.self) { ob in
                                                e.withMemoryRebound(to: CChar.self) { eb in
                                                    fathom_sandbox_run(
                                                        &spec, i.baseAddress, i.count, ob.baseAddress, ob.count, eb.baseAddress, eb.count,
                                                        &result)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if status != 0 || result.setup_stage != 0 {
            throw SandboxError(stage: stageName(result.setup_stage), code: result.setup_errno)
        }
        let outcome: SandboxOutcome =
            result.timed_out != 0 ? .timedOut : result.exited != 0 ? .exited(result.exit_code) : .signaled(result.term_signal)
        return SandboxResult(
            outcome: outcome, stdout: Array(out.prefix(result.stdout_len)), stderr: Array(err.prefix(result.stderr_len)),
            stdoutTruncated: result.stdout_truncated != 0, fences: SandboxFences(rawValue: result.fences),
            wallMilliseconds: result.wall_ms, cpuMilliseconds: result.cpu_ms)
    }

    /// The Landlock ABI the kernel offers (0: none, and the sandbox cannot run programs).
    public static var landlockABI: Int { Int(fathom_sandbox_landlock_abi()) }

    static func stageName(_ stage: Int32) -> String {
        switch Int(stage) {
        case FATHOM_STAGE_PIPES: "creating pipes"
        case FATHOM_STAGE_FORK: "fork"
        case FATHOM_STAGE_DROP_ROOT: "dropping root"
        case FATHOM_STAGE_RLIMIT: "setting limits"
        case FATHOM_STAGE_FORK_INIT: "starting the namespace's init"
        case FATHOM_STAGE_CHDIR: "entering the working directory"
        case FATHOM_STAGE_LANDLOCK: "Landlock (this kernel cannot confine the filesystem)"
        case FATHOM_STAGE_SECCOMP: "installing the seccomp filter"
        case FATHOM_STAGE_EXEC: "executing the program"
        case FATHOM_STAGE_CONTAIN: "confining processes (no PID namespace or process limit: this kernel or container allows no user namespaces)"
        default: "stage \(stage)"
        }
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
