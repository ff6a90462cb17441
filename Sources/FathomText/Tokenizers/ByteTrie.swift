/// A trie over byte strings, with its edges in one open-addressing table keyed by `node << 8 | byte`.
///
/// Finding every stored string that starts at a text position costs one probe per byte walked, however many
/// strings share a prefix (Gemma's 6,000 `<unusedN>` control tokens all start with `<unused`).
struct ByteTrie: @unchecked Sendable {
    private let edges = PackedMap(expected: 1024)
    /// Value stored at each node, or -1.
    private var values: [Int32] = [-1]

    /// Stores `bytes -> value`; when `bytes` is already stored, `replace(old)` decides whether `value` wins.
    mutating func insert(_ bytes: [UInt8], value: Int32, replace: (Int32) -> Bool) {
        var node: UInt64 = 0
        for b in bytes {
            let key = node << 8 | UInt64(b)
            let next = edges.get(key)
            if next != PackedMap.absent {
                node = next
            } else {
                let created = UInt64(values.count)
                values.append(-1)
                edges.set(key, created)
                node = created
            }
        }
        let old = values[Int(node)]
        if old < 0 || replace(old) { values[Int(node)] = value }
    }

    /// Calls `body` with the value of every stored string that is a prefix of `p[q..<e]`, shortest first.
    @inline(__always) func matches(_ p: UnsafePointer<UInt8>, _ q: Int, _ e: Int, _ body: (Int32) -> Void) {
        var node: UInt64 = 0
        var i = q
        while i < e {
            let next = edges.get(node << 8 | UInt64(p[i]))
            if next == PackedMap.absent { return }
            node = next
            let v = values[Int(node)]
            if v >= 0 { body(v) }
            i += 1
        }
    }
}
