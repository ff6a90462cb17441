import FathomCore

/// RULER's answer post-processing and substring metrics, on code points as RULER's Python compares them.
///
/// A prediction is trimmed (Python `str.strip()`), every control character U+0000–U+001F becomes a newline, and it is
/// trimmed again. `string_match_all` is the fraction of references found in it as substrings after Python's
/// `str.lower()` of both sides; `string_match_part` is 1 when any reference is found. Both return 0...1 (RULER reports
/// ×100). Matching is on code points, never on Swift `Character`s: a combining mark after a digit does not hide the
/// digit, a flag or a ZWJ sequence does not hide its parts, and canonically equivalent spellings (NFC, NFD) are
/// different text, exactly as in Python. Golden vectors from RULER's own functions: `Tests/Fixtures/metrics/ruler.json`.
public enum StringMatch {
    /// RULER's post-processing of a prediction.
    public static func postprocess(_ prediction: String) -> String {
        PythonText.string(postprocessed(prediction))
    }

    /// Fraction of references contained in the prediction (case-insensitive as Python's `lower()`).
    public static func all(prediction: String, references: [String]) -> Double {
        guard !references.isEmpty else { return 0 }
        let haystack = loweredBytes(postprocessed(prediction))
        let hits = references.filter { contains(haystack, $0) }.count
        return Double(hits) / Double(references.count)
    }

    /// 1 when any reference is contained in the prediction (case-insensitive as Python's `lower()`), else 0.
    public static func part(prediction: String, references: [String]) -> Double {
        let haystack = loweredBytes(postprocessed(prediction))
        return references.contains { contains(haystack, $0) } ? 1 : 0
    }

    /// `r.lower() in pred.lower()`: a byte search of UTF-8, which is code-point exact (UTF-8 is self-synchronising).
    static func contains(_ haystack: [UInt8], _ reference: String) -> Bool {
        PythonText.findByte(haystack, loweredBytes(PythonText.scalars(reference)), from: 0) != nil
    }

    static func loweredBytes(_ scalars: [UInt32]) -> [UInt8] { PythonText.utf8(PythonText.lower(scalars)) }

    /// `re.compile(r'[\x00-\x1f]').sub('\n', s.strip()).strip()` on code points.
    static func postprocessed(_ prediction: String) -> [UInt32] {
        let stripped = PythonText.strip(PythonText.scalars(prediction)[...])
        let replaced = stripped.map { $0 < 0x20 ? 0x0A : $0 }
        return Array(PythonText.strip(replaced[...]))
    }
}
