/// The BPE core shared by the `tokenizer.json` and tiktoken tokenizers.
///
/// Symbols are token ids. A merge table maps a pair of adjacent ids, packed as `left << 32 | right`, to
/// `rank << 32 | merged id`; the lowest rank merges first, the leftmost pair on ties (HF `Word::merge_all` and
/// tiktoken `_byte_pair_merge` both do exactly that). Short pieces use an array scan, long ones (whole
/// SentencePiece segments) a binary heap over a linked list, so the cost stays O(n log n).

/// Receives token ids as they are produced.
protocol TokenSink {
    mutating func put(_ id: Int32)
    mutating func put(_ ids: UnsafePointer<Int32>, _ count: Int)
}

struct IDSink: TokenSink {
    var ids: [Int] = []
    @inline(__always) mutating func put(_ id: Int32) { ids.append(Int(id)) }
    @inline(__always) mutating func put(_ p: UnsafePointer<Int32>, _ count: Int) {
        for k in 0..<count { ids.append(Int(p[k])) }
    }
}

struct CountSink: TokenSink {
    var count = 0
    @inline(__always) mutating func put(_ id: Int32) { count += 1 }
    @inline(__always) mutating func put(_ p: UnsafePointer<Int32>, _ n: Int) { count += n }
}

/// Per-call scratch memory and the bounded piece -> tokens cache. Owned by one `encode` call, so encoding is
/// thread-safe without locks; memory is linear in the longest piece plus the (bounded) cache.
struct BPEWorkspace {
    var capacity = 0
    var ids: UnsafeMutablePointer<Int32>
    var ranks: UnsafeMutablePointer<UInt64>
    var next: UnsafeMutablePointer<Int32>
    var prev: UnsafeMutablePointer<Int32>
    var heap: UnsafeMutablePointer<UInt64>

    // Cache: 64-bit hash of the piece -> entry; entries are verified byte for byte.
    let cacheIndex: PackedMap
    var cacheEntries: [(byteOffset: Int32, byteCount: Int32, tokenOffset: Int32, tokenCount: Int32)] = []
    var cacheBytes: [UInt8] = []
    var cacheTokens: [Int32] = []
    let cacheLimit: Int

    /// Pieces longer than this are not cached.
    static let maxCachedPieceBytes = 64

    init(textLength: Int) {
        capacity = 64
        ids = .allocate(capacity: capacity)
        ranks = .allocate(capacity: capacity)
        next = .allocate(capacity: capacity)
        prev = .allocate(capacity: capacity)
        heap = .allocate(capacity: capacity * 3 + 4)
        cacheLimit = min(32768, max(64, textLength / 8))
        cacheIndex = PackedMap(expected: min(cacheLimit, 256))
    }

    mutating func reserve(_ n: Int) {
        if n <= capacity { return }
        free()
        capacity = max(n, capacity * 2)
        ids = .allocate(capacity: capacity)
        ranks = .allocate(capacity: capacity)
        next = .allocate(capacity: capacity)
        prev = .allocate(capacity: capacity)
        heap = .allocate(capacity: capacity * 3 + 4)
    }

    func free() {
        ids.deallocate()
        ranks.deallocate()
        next.deallocate()
        prev.deallocate()
        heap.deallocate()
    }

    /// Cached tokens for `p[0..<n]` with hash `h`: (offset into `cacheTokens`, count), or nil.
    @inline(__always) func cached(_ h: UInt64, _ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        let v = cacheIndex.get(h)
        if v == PackedMap.absent { return nil }
        let e = cacheEntries[Int(v)]
        guard Int(e.byteCount) == n else { return nil }
        let same = cacheBytes.withUnsafeBufferPointer { memEqual($0.baseAddress! + Int(e.byteOffset), p, n) }
        return same ? (Int(e.tokenOffset), Int(e.tokenCount)) : nil
    }

    mutating func store(_ h: UInt64, _ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: UnsafePointer<Int32>, _ count: Int) {
        if cacheIndex.get(h) != PackedMap.absent { return }  // a colliding piece owns this hash
        if cacheEntries.count >= cacheLimit {
            cacheIndex.removeAll()
            cacheEntries.removeAll(keepingCapacity: true)
            cacheBytes.removeAll(keepingCapacity: true)
            cacheTokens.removeAll(keepingCapacity: true)
        }
        cacheIndex.set(h, UInt64(cacheEntries.count))
        cacheEntries.append((Int32(cacheBytes.count), Int32(n), Int32(cacheTokens.count), Int32(count)))
        cacheBytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        cacheTokens.append(contentsOf: UnsafeBufferPointer(start: tokens, count: count))
    }
}

