import FathomCore
import FathomRank
import Foundation

/// Renders `index.html`: a static page (no server, no network, no external assets) with the leaderboard JSON
/// embedded inline, sortable tables, score-vs-length curves and depth × length heatmaps as inline SVG.
/// Every model, task and suite name is HTML-escaped; the embedded JSON escapes `<`, `>` and `&`.
public enum Page {
    /// Rankings shown as columns of the main table, in this order.
    static let methods = RankMethod.allCases.map(\.rawValue)

    public static func render(_ board: Leaderboard, json: Data, charts: Charts) -> String {
        let e = Escape.html
        var h = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Fathom leaderboard</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 24px; color: #222; max-width: 1200px; }
        h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 15px; } .sub { color: #666; font-size: 13px; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
        th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 10px; text-align: right; white-space: nowrap; }
        th { background: #f5f6f8; cursor: pointer; user-select: none; } th.asc::after { content: " \\25B2"; } th.desc::after { content: " \\25BC"; }
        td.name, th.name { text-align: left; } td.model { font-weight: 600; text-align: left; }
        tr:hover td { background: #fafbff; } .partial { color: #b35900; } .warn { color: #b35900; font-size: 12px; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; } .charts svg { border: 1px solid #eee; }
        pre { background: #f7f7f7; padding: 8px; font-size: 11px; max-height: 240px; overflow: auto; }
        select { font-size: 13px; margin-right: 12px; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; }
        </style>
        </head>
        <body>
        <h1>Fathom leaderboard</h1>

        """
        let partialRuns = board.runs.filter(\.partial).count
        h += "<p class=\"sub\">\(board.models.count) models · \(board.suites.count) suites · \(board.runs.count) runs"
        h += partialRuns > 0 ? " · <span class=\"partial\">\(partialRuns) partial</span>" : ""
        h += " · rankings at \(e(board.settings.level)) level, ties \(e(board.settings.tiePolicy)), alpha \(board.settings.alpha), \(board.settings.bootstrap) bootstrap replicates (seed \(board.settings.seed)). Scores ×100. Failed samples are not measured, never 0.</p>\n"

        // Main table.
        let all = Dictionary(uniqueKeysWithValues: board.rankings.filter { $0.scope == "all" }.map { ($0.method, $0) })
        let meanOrder = all["mean"]?.result?.order ?? []
        let modelOrder = meanOrder + board.models.map(\.name).filter { !meanOrder.contains($0) }
        let colors = Dictionary(uniqueKeysWithValues: board.models.enumerated().map { ($1.name, SVG.palette[$0 % SVG.palette.count]) })
        h += "<h2 id=\"leaderboard\">Leaderboard</h2>\n<p class=\"sub\">Click a column to sort. Mean: the mean of per-suite scores. Mean … Elo: rank over all suites by each method (BT Bradley–Terry, PL Plackett–Luce, RP ranked pairs; hover for the score and interval).</p>\n"
        h += "<div class=\"scroll\"><table class=\"sortable\" id=\"main-table\"><thead><tr><th class=\"name\">Model</th><th class=\"name\">Kind</th>"
        for suite in board.suites { h += "<th>\(e(suite.name)) mean</th>" }
        for suite in board.suites where suite.headline == "effective_length" { h += "<th>\(e(suite.name)) eff. length</th>" }
        for m in methods { h += "<th title=\"rank by \(e(m)) over all suites\">\(e(shortName(m)))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        let modelsByName = Dictionary(uniqueKeysWithValues: board.models.map { ($0.name, $0) })
        for name in modelOrder {
            guard let model = modelsByName[name] else { continue }
            h += "<tr><td class=\"model\"><span class=\"swatch\" style=\"background:\(colors[name]!)\"></span>\(e(name))</td><td class=\"name\">\(e(model.kind))</td>"
            for suite in board.suites {
                let s = model.suites[suite.name]
                let mark = s?.partial == true ? " <span class=\"partial\" title=\"partial run\">(partial)</span>" : ""
                h += "<td data-v=\"\(s?.mean.map { String(format: "%.6f", $0) } ?? "")\">\(s?.mean.map(pct) ?? "–")\(mark)</td>"
            }
            for suite in board.suites where suite.headline == "effective_length" {
                let v = model.suites[suite.name]?.effectiveLength
                h += "<td data-v=\"\(v.map(String.init) ?? "0")\">\(v.map(ContextLength.format) ?? (model.suites[suite.name] == nil ? "–" : "none"))</td>"
            }
            for m in methods {
                if let row = all[m]?.result?.ranking.first(where: { $0.model == name }) {
                    var tip = "\(m): score \(String(format: "%.4f", row.score))"
                    if let ci = row.ci95, ci.count == 2 { tip += " [\(String(format: "%.4f", ci[0])), \(String(format: "%.4f", ci[1]))]" }
                    if let interval = all[m]?.bootstrap?.rankCI95[name] { tip += "; rank 95% \(rankInterval(interval))" }
                    if let fb = all[m]?.fallback { tip += " (\(fb))" }
                    h += "<td data-v=\"\(row.rank)\" title=\"\(e(tip))\">\(row.rank)\(all[m]?.fallback != nil ? "†" : "")</td>"
                } else {
                    h += "<td data-v=\"\" title=\"\(e(all[m]?.error ?? "not ranked"))\">–</td>"
                }
            }
            h += "</tr>\n"
        }
        h += "</tbody></table></div>\n"
        if all.values.contains(where: { $0.fallback != nil }) {
            h += "<p class=\"warn\">† not identifiable at alpha = 0 (a model never loses or never wins): ranks are within strongly connected components only; see the rankings below.</p>\n"
        }

        // Rankings by method.
        h += "<h2 id=\"rankings\">Rankings by method</h2>\n"
        h += "<p><label>Scope <select id=\"scope-select\">"
        for scope in uniqueScopes(board) {
            let label = scope == "all" ? "all suites" : (scope.hasPrefix("suite:") ? String(scope.dropFirst(6)) : scope)
            h += "<option value=\"\(e(scope))\">\(e(label))</option>"
        }
        h += "</select></label><label>Method <select id=\"method-select\">"
        // Default view: Bradley–Terry when it ranks all models cleanly, otherwise Borda.
        let bt = board.rankings.first { $0.scope == "all" && $0.method == "bradley-terry" }
        let defaultMethod = bt?.result != nil && bt?.fallback == nil && bt?.error == nil ? "bradley-terry" : "borda"
        for m in methods { h += "<option value=\"\(e(m))\"\(m == defaultMethod ? " selected" : "")>\(e(m))</option>" }
        h += "</select></label></p>\n"
        let initial = board.rankings.first { $0.scope == "all" && $0.method == defaultMethod }
        h += "<p class=\"warn\" id=\"ranking-note\">\(e(note(initial)))</p>\n"
        h += "<table class=\"sortable\" id=\"ranking-table\"><thead><tr><th>Rank</th><th class=\"name\">Model</th><th>Score</th><th>95% CI</th><th title=\"2.5–97.5% quantiles of the rank over bootstrap replicates\">Rank 95%</th></tr></thead><tbody id=\"ranking-body\">\n"
        for row in initial?.result?.ranking ?? [] {
            h += "<tr><td data-v=\"\(row.rank)\">\(row.rank)</td><td class=\"model\">\(e(row.model))</td><td data-v=\"\(String(format: "%.6f", row.score))\">\(String(format: "%.3f", row.score))</td><td>\(ciText(row.ci95))</td><td>\(rankInterval(initial?.bootstrap?.rankCI95[row.model]))</td></tr>\n"
        }
        h += "</tbody></table>\n<details><summary>Diagnostics</summary><pre id=\"ranking-diagnostics\">\(e(diagnosticsText(initial)))</pre></details>\n"

        h += probesSection(board, modelOrder: modelOrder)

        // Results per suite.
        h += "<h2 id=\"results\">Results by task and length</h2>\n"
        for suite in board.suites {
            h += "<h3>\(e(suite.name))</h3>\n<table class=\"sortable\"><thead><tr><th class=\"name\">Task</th><th class=\"name\">Model</th>"
            for label in suite.lengthLabels { h += "<th>\(e(label))</th>" }
            h += "</tr></thead><tbody>\n"
            let cells = board.results.filter { $0.suite == suite.name }
            var byKey: [String: Leaderboard.Result] = [:]
            for c in cells { byKey["\(c.task)\u{0}\(c.model)\u{0}\(c.length)"] = c }
            for task in suite.tasks {
                for name in modelOrder where board.runs.contains(where: { $0.model == name && $0.suite == suite.name }) {
                    h += "<tr><td class=\"name\">\(e(task))</td><td class=\"model\">\(e(name))</td>"
                    for length in suite.lengths {
                        guard let c = byKey["\(task)\u{0}\(name)\u{0}\(length)"] else { h += "<td data-v=\"\">–</td>"; continue }
                        let failed = c.nError + c.nOverflow + c.nScoreError + c.nSkipped + c.nMissing
                        var tip = "\(c.nOk)/\(c.n) ok"
                        if failed > 0 {
                            tip += ", \(c.nError) error, \(c.nOverflow) overflow, \(c.nScoreError) score_error, \(c.nSkipped) skipped, \(c.nMissing) missing"
                            if let ok = c.scoreOk { tip += "; mean over ok samples \(pct(ok))" }
                        }
                        if let ci = c.ci95, ci.count == 2 { tip += "; 95% CI \(pct(ci[0]))–\(pct(ci[1]))" }
                        let text = (c.score.map(pct) ?? "n/a") + (failed > 0 ? "*" : "")
                        h += "<td data-v=\"\(c.score.map { String(format: "%.6f", $0) } ?? "")\" title=\"\(e(tip))\">\(text)</td>"
                    }
                    h += "</tr>\n"
                }
            }
            h += "</tbody></table>\n"
        }
        h += "<p class=\"sub\">* not every sample was scored: failed samples count as 0, as RULER counts them, so a failure never raises a score; hover a cell for the counts and the mean over ok samples.</p>\n"

        // Curves.
        h += "<h2 id=\"curves\">Score vs length</h2>\n<div class=\"charts\">\n"
        for chart in charts.suiteCurves { h += chart.svg }
        h += "</div>\n"
        if !charts.taskCurves.isEmpty {
            h += "<details><summary>Per task</summary><div class=\"charts\">\n"
            for chart in charts.taskCurves { h += chart.svg }
            h += "</div></details>\n"
        }

        // Results by axis, and speed.
        h += axesSection(board, modelOrder: modelOrder)
        h += efficiencySection(board)

        // Heatmaps.
        h += "<h2 id=\"heatmaps\">Needle depth × length</h2>\n"
        if charts.heatmaps.isEmpty {
            h += "<p class=\"sub\">No depth-grid task in these runs (other tasks' depths are bucketed under Results by axis).</p>\n"
        } else {
            h += "<p class=\"sub\">Tasks with a fixed depth grid: one row per grid depth. Grey: no measured sample.</p>\n<div class=\"charts\">\n"
            for chart in charts.heatmaps { h += chart.svg }
            h += "</div>\n"
        }

        // Runs.
        h += "<h2 id=\"runs\">Runs</h2>\n<table class=\"sortable\"><thead><tr><th class=\"name\">Model</th><th class=\"name\">Suite</th><th class=\"name\">Run id</th><th class=\"name\">Status</th><th class=\"name\">Fathom</th></tr></thead><tbody>\n"
        for run in board.runs {
            h += "<tr><td class=\"model\">\(e(run.model))</td><td class=\"name\">\(e(run.suite))</td><td class=\"name\">\(e(run.runID))</td>"
            h += "<td class=\"name\">\(run.partial ? "<span class=\"partial\">\(e(run.status))\(run.status == "partial" ? "" : " (partial)")</span>" : e(run.status))</td><td class=\"name\">\(e(run.frameworkVersion ?? "-"))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        h += "<p class=\"sub\">Generated by <code>fathom publish</code>. Data: <code>leaderboard.json</code> (schema: <code>schema.json</code>); charts also in <code>svg/</code>.</p>\n"
        h += "<script type=\"application/json\" id=\"leaderboard-data\">\(Escape.scriptJSON(String(decoding: json, as: UTF8.self)))</script>\n"
        h += "<script>\n\(script)</script>\n</body>\n</html>\n"
        return h
    }

    /// No network at all; the only script allowed to run is the page's own, pinned by its SHA-256, so even an
    /// unescaped name could not run a script.
    static var contentSecurityPolicy: String {
        var hasher = SHA256()
        hasher.update(("\n" + script).utf8)
        let hash = Data(hasher.finalize()).base64EncodedString()
        return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(hash)'; img-src data:"
    }

    static func shortName(_ method: String) -> String {
        switch method {
        case "bradley-terry": return "BT"
        case "plackett-luce": return "PL"
        case "ranked-pairs": return "RP"
        default: return method.prefix(1).uppercased() + method.dropFirst()
        }
    }

    static func uniqueScopes(_ board: Leaderboard) -> [String] {
        var seen: [String] = []
        for r in board.rankings where !seen.contains(r.scope) { seen.append(r.scope) }
        return seen
    }

    static func pct(_ v: Double) -> String { String(format: "%.1f", v * 100) }

    static func ciText(_ ci: [Double]?) -> String {
        guard let ci, ci.count == 2 else { return "–" }
        return "[\(String(format: "%.3f", ci[0])), \(String(format: "%.3f", ci[1]))]"
    }

    static func rankInterval(_ interval: [Double]?) -> String {
        guard let interval, interval.count == 2 else { return "–" }
        func f(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
        return interval[0] == interval[1] ? f(interval[0]) : "\(f(interval[0]))–\(f(interval[1]))"
    }

    static func note(_ r: Leaderboard.Ranking?) -> String {
        guard let r else { return "" }
        if let fb = r.fallback { return "Fallback \(fb): \(r.error ?? "")" }
        return r.error ?? ""
    }

    static func diagnosticsText(_ r: Leaderboard.Ranking?) -> String {
        guard let d = r?.result?.diagnostics else { return "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(d)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Sorting and the method switcher. Builds DOM nodes with textContent only (never innerHTML).
    static let script = #"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("leaderboard-data").textContent);
  function key(cell) {
    if (!cell) return "";
    var v = cell.getAttribute("data-v");
    if (v === "") return Infinity;
    if (v !== null && !isNaN(Number(v))) return Number(v);
    return cell.textContent;
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = !th.classList.contains("asc");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.classList.remove("asc", "desc"); });
    th.classList.add(asc ? "asc" : "desc");
    rows.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]), c;
      if (typeof x === "number" && typeof y === "number") c = x === y ? 0 : (x < y ? -1 : 1);
      else c = String(x).localeCompare(String(y));
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener("click", function () { sortBy(table, i, th); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  var scopeSel = document.getElementById("scope-select"), methodSel = document.getElementById("method-select");
  function fmt(x) { return typeof x === "number" ? x.toFixed(3) : "–"; }
  function own(obj, k) { return obj && Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : null; }
  function rankText(iv) {
    if (!iv || iv.length !== 2) return "–";
    var f = function (x) { return Number.isInteger(x) ? String(x) : x.toFixed(1); };
    return iv[0] === iv[1] ? f(iv[0]) : f(iv[0]) + "–" + f(iv[1]);
  }
  function cell(tr, text, v, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (v !== undefined) td.setAttribute("data-v", String(v));
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  function render() {
    var r = null;
    data.rankings.forEach(function (x) { if (x.scope === scopeSel.value && x.method === methodSel.value) r = x; });
    var body = document.getElementById("ranking-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    var note = "";
    if (r && r.fallback) note = "Fallback " + r.fallback + ": " + (r.error || "");
    else if (r && r.error) note = r.error;
    document.getElementById("ranking-note").textContent = note;
    document.getElementById("ranking-diagnostics").textContent = r && r.result ? JSON.stringify(r.result.diagnostics, null, 2) : "";
    if (!r || !r.result) return;
    r.result.ranking.forEach(function (row) {
      var tr = document.createElement("tr");
      cell(tr, String(row.rank), row.rank);
      cell(tr, row.model, undefined, "model");
      cell(tr, fmt(row.score), row.score);
      cell(tr, row.ci95 ? "[" + fmt(row.ci95[0]) + ", " + fmt(row.ci95[1]) + "]" : "–");
      cell(tr, rankText(own(r.bootstrap && r.bootstrap.rank_ci95, row.model)));
      body.appendChild(tr);
    });
  }
  scopeSel.addEventListener("change", render);
  methodSel.addEventListener("change", render);
  render();
  document.documentElement.setAttribute("data-script", "ran");
})();
"""#
}

extension Page {
    /// Median latency, time to first token and prefill/decode speed per model, suite and length.
    static func efficiencySection(_ board: Leaderboard) -> String {
        let e = Escape.html
        var h = "<h2 id=\"efficiency\">Speed by length</h2>\n"
        guard !board.efficiency.isEmpty else { return h + "<p class=\"sub\">No server-answered run here (built-in systems have no latency).</p>\n" }
        h += "<p class=\"sub\">Medians per length; prefill and decode from the server's timings (llama.cpp) or a streamed answer's first token.</p>\n"
        h += "<table class=\"sortable\"><thead><tr><th class=\"name\">Model</th><th class=\"name\">Suite</th><th>Length</th><th>n</th><th>Latency ms</th><th>TTFT ms</th><th>Queue ms</th><th>Prefill tok/s</th><th>Decode tok/s</th></tr></thead><tbody>\n"
        func cell(_ v: Double?, _ f: String) -> String { "<td data-v=\"\(v.map { String($0) } ?? "")\">\(v.map { String(format: f, $0) } ?? "–")</td>" }
        for x in board.efficiency {
            h += "<tr><td class=\"model\">\(e(x.model))</td><td class=\"name\">\(e(x.suite))</td><td data-v=\"\(x.length)\">\(ContextLength.format(x.length))</td><td>\(x.n)</td>"
            h += cell(x.latencyMs, "%.0f") + cell(x.ttftMs, "%.0f") + cell(x.queueMs, "%.0f") + cell(x.prefillTokensPerSecond, "%.1f") + cell(x.decodeTokensPerSecond, "%.1f") + "</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    /// One table per suite × task × axis: models as rows, the axis's values as columns (pooled over lengths).
    static func axesSection(_ board: Leaderboard, modelOrder: [String]) -> String {
        let e = Escape.html
        var h = "<h2 id=\"axes\">Results by axis</h2>\n"
        let pooled = board.axes.filter { $0.length == nil }
        guard !pooled.isEmpty else { return h + "<p class=\"sub\">No task in these runs declares an axis besides length.</p>\n" }
        h += "<p class=\"sub\">Each task's declared axes (needle depth, output level, K, query type…), all lengths pooled; n ok in the tooltip.</p>\n"
        struct Group: Hashable { let suite: String, task: String, axis: String }
        var groups: [Group: [Leaderboard.AxisResult]] = [:]
        for cell in pooled { groups[Group(suite: cell.suite, task: cell.task, axis: cell.axis), default: []].append(cell) }
        for group in groups.keys.sorted(by: { ($0.suite, $0.task, $0.axis) < ($1.suite, $1.task, $1.axis) }) {
            let cells = groups[group]!
            let values = Array(Set(cells.map(\.value))).sorted()
            h += "<details><summary>\(e(group.suite)) · \(e(group.task)) by \(e(group.axis))</summary>"
            h += "<table class=\"sortable\"><thead><tr><th class=\"name\">Model</th>"
            for value in values { h += "<th>\(e(value.description))</th>" }
            h += "</tr></thead><tbody>\n"
            for model in modelOrder where cells.contains(where: { $0.model == model }) {
                h += "<tr><td class=\"model\">\(e(model))</td>"
                for value in values {
                    guard let c = cells.first(where: { $0.model == model && $0.value == value }) else { h += "<td data-v=\"\">–</td>"; continue }
                    let text = (c.score.map(pct) ?? "n/a") + (c.nOk < c.n ? "*" : "")
                    h += "<td data-v=\"\(c.score.map { String(format: "%.6f", $0) } ?? "")\" title=\"\(c.nOk)/\(c.n) ok\">\(text)</td>"
                }
                h += "</tr>\n"
            }
            h += "</tbody></table></details>\n"
        }
        return h
    }
}

/// The SVG charts of a leaderboard, each with the file name it gets under `svg/`.
public struct Charts: Sendable {
    public struct Chart: Sendable { public var file: String; public var svg: String }
    public var suiteCurves: [Chart] = []
    public var taskCurves: [Chart] = []
    public var heatmaps: [Chart] = []

    public var all: [Chart] { suiteCurves + taskCurves + heatmaps }

    public init(_ board: Leaderboard) {
        let colors = Dictionary(uniqueKeysWithValues: board.models.enumerated().map { ($1.name, SVG.palette[$0 % SVG.palette.count]) })
        for suite in board.suites {
            let models = board.models.filter { $0.suites[suite.name] != nil }
            let series = models.map { m in
                SVG.Series(name: m.name, color: colors[m.name]!, values: suite.lengthLabels.map { m.suites[suite.name]!.byLength[$0] })
            }
            suiteCurves.append(Chart(file: "curve-\(Slug.make(suite.name)).svg",
                                     svg: SVG.curves(title: "\(suite.name): mean score vs length", xLabels: suite.lengthLabels, series: series)))
            for task in suite.tasks {
                let cells = board.results.filter { $0.suite == suite.name && $0.task == task }
                let series = models.map { m in
                    SVG.Series(name: m.name, color: colors[m.name]!, values: suite.lengths.map { len in
                        cells.first { $0.model == m.name && $0.length == len }?.score
                    })
                }
                taskCurves.append(Chart(file: "curve-\(Slug.make(suite.name))-\(Slug.make(task)).svg",
                                        svg: SVG.curves(title: "\(suite.name) · \(task)", xLabels: suite.lengthLabels, series: series)))
            }
        }
        for map in board.heatmaps {
            let lengths = Array(Set(map.cells.map(\.length))).sorted()
            let depths = Array(Set(map.cells.map(\.depth))).sorted()
            var grid = [[Double?]](repeating: [Double?](repeating: nil, count: lengths.count), count: depths.count)
            for c in map.cells {
                grid[depths.firstIndex(of: c.depth)!][lengths.firstIndex(of: c.length)!] = c.score
            }
            heatmaps.append(Chart(file: "heatmap-\(Slug.make(map.suite))-\(Slug.make(map.task))-\(Slug.make(map.model)).svg",
                                  svg: SVG.heatmap(title: "\(map.model) · \(map.task)", xLabels: lengths.map(ContextLength.format),
                                                   depths: depths, values: grid)))
        }
    }
}
