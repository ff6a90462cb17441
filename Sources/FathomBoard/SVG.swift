import Foundation

/// Inline SVG charts (score-vs-length curves, depth × length heatmaps). Every text is escaped; numbers are
/// formatted with fixed precision, so output is deterministic.
public enum SVG {
    /// Tableau-10 palette; a model's color is chosen by its index in name order.
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// One line of a curve chart: a model's scores (0...1) per x position; nil = not measured (gap).
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var values: [Double?]
        public init(name: String, color: String, values: [Double?]) { self.name = name; self.color = color; self.values = values }
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// Score (×100) against length, one polyline per series, categorical x axis (lengths are powers of two, so
    /// this is a log axis).
    public static func curves(title: String, xLabels: [String], series: [Series]) -> String {
        let width = 640.0, plotLeft = 48.0, plotTop = 36.0, plotWidth = 400.0, plotHeight = 220.0
        let height = max(plotTop + plotHeight + 48, plotTop + 20 + Double(series.count) * 18)
        let e = Escape.html
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(e(title))\">\n"
        s += "<title>\(e(title))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(f(plotLeft))\" y=\"20\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">\(e(title))</text>\n"
        for tick in stride(from: 0, through: 100, by: 25) {
            let y = plotTop + plotHeight * (1 - Double(tick) / 100)
            s += "<line x1=\"\(f(plotLeft))\" y1=\"\(f(y))\" x2=\"\(f(plotLeft + plotWidth))\" y2=\"\(f(y))\" stroke=\"#e3e3e3\"/>\n"
            s += "<text x=\"\(f(plotLeft - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#555\">\(tick)</text>\n"
        }
        let count = max(xLabels.count, 1)
        func x(_ i: Int) -> Double { count == 1 ? plotLeft + plotWidth / 2 : plotLeft + plotWidth * Double(i) / Double(count - 1) }
        func y(_ v: Double) -> Double { plotTop + plotHeight * (1 - min(max(v, 0), 1)) }
        for (i, label) in xLabels.enumerated() {
            s += "<text x=\"\(f(x(i)))\" y=\"\(f(plotTop + plotHeight + 18))\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#555\">\(e(label))</text>\n"
        }
        s += "<text x=\"\(f(plotLeft + plotWidth / 2))\" y=\"\(f(plotTop + plotHeight + 38))\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#555\">context length (tokens)</text>\n"
        s += "<rect x=\"\(f(plotLeft))\" y=\"\(f(plotTop))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
        for (k, line) in series.enumerated() {
            // Polyline segments over consecutive measured points; a nil breaks the line.
            var segment: [String] = []
            func flush() {
                if segment.count > 1 { s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(segment.joined(separator: " "))\"/>\n" }
                segment = []
            }
            for (i, v) in line.values.enumerated() {
                if let v { segment.append("\(f(x(i))),\(f(y(v)))") } else { flush() }
            }
            flush()
            for (i, v) in line.values.enumerated() {
                guard let v else { continue }
                let label = i < xLabels.count ? xLabels[i] : ""
                s += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"3.5\" fill=\"\(line.color)\"><title>\(e(line.name)) @\(e(label)): \(f(v * 100))</title></circle>\n"
            }
            let ly = plotTop + 8 + Double(k) * 18
            s += "<rect x=\"\(f(plotLeft + plotWidth + 16))\" y=\"\(f(ly - 8))\" width=\"12\" height=\"12\" fill=\"\(line.color)\"/>\n"
            s += "<text x=\"\(f(plotLeft + plotWidth + 34))\" y=\"\(f(ly + 2))\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#222\">\(e(truncate(line.name, 22)))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Depth (rows, percent) × length (columns) heatmap of scores (0...1); nil = no measured sample in the cell.
    public static func heatmap(title: String, xLabels: [String], depths: [Double], values: [[Double?]]) -> String {
        let cellW = 44.0, cellH = 16.0, left = 64.0, top = 36.0
        let width = left + cellW * Double(max(xLabels.count, 1)) + 70, height = top + cellH * Double(depths.count) + 40
        let e = Escape.html
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(e(title))\">\n"
        s += "<title>\(e(title))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"4\" y=\"18\" font-family=\"sans-serif\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">\(e(title))</text>\n"
        s += "<text x=\"4\" y=\"\(f(top - 4))\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#555\">depth %</text>\n"
        for (r, depth) in depths.enumerated() {
            let y = top + cellH * Double(r)
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + cellH - 4))\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#555\">\(f(depth))</text>\n"
            for (c, label) in xLabels.enumerated() {
                let x = left + cellW * Double(c)
                let v = r < values.count && c < values[r].count ? values[r][c] : nil
                let fill = v.map(color) ?? "#eeeeee"
                let tip = "\(title) depth \(f(depth))% @\(label): " + (v.map { f($0 * 100) } ?? "not measured")
                s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cellW - 1))\" height=\"\(f(cellH - 1))\" fill=\"\(fill)\"><title>\(e(tip))</title></rect>\n"
            }
        }
        for (c, label) in xLabels.enumerated() {
            s += "<text x=\"\(f(left + cellW * (Double(c) + 0.5)))\" y=\"\(f(top + cellH * Double(depths.count) + 14))\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#555\">\(e(label))</text>\n"
        }
        let lx = left + cellW * Double(max(xLabels.count, 1)) + 12
        for (i, v) in [1.0, 0.75, 0.5, 0.25, 0.0].enumerated() {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(top + Double(i) * 16))\" width=\"14\" height=\"14\" fill=\"\(color(v))\"/>"
            s += "<text x=\"\(f(lx + 18))\" y=\"\(f(top + Double(i) * 16 + 11))\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#555\">\(Int(v * 100))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Red (0) → yellow (0.5) → green (1).
    static func color(_ v: Double) -> String {
        let t = min(max(v, 0), 1)
        let (r, g, b): (Double, Double, Double) = t < 0.5
            ? (215, 48 + (255 - 48) * (t / 0.5) * 0.85, 39 + 60 * (t / 0.5))
            : (215 - (215 - 26) * ((t - 0.5) / 0.5), 225 - (225 - 150) * ((t - 0.5) / 0.5) * 0.2, 99 - (99 - 65) * ((t - 0.5) / 0.5))
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    static func truncate(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
}
