import Foundation

/// Progress on stderr: a redrawn line on a terminal (at most 10 times a second), plain lines otherwise
/// (every 10 seconds and at the end). Shows done/total, rate, ETA and failures.
public final class Progress: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private let isTerminal: Bool
    private let lock = NSLock()
    private var done = 0
    private var failed = 0
    private let started = Date()
    private var lastDraw = Date.distantPast

    public init(label: String, total: Int, enabled: Bool = true) {
        self.label = label
        self.total = total
        self.enabled = enabled && total > 0
        self.isTerminal = isatty(2) != 0
    }

    public func advance(failed isFailure: Bool) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if isFailure { failed += 1 }
        guard enabled else { return }
        let now = Date()
        if isTerminal {
            if now.timeIntervalSince(lastDraw) >= 0.1 || done == total {
                lastDraw = now
                FileHandle.standardError.write(Data(("\r\u{1b}[2K" + line(now)).utf8))
            }
        } else if now.timeIntervalSince(lastDraw) >= 10 || done == total {
            lastDraw = now
            FileHandle.standardError.write(Data((line(now) + "\n").utf8))
        }
    }

    public func finish() {
        guard enabled, isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func line(_ now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(started), 1e-6)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        var text = "\(label): \(done)/\(total) samples, \(String(format: "%.1f", rate))/s, ETA \(Self.duration(remaining))"
        if failed > 0 { text += ", \(failed) failed" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
