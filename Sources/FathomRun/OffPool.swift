import FathomCore
import Foundation

/// CPU-bound or blocking work (synthesis, scoring: SQLite, libxml2, a sandboxed process, a server's tokenize route)
/// runs here, on GCD threads, at most one per core, never on the cooperative pool that HTTP continuations need.
enum OffPool {
    static let slots = DispatchSemaphore(value: max(1, ProcessInfo.processInfo.activeProcessorCount))

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                slots.wait()
                defer { slots.signal() }
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

/// What scoring one answer gave: a score, a scorer that could not score (`score_error`), or a scorer that
/// declined by design (`skipped`). Neither failure is ever a 0.
public enum ScoringOutcome: Sendable {
    case scored(Score)
    case failed(String)
    case skipped(String)

    /// Scores off the cooperative pool; a thrown `ScoringSkipped` is `skipped`, any other error `failed`.
    static func of(_ task: any TaskPlugin, _ response: ModelResponse, _ sample: Sample, context: ScoringContext) async -> ScoringOutcome {
        do {
            return .scored(try await OffPool.run { try task.score(response, sample: sample, context: context) })
        } catch let skipped as ScoringSkipped {
            return .skipped(skipped.reason)
        } catch let failure as ScoringFailure {
            return .failed(failure.reason)
        } catch {
            return .failed(String(describing: error))
        }
    }
}
