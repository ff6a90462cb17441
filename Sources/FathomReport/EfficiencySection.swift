import FathomCore
import FathomRun
import Foundation

/// How fast the model answered at each length: median latency, time to first token, wait for a free server slot,
/// and prefill and decode tokens per second (from the server's timings, or a streamed answer's first token).
public enum EfficiencySection: ReportSection {
    public static func lines(for manifest: RunManifest) -> [String] {
        guard !manifest.efficiency.isEmpty else { return [] }
        func number(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "-" }
        var lines = ["efficiency (medians per length): " + Format.pad("n", 5, right: true) + Format.pad("latency ms", 12, right: true)
            + Format.pad("ttft ms", 10, right: true) + Format.pad("queue ms", 10, right: true) + Format.pad("prefill tok/s", 15, right: true)
            + Format.pad("decode tok/s", 14, right: true)]
        for e in manifest.efficiency {
            lines.append(
                Format.pad("  " + ContextLength.format(e.length), 33) + Format.pad(String(e.n), 5, right: true)
                    + Format.pad(number(e.latencyMs, "%.0f"), 12, right: true) + Format.pad(number(e.ttftMs, "%.0f"), 10, right: true)
                    + Format.pad(number(e.queueMs, "%.0f"), 10, right: true) + Format.pad(number(e.prefillTokensPerSecond, "%.1f"), 15, right: true)
                    + Format.pad(number(e.decodeTokensPerSecond, "%.1f"), 14, right: true))
        }
        return lines
    }
}