/// How the bytes of a piece become initial symbols.
enum SymbolMode: Sendable {
    /// One symbol per byte (GPT-2 byte-level BPE, tiktoken).
    case bytes
    /// One symbol per UTF-8 character; unknown characters use `<0xNN>` byte fallback or the unk token.
    case chars
}

final class BPEModel: @unchecked Sendable {
    let pairs: PackedMap
    let vocab: ByteVocabulary
    let mode: SymbolMode
    /// `.bytes`: initial id of each byte. `.chars`: id of `<0xNN>` (byte fallback), or -1.
    let byteIDs: [Int32]
    /// `.chars`: id of each ASCII character as a one-character token, or -1.
    let asciiIDs: [Int32]
    /// Look the whole piece up in the vocabulary before merging (HF `ignore_merges`, tiktoken).
    let wholePieceFirst: Bool
    let byteFallback: Bool
    let unkID: Int32
    let fuseUnk: Bool
    /// Pieces of at most this many symbols use the quadratic scan; longer ones the heap.
    var heapThreshold = 32

    init(pairs: PackedMap, vocab: ByteVocabulary, mode: SymbolMode, byteIDs: [Int32], wholePieceFirst: Bool,
         byteFallback: Bool, unkID: Int32, fuseUnk: Bool) {
        self.pairs = pairs
        self.vocab = vocab
        self.mode = mode
        self.byteIDs = byteIDs
        self.wholePieceFirst = wholePieceFirst
        self.byteFallback = byteFallback
        self.unkID = unkID
        self.fuseUnk = fuseUnk
        var ascii = [Int32](repeating: -1, count: 128)
        for b in 0..<128 { ascii[b] = vocab.lookup([UInt8(b)]) ?? -1 }
        self.asciiIDs = ascii
    }

