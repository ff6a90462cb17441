#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FathomCore
import Foundation

/// Why talking to a plugin process failed. Every case ends the process (its stream can no longer be trusted).
struct ExecFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One running plugin process: stdin and stdout are pipes carrying JSON lines, stderr goes to a log file (never into
/// the protocol). Reads and writes wait at most until a deadline; a line longer than `maxLineBytes` is refused. The
/// process runs in its own process group, so killing it also kills anything it started.
final class ExecProcess {
    let pid: pid_t
    let logPath: String
    let maxLineBytes: Int
    private var input: Int32
    private var output: Int32
    private let pending = ReadBuffer()
    private var searched = 0
    private(set) var exited = false

    /// Starts `command` (looked up on PATH unless it holds a slash) in `directory`, stderr appended to `logPath`.
    init(command: [String], directory: String?, logPath: String, maxLineBytes: Int) throws {
        guard let program = command.first, !program.isEmpty else { throw ExecFailure(message: "the command is empty") }
        self.logPath = logPath
        self.maxLineBytes = maxLineBytes
        _ = ExecProcess.ignoreBrokenPipes
        try? FileManager.default.createDirectory(
            atPath: (logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw ExecFailure(message: "cannot open the plugin's log \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard Self.makePipe(&toChild), Self.makePipe(&fromChild) else {
            throw ExecFailure(message: "cannot create pipes: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        var argvCommand = command
        if let directory {
            if let addChdir = Self.addChdir {
                _ = addChdir(&actions, directory)
            } else {
                // No posix_spawn_file_actions_addchdir_np (old libc): let a shell change folder, then exec the command.
                argvCommand = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + command
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        var environment = ProcessInfo.processInfo.environment
        environment["FATHOM_EXEC_PROTOCOL"] = String(ExecSchema.protocolVersion)
        let argv = argvCommand.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, argvCommand[0], &actions, &attributes, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            let place = directory.map { " in \($0)" } ?? ""
            throw ExecFailure(message: "cannot start \(command.joined(separator: " "))\(place): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        input = toChild[1]
        output = fromChild[0]
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        ExecProcessTable.shared.add(pid)
    }

    deinit { kill() }

    /// A pipe whose ends close on exec (the child gets its copies through dup2 only).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+, macOS 10.15+), looked up at run time: Swift's Glibc
    /// module does not declare it.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// Writing to a plugin that has exited must be an error, not a SIGPIPE that ends Fathom.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Milliseconds left until `deadline` (at least 0), for poll.
    private static func milliseconds(until deadline: DispatchTime) -> Int32 {
        let now = DispatchTime.now().uptimeNanoseconds
        guard deadline.uptimeNanoseconds > now else { return 0 }
        return Int32(min(UInt64(Int32.max), (deadline.uptimeNanoseconds - now + 999_999) / 1_000_000))
    }

    /// Writes `line` and a newline, waiting at most until `deadline` for the plugin to read it.
    func write(_ line: Data, deadline: DispatchTime, timeout: Double) throws {
        var bytes = [UInt8](line)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            var poller = pollfd(fd: input, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Self.milliseconds(until: deadline))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { throw ExecFailure(message: "the plugin did not read its input within \(Self.seconds(timeout))") }
            let written = bytes.withUnsafeBytes { raw in Glibc_write(input, raw.baseAddress! + offset, raw.count - offset) }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw ExecFailure(message: "the plugin closed its input (\(String(cString: strerror(errno))))\(exitNote())")
            }
            offset += written
        }
    }

    /// The next line the plugin writes (without its newline), waiting at most until `deadline`. Reads go straight
    /// into `pending` (no per-byte work, so a 50 MB line is refused quickly even in a debug build).
    func readLine(deadline: DispatchTime, timeout: Double) throws -> Data {
        while true {
            if let line = pending.takeLine(searchingFrom: searched) {
                searched = 0
                return line
            }
            searched = pending.count
            if pending.count > maxLineBytes {
                throw ExecFailure(message: "the plugin wrote a line longer than \(maxLineBytes / (1 << 20)) MiB (the protocol's limit)")
            }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Self.milliseconds(until: deadline))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 {
                throw ExecFailure(
                    message: "no reply from the plugin within \(Self.seconds(timeout)) (a hang? a line written without a newline, or not flushed?)")
            }
            let count = pending.read(from: output, upTo: 1 << 20)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ExecFailure(message: "cannot read from the plugin: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                let rest = pending.count == 0 ? "" : " after writing \(pending.count) bytes without a newline"
                throw ExecFailure(message: "the plugin closed its output\(rest)\(exitNote(wait: 1))")
            }
        }
    }

    /// ` (exit status N)` or ` (killed by signal N)` once the process has ended (waiting up to `wait` seconds).
    private func exitNote(wait: Double = 0.2) -> String {
        let deadline = Date().addingTimeInterval(wait)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                exited = true
                ExecProcessTable.shared.remove(pid)
                let signal = status & 0x7f
                return signal == 0 ? " (it exited with status \((status >> 8) & 0xff))" : " (it was killed by signal \(signal))"
            }
            if result < 0 || Date() > deadline { return "" }
            usleep(10_000)
        }
    }

    /// Closes the plugin's input (asking it to exit), waits up to `grace` seconds, then kills it.
    func finish(grace: Double = 2) {
        guard !exited else { return }
        if input >= 0 {
            close(input)
            input = -1
        }
        let deadline = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                break
            }
            usleep(5_000)
        }
        kill()
    }

    /// Kills the process group at once and reaps it.
    func kill() {
        if !exited {
            _ = Glibc_kill(-pid, SIGKILL)
            _ = Glibc_kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            exited = true
        }
        ExecProcessTable.shared.remove(pid)
        if input >= 0 { close(input); input = -1 }
        if output >= 0 { close(output); output = -1 }
    }

    /// The last lines of the plugin's stderr log, for error messages.
    func stderrTail(bytes: Int = 1200) -> String {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// Process-wide list of live plugin processes, killed when Fathom exits (a plugin that ignores the end of its input
/// must not outlive the run).
final class ExecProcessTable: @unchecked Sendable {
    static let shared = ExecProcessTable()
    private let lock = NSLock()
    private var pids: Set<pid_t> = []
    private var installed = false

    func add(_ pid: pid_t) {
        lock.withLock {
            pids.insert(pid)
            if !installed {
                installed = true
                atexit { ExecProcessTable.shared.killAll() }
            }
        }
    }

    func remove(_ pid: pid_t) { _ = lock.withLock { pids.remove(pid) } }

    func killAll() {
        for pid in lock.withLock({ pids }) {
            _ = Glibc_kill(-pid, SIGKILL)
            _ = Glibc_kill(pid, SIGKILL)
        }
    }
}

/// Bytes read from a plugin and not yet returned as lines: one malloc'd block, grown by doubling, read into
/// directly.
final class ReadBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Bytes held.
    var count: Int { end - start }

    /// Reads at most `limit` bytes from `fd` into the buffer; returns what `read` returned.
    func read(from fd: Int32, upTo limit: Int) -> Int {
        if capacity - end < limit {
            if start > 0 {
                memmove(storage, storage + start, end - start)
                end -= start
                start = 0
            }
            if capacity - end < limit {
                var grown = capacity
                while grown - end < limit { grown *= 2 }
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                memcpy(bigger, storage, end)
                storage.deallocate()
                storage = bigger
                capacity = grown
            }
        }
        let got = Glibc_read(fd, storage + end, limit)
        if got > 0 { end += got }
        return got
    }

    /// The first line (without its newline) when a newline is held, looking from `offset` bytes in; nil otherwise.
    func takeLine(searchingFrom offset: Int) -> Data? {
        guard start + offset < end, let hit = memchr(storage + start + offset, Int32(UInt8(ascii: "\n")), end - start - offset) else { return nil }
        let newline = hit.assumingMemoryBound(to: UInt8.self) - storage
        let line = Data(bytes: storage + start, count: newline - start)
        start = newline + 1
        if start == end { (start, end) = (0, 0) }
        return line
    }
}

// `write`, `read` and `kill` are shadowed by methods above; these reach the C functions.
@inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
@inline(__always) private func Glibc_kill(_ pid: pid_t, _ signal: Int32) -> Int32 { kill(pid, signal) }
