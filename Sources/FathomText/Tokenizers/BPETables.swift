/// Hash tables for the BPE hot path: open addressing over packed `UInt64` keys, and a byte-string table for
/// vocabulary entries longer than 8 bytes. Keys are packed little-endian (`packBytes`).

@inline(__always) func mix64(_ k: UInt64) -> UInt64 {
    var h = k ^ (k >> 31)
    h = h &* 0xBF58_476D_1CE4_E5B9
    return h ^ (h >> 29)
}

/// Hash of an arbitrary byte string (8 bytes per round).
@inline(__always) func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 8 <= n {
        h = mix64(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
        i += 8
    }
    if i < n {
        var w: UInt64 = 0
        var s: UInt64 = 0
        while i < n { w |= UInt64(p[i]) << s; s += 8; i += 1 }
        h = mix64(h ^ w) &* 0x94D0_49BB_1331_11EB
    }
    return mix64(h)
}

/// Up to 8 bytes packed little-endian into a `UInt64`.
@inline(__always) func packBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var w: UInt64 = 0
    var i = 0
    while i < n { w |= UInt64(p[i]) << UInt64(i &* 8); i += 1 }
    return w
}

/// Key of a piece of at most 7 bytes: the bytes plus the length in the top byte.
@inline(__always) func shortKey(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    packBytes(p, n) | (UInt64(n) << 56)
}

/// Open-addressing map `UInt64 -> UInt64` with linear probing. `UInt64.max` is the "absent" value and may not be
/// stored; the key `UInt64.max` is supported through a side slot. Each key sits next to its value, so a lookup in
/// a table far bigger than the cache (a 262K vocabulary's 515K merge pairs) costs one cache miss, not two.
final class PackedMap: @unchecked Sendable {
    /// `slots[2 * s]` is the key of slot `s`, `slots[2 * s + 1]` its value.
    private(set) var slots: UnsafeMutablePointer<UInt64>
    private(set) var capacity: Int
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0
    private var maxKeyValue: UInt64 = .max

    static let absent: UInt64 = .max

    init(expected: Int) {
        var cap = 16
        while cap < expected * 2 { cap <<= 1 }
        capacity = cap
        mask = cap - 1
        shift = UInt64(64 - cap.trailingZeroBitCount)
        slots = .allocate(capacity: 2 * cap)
        slots.initialize(repeating: .max, count: 2 * cap)
    }

    deinit {
        slots.deallocate()
    }

    @inline(__always) private func slot(_ k: UInt64) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Inserts or replaces. Grows when more than half full.
    func set(_ key: UInt64, _ value: UInt64) {
        precondition(value != .max)
        if key == .max {
            if maxKeyValue == .max { count += 1 }
            maxKeyValue = value
            return
        }
        if (count + 1) * 2 > capacity { grow() }
        var s = slot(key)
        while true {
            let k = slots[2 &* s]
            if k == key { slots[2 &* s &+ 1] = value; return }
            if k == .max { slots[2 &* s] = key; slots[2 &* s &+ 1] = value; count += 1; return }
            s = (s + 1) & mask
        }
    }

    /// The value for `key`, or `PackedMap.absent`.
    @inline(__always) func get(_ key: UInt64) -> UInt64 {
        if key == .max { return maxKeyValue }
        var s = slot(key)
        while true {
            let k = slots[2 &* s]
            if k == key { return slots[2 &* s &+ 1] }
            if k == .max { return .max }
            s = (s + 1) & mask
        }
    }

    func removeAll() {
        slots.update(repeating: .max, count: 2 * capacity)
        count = 0
        maxKeyValue = .max
    }

    private func grow() {
        let old = slots, oldCap = capacity
        capacity *= 2
        mask = capacity - 1
        shift -= 1
        slots = .allocate(capacity: 2 * capacity)
        slots.initialize(repeating: .max, count: 2 * capacity)
        let saved = maxKeyValue
        count = 0
        maxKeyValue = .max
        for i in 0..<oldCap where old[2 * i] != .max { set(old[2 * i], old[2 * i + 1]) }
        if saved != .max { set(.max, saved) }
        old.deallocate()
    }
}

/// Immutable map from byte strings to token ids: packed keys for pieces of up to 8 bytes, and a hash table over
/// one flat byte buffer for longer ones.
final class ByteVocabulary: @unchecked Sendable {
    private let short: PackedMap  // 1...7 bytes, length-tagged
    private let eight: PackedMap  // exactly 8 bytes
    private let long: PackedMap  // hash -> index into `longEntries`
    private var longBytes: [UInt8] = []
    private var longEntries: [(offset: Int, length: Int, id: Int32)] = []
    private var overflow: [[UInt8]: Int32] = [:]  // long entries whose 64-bit hash collided
    private(set) var maxLength = 0

    /// `expected`: about how many entries will be inserted (tables are sized once instead of growing).
    init(expected: Int = 1024) {
        short = PackedMap(expected: max(1024, expected))
        eight = PackedMap(expected: max(256, expected / 4))
        long = PackedMap(expected: max(1024, expected / 2))
    }

    /// Adds `bytes -> id` (the first definition of a byte string wins when `replace` is false).
    func insert(_ bytes: [UInt8], _ id: Int32, replace: Bool = true) {
        bytes.withUnsafeBufferPointer { b in
            if let p = b.baseAddress { insert(p, b.count, id, replace: replace) }
        }
    }

    /// Adds `p[0..<n] -> id` (the first definition of a byte string wins when `replace` is false).
    func insert(_ p: UnsafePointer<UInt8>, _ n: Int, _ id: Int32, replace: Bool = true) {
        guard n > 0 else { return }
        if !replace, lookup(p, n) >= 0 { return }
        maxLength = max(maxLength, n)
        if n <= 7 {
            short.set(shortKey(p, n), UInt64(UInt32(bitPattern: id)))
        } else if n == 8 {
            eight.set(packBytes(p, 8), UInt64(UInt32(bitPattern: id)))
        } else {
            let h = hashBytes(p, n)
            let existing = long.get(h)
            if existing != PackedMap.absent {
                let e = longEntries[Int(existing)]
                if e.length == n && longBytes.withUnsafeBufferPointer({ memEqual($0.baseAddress! + e.offset, p, n) }) {
                    longEntries[Int(existing)].id = id
                } else {
                    overflow[Array(UnsafeBufferPointer(start: p, count: n))] = id
                }
                return
            }
            long.set(h, UInt64(longEntries.count))
            longEntries.append((longBytes.count, n, id))
            longBytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    func lookup(_ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return nil }
            let id = lookup(p, b.count)
            return id >= 0 ? id : nil
        }
    }

    /// The id of `p[0..<n]`, or -1.
    @inline(__always) func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if n <= 7 {
            let v = short.get(shortKey(p, n))
            return v == PackedMap.absent ? -1 : Int32(bitPattern: UInt32(truncatingIfNeeded: v))
        }
        if n == 8 {
            let v = eight.get(packBytes(p, 8))
            return v == PackedMap.absent ? -1 : Int32(bitPattern: UInt32(truncatingIfNeeded: v))
        }
        if n > maxLength { return -1 }
        let v = long.get(hashBytes(p, n))
        if v != PackedMap.absent {
            let e = longEntries[Int(v)]
            if e.length == n && longBytes.withUnsafeBufferPointer({ memEqual($0.baseAddress! + e.offset, p, n) }) {
                return e.id
            }
        }
        if overflow.isEmpty { return -1 }
        return overflow[Array(UnsafeBufferPointer(start: p, count: n))] ?? -1
    }
}

@inline(__always) func memEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 8 <= n {
        if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