    @inline(__always) func pairValue(_ a: Int32, _ b: Int32) -> UInt64 {
        pairs.get(UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)))
    }

    /// Encodes one pre-tokenized piece (whole-piece lookup, cache, then merges).
    @inline(__always)
    func encodePiece<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, wholeLookup: Bool, _ ws: inout BPEWorkspace,
                                   _ sink: inout S) {
        if n == 0 { return }
        if wholeLookup && wholePieceFirst {
            let id = vocab.lookup(p, n)
            if id >= 0 { sink.put(id); return }
        }
        if n == 1 && mode == .bytes {
            let id = byteIDs[Int(p[0])]
            if id >= 0 { sink.put(id); return }
        }
        var h: UInt64 = 0
        let cacheable = n <= BPEWorkspace.maxCachedPieceBytes
        if cacheable {
            h = hashBytes(p, n)
            if let (offset, count) = ws.cached(h, p, n) {
                ws.cacheTokens.withUnsafeBufferPointer { sink.put($0.baseAddress! + offset, count) }
                return
            }
        }
        let count = mergePiece(p, n, &ws)
        if cacheable { ws.store(h, p, n, ws.ids, count) }
        sink.put(ws.ids, count)
    }

    /// Initial symbols of `p[0..<n]` into `ws.ids`; returns their number.
    @inline(__always) func initialSymbols(_ p: UnsafePointer<UInt8>, _ n: Int, _ ws: inout BPEWorkspace) -> Int {
        ws.reserve(n + 1)
        let ids = ws.ids
        if mode == .bytes {
            var missing = false
            byteIDs.withUnsafeBufferPointer { t in
                for k in 0..<n {
                    let id = t[Int(p[k])]
                    ids[k] = id
                    if id < 0 { missing = true }
                }
            }
            if !missing { return n }
        }
        // Per character (per byte for byte-level with missing bytes), as HF `BPE::merge_word`.
        var m = 0
        var pendingUnk = false
        var i = 0
        while i < n {
            let b = p[i]
            let len = mode == .bytes ? 1 : (b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4)
            let id: Int32
            if mode == .bytes {
                id = byteIDs[Int(b)]
            } else {
                id = b < 0x80 ? asciiIDs[Int(b)] : vocab.lookup(p + i, len)
            }
            if id >= 0 {
                if pendingUnk { ids[m] = unkID; m += 1; pendingUnk = false }
                ids[m] = id
                m += 1
            } else {
                if byteFallback && mode == .chars {
                    var all = true
                    for k in 0..<len where byteIDs[Int(p[i + k])] < 0 { all = false }
                    if all {
                        for k in 0..<len { ids[m] = byteIDs[Int(p[i + k])]; m += 1 }
                        i += len
                        continue
                    }
                }
                if unkID >= 0 {
                    if pendingUnk && !fuseUnk { ids[m] = unkID; m += 1 }
                    pendingUnk = true
                }
            }
            i += len
        }
        if pendingUnk { ids[m] = unkID; m += 1 }
        return m
    }

    /// BPE of one piece; the result is left in `ws.ids[0..<result]`.
    func mergePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ ws: inout BPEWorkspace) -> Int {
        let m = initialSymbols(p, n, &ws)
        if m <= 1 { return m }
        if m <= heapThreshold { return mergeScan(m, ws.ids, ws.ranks) }
        return mergeHeap(m, ws)
    }

    @inline(__always) private func mergeScan(_ count: Int, _ ids: UnsafeMutablePointer<Int32>,
                                            _ pv: UnsafeMutablePointer<UInt64>) -> Int {
        var m = count
        for i in 0..<(m - 1) { pv[i] = pairValue(ids[i], ids[i + 1]) }
        while m > 1 {
            // Lowest rank first, leftmost on ties (SentencePiece scores may tie across different pairs).
            var bestRank: UInt64 = 0xFFFF_FFFF
            var bi = -1
            for i in 0..<(m - 1) where pv[i] >> 32 < bestRank {
                bestRank = pv[i] >> 32
                bi = i
            }
            if bi < 0 { break }
            ids[bi] = Int32(bitPattern: UInt32(truncatingIfNeeded: pv[bi]))
            let tail = m - bi - 2
            if tail > 0 {
                (ids + bi + 1).update(from: ids + bi + 2, count: tail)
                if tail > 1 { (pv + bi + 1).update(from: pv + bi + 2, count: tail - 1) }
            }
            m -= 1
            if bi > 0 { pv[bi - 1] = pairValue(ids[bi - 1], ids[bi]) }
            if bi < m - 1 { pv[bi] = pairValue(ids[bi], ids[bi + 1]) }
        }
        return m
    }

    private func mergeHeap(_ m: Int, _ ws: BPEWorkspace) -> Int {
        let ids = ws.ids, next = ws.next, prev = ws.prev, heap = ws.heap
        var size = 0
        @inline(__always) func push(_ v: UInt64) {
            var i = size
            size += 1
            while i > 0 {
                let parent = (i - 1) >> 1
                if heap[parent] <= v { break }
                heap[i] = heap[parent]
                i = parent
            }
            heap[i] = v
        }
        @inline(__always) func pop() -> UInt64 {
            let top = heap[0]
            size -= 1
            let last = heap[size]
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= size { break }
                var c = l
                if l + 1 < size && heap[l + 1] < heap[l] { c = l + 1 }
                if heap[c] >= last { break }
                heap[i] = heap[c]
                i = c
            }
            heap[i] = last
            return top
        }
        for i in 0..<m {
            next[i] = Int32(i + 1)
            prev[i] = Int32(i - 1)
        }
        next[m - 1] = -1
        for i in 0..<(m - 1) {
            let v = pairValue(ids[i], ids[i + 1])
            if v != PackedMap.absent { push((v >> 32) << 32 | UInt64(i)) }
        }
        while size > 0 {
            let top = pop()
            let pos = Int(top & 0xFFFF_FFFF)
            let rank = top >> 32
            if ids[pos] < 0 { continue }
            let nx = Int(next[pos])
            if nx < 0 { continue }
            let v = pairValue(ids[pos], ids[nx])
            if v == PackedMap.absent || v >> 32 != rank { continue }
            ids[pos] = Int32(bitPattern: UInt32(truncatingIfNeeded: v))
            ids[nx] = -1
            let nn = Int(next[nx])
            next[pos] = Int32(nn)
            if nn >= 0 { prev[nn] = Int32(pos) }
            let pp = Int(prev[pos])
            if pp >= 0 {
                let v2 = pairValue(ids[pp], ids[pos])
                if v2 != PackedMap.absent { push((v2 >> 32) << 32 | UInt64(pp)) }
            }
            if nn >= 0 {
                let v3 = pairValue(ids[pos], ids[nn])
                if v3 != PackedMap.absent { push((v3 >> 32) << 32 | UInt64(pos)) }
            }
        }
        var k = 0
        var i = 0
        while i >= 0 {
            ids[k] = ids[i]
            k += 1
            i = Int(next[i])
        }
        return k
    }
}
