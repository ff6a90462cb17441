/// File-name-safe names for run folders, chart files and leaderboard assets: one definition for every module.
public enum Slug {
    /// ASCII letters, digits, `.`, `-`, `_` kept (lowercased), anything else `_`, a leading dot escaped, at most 60
    /// characters; when the slug differs from the name, 8 hex digits of the name's FNV-1a hash keep distinct
    /// names distinct (`A/B` and `a_b` never share a folder).
    public static func make(_ name: String) -> String {
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
