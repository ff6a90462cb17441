/// RULER's answer post-processing and substring metrics.
///
/// A prediction is trimmed, every control character U+0000–U+001F becomes a newline, and it is trimmed again.
/// `string_match_all` is the fraction of references found in it as case-insensitive substrings;
/// `string_match_part` is 1 when any reference is found. Both return 0...1 (RULER reports ×100).
public enum StringMatch {
    /// RULER's post-processing of a prediction.
    public static func postprocess(_ prediction: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in trimmed(prediction).unicodeScalars {
            scalars.append(scalar.value < 0x20 ? "\n" : scalar)
        }
        return trimmed(String(scalars))
    }

    /// Fraction of references contained in the prediction (case-insensitive).
    public static func all(prediction: String, references: [String]) -> Double {
        guard !references.isEmpty else { return 0 }
        let haystack = postprocess(prediction).lowercased()
        let hits = references.filter { haystack.contains($0.lowercased()) }.count
        return Double(hits) / Double(references.count)
    }

    /// 1 when any reference is contained in the prediction (case-insensitive), else 0.
    public static func part(prediction: String, references: [String]) -> Double {
        let haystack = postprocess(prediction).lowercased()
        return references.contains { haystack.contains($0.lowercased()) } ? 1 : 0
    }

    /// Python's `str.strip()` whitespace.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace || ($0.value >= 0x1c && $0.value <= 0x1f) }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
