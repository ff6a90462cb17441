/// Context lengths written as `4096`, `4k`, `128K`, `1m`: k = 1024 and m = 1024², as RULER counts them.
public enum ContextLength {
    /// Parses a length; returns nil for anything that is not a positive whole number with an optional k/m suffix.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmedASCIIWhitespace().lowercased()
        guard let last = trimmed.last else { return nil }
        var multiplier = 1
        var digits = Substring(trimmed)
        if last == "k" { multiplier = 1024; digits = trimmed.dropLast() }
        if last == "m" { multiplier = 1024 * 1024; digits = trimmed.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits), value > 0
        else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : result
    }

    /// Parses a comma-separated list such as `4k,8k,16k`.
    public static func parseList(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            guard let value = parse(String(part)) else {
                throw FathomError(.invalidValue, "'\(part)' is not a length (examples: 4096, 4k, 128k, 1m)")
            }
            return value
        }
    }

    /// Short form: 131072 → "128k", 1048576 → "1m", 5000 → "5000".
    public static func format(_ length: Int) -> String {
        if length % (1024 * 1024) == 0 { return "\(length / (1024 * 1024))m" }
        if length % 1024 == 0 { return "\(length / 1024)k" }
        return String(length)
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    public func trimmedASCIIWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" || first == "\n" || first == "\r\n" || first == "\r" {
            view = view.dropFirst()
        }
        while let last = view.last, last == " " || last == "\t" || last == "\n" || last == "\r\n" || last == "\r" {
            view = view.dropLast()
        }
        return String(view)
    }
}

/// The length rule: a sample built for length L has prompt + max_tokens ≤ L, and fills at least
/// L − max(64, 0.5% of L).
public enum LengthRule {
    /// The allowed shortfall below L: max(64, 0.5% of L).
    public static func tolerance(for length: Int) -> Int { max(64, length / 200) }

    /// Whether `promptTokens + maxTokens` obeys the rule for `length`.
    public static func holds(promptTokens: Int, maxTokens: Int, length: Int) -> Bool {
        let total = promptTokens + maxTokens
        return total <= length && total >= length - tolerance(for: length)
    }
}
