import FathomRank
import Foundation

extension Page {
    /// Named capability probes: per probe, each model's selected samples and comparisons and its rank by every method
    /// on those samples alone, with Kendall tau-b against the ranking on all samples in the footer.
    static func probesSection(_ board: Leaderboard, modelOrder: [String]) -> String {
        guard let probes = board.probes, !probes.isEmpty else { return "" }
        let e = Escape.html
        var h = "<h2 id=\"probes\">Capability probes</h2>\n"
        h += "<p class=\"sub\">Models ranked on a slice of the samples only (after ONEBench), by every method. τ: Kendall tau-b against the ranking on all samples. "
        h += "† not identifiable at alpha = 0: ranks are within strongly connected components of the slice's beats graph.</p>\n"
        for probe in probes {
            let first = probe.results.compactMap(\.result).first
            let bt = probe.results.first { $0.method == RankMethod.bradleyTerry.rawValue }?.result
            h += "<h3 class=\"probe-name\">\(e(probe.name))</h3>\n<p class=\"sub\"><code>\(e(probe.filter))</code> · \(probe.selectedSamples) samples"
            if let bt { h += " · " + (bt.identifiable ? "identifies a ranking" : "<span class=\"warn\">does not identify a ranking (\(bt.components.count) components)</span>") }
            h += "</p>\n<table class=\"sortable probe-table\" data-probe=\"\(e(probe.name))\"><thead><tr><th class=\"name\">Model</th><th>Samples</th><th>Comparisons</th>"
            for m in methods { h += "<th title=\"rank by \(e(m)) on the probe's samples\">\(e(shortName(m)))</th>" }
            h += "</tr></thead><tbody>\n"
            let models = modelOrder.filter { first?.samplesPerModel[$0] != nil }
            for model in models {
                let samples = first?.samplesPerModel[model] ?? 0, comparisons = first?.comparisonsPerModel[model] ?? 0
                h += "<tr><td class=\"model\">\(e(model))</td><td data-v=\"\(samples)\">\(samples)</td><td data-v=\"\(String(format: "%.1f", comparisons))\">\(String(format: "%.0f", comparisons))</td>"
                for m in methods {
                    let entry = probe.results.first { $0.method == m }
                    guard let result = entry?.result, let row = result.ranking.ranking.first(where: { $0.model == model }) else {
                        h += "<td data-v=\"\" title=\"\(e(entry?.error ?? "no selected sample"))\">–</td>"
                        continue
                    }
                    let perComponent = result.ranking.diagnostics["comparableAcrossComponents"] == .bool(false)
                    h += "<td data-v=\"\(row.rank)\" title=\"\(e("\(m): score \(String(format: "%.4f", row.score))"))\">\(row.rank)\(perComponent ? "†" : "")</td>"
                }
                h += "</tr>\n"
            }
            h += "</tbody><tfoot><tr class=\"probe-tau\"><td class=\"name\">τ vs all</td><td></td><td></td>"
            for m in methods {
                let tau = probe.results.first { $0.method == m }?.result?.kendallTauB
                h += "<td>\(tau.map { String(format: "%.2f", $0) } ?? "–")</td>"
            }
            h += "</tr></tfoot></table>\n"
        }
        return h
    }
}
