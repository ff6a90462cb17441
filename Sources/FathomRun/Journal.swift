import FathomCore
import Foundation

/// The append-only record of finished samples (`samples.jsonl`), safe against a crash at any moment.
///
/// Each record is one JSON line. Appends are group-committed on a dedicated thread: every record handed to
/// `append` is written and `fsync`ed before `append` returns, so a sample is counted only once it is on disk.
/// Opening an existing journal drops a trailing partial line (a crash mid-write) and rejects corruption elsewhere.
///
/// A journal has one writer: `open` takes the journal's lock (`JournalLock`) first and throws at once, naming the
/// holder, when another process has it. Readers (`read`) take no lock and change nothing.
public final class Journal: @unchecked Sendable {
    public let path: String
    private var fd: Int32
    private let writerLock: JournalLock
    private let queue = DispatchQueue(label: "fathom.journal")
    private let lock = NSLock()
    private var pending: [(Data, CheckedContinuation<Void, any Error>)] = []
    private var flushScheduled = false

    /// Takes the journal's lock, then opens (creating if needed) the journal and returns it with the records already in
    /// it. Throws a `.journal` error naming the holder when another process writes this journal.
    public static func open(_ path: String) throws(FathomError) -> (Journal, [SampleRecord]) {
        let writerLock = try JournalLock.acquire(journal: path)
        let records = try recover(path)
        let fd = Foundation.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw FathomError(.io, "cannot open the journal for writing", file: path) }
        return (Journal(path: path, fd: fd, writerLock: writerLock), records)
    }

    private init(path: String, fd: Int32, writerLock: JournalLock) {
        self.path = path
        self.fd = fd
        self.writerLock = writerLock
    }

    /// No flush can be running: each holds the journal. (Not `close()`: the last release may happen on the queue.)
    deinit {
        if fd >= 0 { Foundation.close(fd) }
        writerLock.release()
    }

    /// Closes the journal and releases its lock once pending writes are on disk (idempotent; also on deinit).
    public func close() {
        queue.sync {
            if fd >= 0 { Foundation.close(fd) }
            fd = -1
        }
        writerLock.release()
    }

    /// The records of a journal, for readers: a partial last line (a crash mid-write, or a write in progress in
    /// another process) is left out but left in place. Corruption before the last line is an error naming the line.
    public static func read(_ path: String) throws(FathomError) -> [SampleRecord] {
        try scan(path).records
    }

    /// Reads the records of a journal, truncating a partial last line in place. Only a journal's writer, holding its
    /// lock, may do this (`open` does); anyone else reads with `read`.
    public static func recover(_ path: String) throws(FathomError) -> [SampleRecord] {
        let (records, goodEnd, size) = try scan(path)
        if goodEnd < size {
            guard truncate(path, off_t(goodEnd)) == 0 else {
                throw FathomError(.io, "cannot drop the partial last record", file: path)
            }
        }
        return records
    }

    /// The records, the byte length of the whole lines, and the file size.
    private static func scan(_ path: String) throws(FathomError) -> (records: [SampleRecord], goodEnd: Int, size: Int) {
        guard let data = FileManager.default.contents(atPath: path) else { return ([], 0, 0) }
        var records: [SampleRecord] = []
        let decoder = JSONDecoder()
        var lineStart = data.startIndex
        var lineNumber = 0
        var goodEnd = data.startIndex
        while lineStart < data.endIndex {
            guard let newline = data[lineStart...].firstIndex(of: 0x0a) else { break }  // partial last line
            lineNumber += 1
            let line = data[lineStart..<newline]
            if !line.isEmpty {
                do {
                    records.append(try decoder.decode(SampleRecord.self, from: line))
                } catch {
                    if newline + 1 < data.endIndex {
                        throw FathomError(.journal, "line \(lineNumber) is not a sample record (\(error)); fix or remove the line", file: path)
                    }
                    break  // a garbled final line from a crash: drop it
                }
            }
            goodEnd = newline + 1
            lineStart = newline + 1
        }
        return (records, goodEnd - data.startIndex, data.count)
    }

    /// Appends a record and returns once it is durable.
    public func append(_ record: SampleRecord) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(record)
        line.append(0x0a)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            lock.lock()
            pending.append((line, continuation))
            let schedule = !flushScheduled
            flushScheduled = true
            lock.unlock()
            if schedule { queue.async { self.flush() } }
        }
    }

    /// Writes everything pending with one write and one fsync, then resumes the waiters.
    private func flush() {
        lock.lock()
        let batch = pending
        pending.removeAll()
        flushScheduled = false
        lock.unlock()
        guard !batch.isEmpty else { return }
        guard fd >= 0 else {
            for (_, continuation) in batch { continuation.resume(throwing: FathomError(.io, "the journal is closed", file: path)) }
            return
        }
        var bytes = Data()
        for (line, _) in batch { bytes.append(line) }
        var failure: (any Error)? = nil
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = FathomError(.io, "cannot write the journal (errno \(errno))", file: path)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = FathomError(.io, "cannot fsync the journal (errno \(errno))", file: path) }
        for (_, continuation) in batch {
            if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
        }
    }
}
