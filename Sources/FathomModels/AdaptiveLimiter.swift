import Foundation

/// Limits requests in flight. Fixed, or adaptive (AIMD): it starts at the server's slot count, halves on a 429
/// (and holds off growing for the Retry-After time, at least 5 s), and grows by one after `limit` successes in a
/// row. Every change is kept with its time and reason for run.json.
public actor AdaptiveLimiter {
    public struct Change: Codable, Sendable, Hashable {
        public var atSeconds: Double
        public var limit: Int
        public var reason: String
        enum CodingKeys: String, CodingKey { case atSeconds = "t_s", limit, reason }
    }

    public let adaptive: Bool
    public let minimum: Int
    public let maximum: Int
    public private(set) var limit: Int
    public private(set) var history: [Change] = []
    private var inFlight = 0
    private var successesSinceChange = 0
    private var growthBlockedUntil: ContinuousClock.Instant
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let started = ContinuousClock.now

    /// A fixed limit.
    public init(fixed: Int) {
        adaptive = false
        minimum = fixed
        maximum = fixed
        limit = fixed
        growthBlockedUntil = started
        history = [Change(atSeconds: 0, limit: fixed, reason: "fixed")]
    }

    /// An adaptive limit starting at `start` within `minimum...maximum`.
    public init(start: Int, minimum: Int = 1, maximum: Int) {
        adaptive = true
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        limit = min(max(start, self.minimum), self.maximum)
        growthBlockedUntil = started
        history = [Change(atSeconds: 0, limit: limit, reason: "start")]
    }

    /// Waits for a free slot.
    public func acquire() async {
        if inFlight < limit {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Frees a slot and adapts to how the request went.
    public func release(rateLimited: Bool, succeeded: Bool, retryAfterSeconds: Double? = nil) {
        inFlight -= 1
        if adaptive {
            if rateLimited {
                let lowered = max(minimum, limit / 2)
                growthBlockedUntil = .now + .milliseconds(Int(max(5, retryAfterSeconds ?? 0) * 1000))
                successesSinceChange = 0
                if lowered != limit { record(lowered, "429") }
            } else if succeeded {
                successesSinceChange += 1
                if successesSinceChange >= limit, limit < maximum, ContinuousClock.now >= growthBlockedUntil {
                    successesSinceChange = 0
                    record(limit + 1, "grow")
                }
            }
        }
        while inFlight < limit, !waiters.isEmpty {
            inFlight += 1
            waiters.removeFirst().resume()
        }
    }

    private func record(_ newLimit: Int, _ reason: String) {
        limit = newLimit
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        history.append(Change(atSeconds: (seconds * 1000).rounded() / 1000, limit: newLimit, reason: reason))
    }
}
