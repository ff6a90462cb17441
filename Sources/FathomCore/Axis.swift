/// A dimension, besides length, along which a task's results are aggregated: output level, K, query type,
/// information amount, position, needle depth…
///
/// A plugin declares its axes (`TaskPlugin.axes`); each sample records its value on each of them
/// (`SampleMetadata.axes`); `run.json`, `fathom report --by AXIS` and the leaderboard aggregate by them.
/// Numeric values are grouped into buckets by `binning`, the one place a bucket is defined.
public struct AxisSpec: Codable, Sendable, Hashable {
    /// How sample values are grouped into the cells that results report.
    public enum Binning: Codable, Sendable, Hashable {
        /// Every distinct value is its own cell (labels, levels, K, grid depths).
        case exact
        /// Numbers fall into buckets `[k·width, (k+1)·width)`, reported by their lower edge (clamped into
        /// `0...max` when `max` is given, so a depth of 100 joins the 90 bucket).
        case width(Double, max: Double?)
    }

    /// Lowercase name used in manifests, `--by` and files: letters, digits and `_`.
    public var name: String
    /// One line on what the axis measures.
    public var doc: String
    public var binning: Binning

    public init(_ name: String, doc: String, binning: Binning = .exact) {
        self.name = name
        self.doc = doc
        self.binning = binning
    }

    /// The cell a sample's value falls into.
    public func bucket(_ value: AxisValue) -> AxisValue {
        guard case .width(let width, let max) = binning, case .number(let x) = value, width > 0, x.isFinite else { return value }
        var lower = (x / width).rounded(.down) * width
        if let max, lower >= max { lower = ((max - width) / width).rounded(.up) * width }
        return .number(Swift.max(0, lower))
    }

    enum CodingKeys: String, CodingKey { case name, doc, binning }
}

extension AxisSpec.Binning {
    enum CodingKeys: String, CodingKey { case kind, width, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "exact": self = .exact
        case "width": self = .width(try c.decode(Double.self, forKey: .width), max: try c.decodeIfPresent(Double.self, forKey: .max))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown binning '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .exact: try c.encode("exact", forKey: .kind)
        case .width(let width, let max):
            try c.encode("width", forKey: .kind)
            try c.encode(width, forKey: .width)
            try c.encodeIfPresent(max, forKey: .max)
        }
    }
}

/// A sample's value on an axis: a number (K, level in tokens, depth in percent) or a label (query type).
public enum AxisValue: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case number(Double)
    case label(String)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Double.self) { self = .number(number) } else { self = .label(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .label(let s): try c.encode(s)
        }
    }

    /// Numbers before labels; numbers by value, labels alphabetically.
    public static func < (a: AxisValue, b: AxisValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y
        case (.label(let x), .label(let y)): x < y
        case (.number, .label): true
        case (.label, .number): false
        }
    }

    /// `8192`, `12.5`, `join`: whole numbers without a decimal point.
    public var description: String {
        switch self {
        case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        case .label(let s): s
        }
    }
}

extension AxisSpec {
    /// The requested depth, in percent of the context, of the needle or passage the answer comes from: in
    /// 10-point buckets (0, 10, … 90; 100 joins 90), or exact for tasks that place needles on a fixed grid.
    public static func depth(exact: Bool = false) -> AxisSpec {
        AxisSpec(
            "depth", doc: "requested depth (% of the context) of the needle the answer comes from",
            binning: exact ? .exact : .width(10, max: 100))
    }
}
