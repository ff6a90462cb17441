import FathomCore
import Foundation

/// The append-only record of finished samples (`samples.jsonl`), safe against a crash at any moment.
///
/// Each record is one JSON line. Appends are group-committed on a dedicated thread: every record handed to
/// `append` is written and `fsync`ed before `append` returns, so a sample is counted only once it is on disk.
/// Opening an existing journal drops a trailing partial line (a crash mid-write) and rejects corruption elsewhere.
public final class Journal: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let queue = DispatchQueue(label: "fathom.journal")
    private let lock = NSLock()
    private var pending: [(Data, CheckedContinuation<Void, any Error>)] = []
    private var flushScheduled = false

    /// Opens (creating if needed) the journal and returns it with the records already in it.
    public static func open(_ path: String) throws(FathomError) -> (Journal, [SampleRecord]) {
        let records = try recover(path)
        let fd = Foundation.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw FathomError(.io, "cannot open the journal for writing", file: path) }
        return (Journal(path: path, fd: fd), records)
    }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Reads the records of a journal, truncating a partial last line in place.
    public static func recover(_ path: String) throws(FathomError) -> [SampleRecord] {
        try read(path, truncating: true)
    }

    /// The records of every journal of a run folder (`samples.jsonl` and the shards' `samples.I-of-N.jsonl`), in
    /// file order, read without changing them (a partial last line, from a run still going, is skipped).
    public static func records(inRunFolder directory: String) throws(FathomError) -> [SampleRecord] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("samples") && $0.hasSuffix(".jsonl") }.sorted()
        var records: [SampleRecord] = []
        for name in names { records += try read(directory + "/" + name, truncating: false) }
        return records
    }

    /// Reads the records of a journal; with `truncating`, a partial last line is cut from the file.
    static func read(_ path: String, truncating: Bool) throws(FathomError) -> [SampleRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
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
        if truncating, goodEnd < data.endIndex {
            guard truncate(path, off_t(goodEnd - data.startIndex)) == 0 else {
                throw FathomError(.io, "cannot drop the partial last record", file: path)
            }
        }
        return records
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
