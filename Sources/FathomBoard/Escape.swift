/// Escaping for text placed in HTML, SVG (XML) and inline JSON script blocks.
public enum Escape {
    /// Escapes `& < > " '` for HTML/XML text and attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline are not allowed in XML 1.0.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Makes JSON safe inside `<script type="application/json">`: `<`, `>`, `&`, U+2028 and U+2029 become `\uXXXX`
    /// escapes. Those characters can occur only inside JSON strings, where the escape means the same character.
    public static func scriptJSON(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for c in json.unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A file-name-safe slug: ASCII letters, digits, `.`, `-`, `_` kept (lowercased), anything else `_`; when the
    /// slug differs from the name, 8 hex digits of the name's FNV-1a hash keep distinct names distinct.
    public static func slug(_ name: String) -> String {
        var s = ""
        for c in name.unicodeScalars {
            if (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "." { s.unicodeScalars.append(c) }
            else if c >= "A" && c <= "Z" { s.unicodeScalars.append(Unicode.Scalar(c.value + 32)!) }
            else { s += "_" }
        }
        while s.hasPrefix(".") { s = "_" + s.dropFirst() }
        if s.count > 60 { s = String(s.prefix(60)) }
        if s != name || s.isEmpty {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            let hex = String(h & 0xffff_ffff, radix: 16)
            s += "-" + String(repeating: "0", count: 8 - hex.count) + hex
        }
        return s
    }
}
