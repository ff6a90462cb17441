import FathomCore
import Foundation

/// The lock that keeps one writer per journal: an exclusive `flock` on `<journal>.lock`, taken before the journal is
/// read or repaired and held until the writer closes it or exits.
///
/// The kernel drops the lock when its process dies however it dies (SIGKILL, a crash, a node losing power), so a lock
/// left by a killed run never blocks the next one; the file itself stays and means nothing without the lock. While
/// held, the file names its holder (pid, host, start time, command) so that a refused writer can say who has it.
/// `O_CLOEXEC` keeps the lock out of child processes such as a local inference server, which may outlive the run.
final class JournalLock: @unchecked Sendable {
    /// Who holds a lock, as written into the lock file.
    struct Holder: Codable {
        var pid: Int32
        var host: String
        var started: String
        var command: String
    }

    let path: String
    private let mutex = NSLock()
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Takes the lock of the journal at `journal`, or throws at once (never waits) naming the process that holds it.
    static func acquire(journal: String) throws(FathomError) -> JournalLock {
        let path = journal + ".lock"
        let fd = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FathomError(.io, "cannot open the journal's lock file (errno \(errno))", file: path) }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        if result != 0 {
            let failure = errno
            let holder = describe(readHolder(fd))
            Foundation.close(fd)
            guard failure == EWOULDBLOCK else { throw FathomError(.io, "cannot lock the journal (errno \(failure))", file: path) }
            throw FathomError(
                .journal,
                "another fathom run is writing this journal: \(holder). Two writers would run every sample twice, so this one "
                    + "stops; wait for that run or stop it (its lock goes when it exits, even if it is killed).",
                file: journal)
        }
        let lock = JournalLock(path: path, fd: fd)
        lock.write(Holder(pid: getpid(), host: hostName(), started: timestamp(), command: CommandLine.arguments.joined(separator: " ")))
        return lock
    }

    /// Whether a live process holds the lock of the journal at `journal` (probed without waiting, then released).
    static func isHeld(journal: String) -> Bool {
        let fd = Foundation.open(journal + ".lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Foundation.close(fd) }
        var result: Int32
        repeat { result = flock(fd, LOCK_SH | LOCK_NB) } while result != 0 && errno == EINTR
        if result != 0 { return errno == EWOULDBLOCK }
        _ = flock(fd, LOCK_UN)
        return false
    }

    /// Clears the holder's name and drops the lock (idempotent).
    func release() {
        mutex.withLock {
            guard fd >= 0 else { return }
            _ = ftruncate(fd, 0)
            Foundation.close(fd)
            fd = -1
        }
    }

    private func write(_ holder: Holder) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var bytes = try? encoder.encode(holder) else { return }
        bytes.append(0x0a)
        mutex.withLock {
            _ = ftruncate(fd, 0)
            _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
        }
    }

    private static func readHolder(_ fd: Int32) -> Holder? {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = pread(fd, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: Data(bytes[..<count]))
    }

    static func describe(_ holder: Holder?) -> String {
        guard let holder else { return "a process that has not written its name into the lock file yet" }
        return "pid \(holder.pid) on host \(holder.host) since \(holder.started) (\(holder.command))"
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
