import Foundation

/// Number and column formatting shared by the report's tables.
enum Format {
    /// A 0...1 score ×100 with one decimal: `87.5`.
    static func score(_ value: Double) -> String { String(format: "%.1f", value * 100) }

    /// Pads (or leaves) text to `width` columns, on the left when `right`.
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        if text.count >= width { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return right ? padding + text : text + padding
    }
}
