/// llama.cpp's special-token partition (`llama_vocab::impl::tokenizer_st_partition`), computed in one pass.
///
/// llama.cpp takes the special tokens longest first and, for each, cuts every occurrence (left to right, not
/// overlapping) out of the text fragments that are still plain text. Where two tokens overlap in the text this
/// differs from HF's leftmost-longest rule: with tokens "ab" and "bcd", "abcd" is "a" + "bcd" here.
///
/// Equivalent single pass: collect every occurrence of every token, visit them by (length descending, id
/// ascending, position ascending) and keep each one that overlaps no kept occurrence. A kept occurrence of one
/// token never straddles an earlier one, exactly as a search inside the remaining fragments cannot. (llama.cpp
/// orders tokens of equal length with an unstable sort; the lowest id first is our choice for that tie.)
extension AddedTokenMatcher {
    func splitLongestFirst(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ body: (Item) -> Void) {
        // Every occurrence, as (priority rank of the entry, position).
        var found: [(entry: Int32, position: Int32)] = []
        startsEntry.withUnsafeBufferPointer { starts in
            var q = s
            while q < e {
                if !starts[Int(p[q])] { q += 1; continue }
                trie.matches(p, q, e) { found.append(($0, Int32(q))) }
                q += 1
            }
        }
        if found.isEmpty {
            if s < e { body(.text(s, e)) }
            return
        }
        found.sort { a, b in
            let ea = entries[Int(a.entry)], eb = entries[Int(b.entry)]
            if ea.bytes.count != eb.bytes.count { return ea.bytes.count > eb.bytes.count }
            if ea.id != eb.id { return ea.id < eb.id }
            return a.position < b.position
        }
        // Keep the non-overlapping ones in priority order; `taken` marks bytes already claimed.
        var taken = [Bool](repeating: false, count: e - s)
        var kept: [(start: Int, end: Int, id: Int32)] = []
        for f in found {
            let start = Int(f.position), n = entries[Int(f.entry)].bytes.count
            var free = true
            for k in start..<(start + n) where taken[k - s] { free = false; break }
            if !free { continue }
            for k in start..<(start + n) { taken[k - s] = true }
            kept.append((start, start + n, entries[Int(f.entry)].id))
        }
        kept.sort { $0.start < $1.start }
        var cursor = s
        for k in kept {
            if cursor < k.start { body(.text(cursor, k.start)) }
            body(.token(k.id))
            cursor = k.end
        }
        if cursor < e { body(.text(cursor, e)) }
    }
}
